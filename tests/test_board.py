"""Membership applications (public form, board decision), board seats and meetings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import World
from tests.factories_finance import client_en
from traineenett.core.demo import organisation_number
from traineenett.finance import services
from traineenett.finance.models import (
    ApplicationStatus,
    BillingContact,
    BoardSeat,
    MeetingAttachment,
    MembershipApplication,
)
from traineenett.members.models import Membership, Organisation

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def application_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "organisation_number": organisation_number(777),
        "organisation_name": "Gjøvik Bio AS",
        "kind": "company",
        "sector": "private",
        "municipality": "3407",
        "employees": "40",
        "contact_name": "Hilde Bakke",
        "contact_email": "hilde@example.org",
        "contact_phone": "",
        "invoice_email": "faktura@gjovikbio.example.org",
        "fee_tier": "Standard",
        "motivation": "Vi vil rekruttere.",
    }
    data.update(overrides)
    return data


def apply(world: World, **overrides: Any) -> Any:
    return client_en(world).post(
        reverse("finance:application_form", args=[world.program.slug]),
        application_data(**overrides),
    )


def test_an_organisation_applies_without_logging_in(world: World) -> None:
    response = apply(world)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "finance:application_received", args=[world.program.slug]
    )
    application = MembershipApplication.objects.get()
    assert (application.organisation_name, application.organisation) == ("Gjøvik Bio AS", None)
    assert application.status == ApplicationStatus.PENDING


def test_the_public_form_names_the_programme(world: World) -> None:
    page = client_en(world).get(reverse("finance:application_form", args=[world.program.slug]))
    assert page.status_code == 200
    assert "Apply for membership of Trainee Innlandet" in page.content.decode()
    assert client_en(world).get("/no-such-programme/membership/apply/").status_code == 404


def test_an_invalid_organisation_number_is_named(world: World) -> None:
    response = apply(world, organisation_number="974760674")
    assert response.status_code == 200
    assert "not a valid organisation number" in response.content.decode()
    assert "Gjøvik Bio AS" in response.content.decode()  # what was typed is kept
    assert not MembershipApplication.objects.exists()


def test_an_unknown_organisation_needs_name_and_municipality(world: World) -> None:
    response = apply(world, organisation_name="", municipality="")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "organisation_name" in errors and "municipality" in errors
    assert not MembershipApplication.objects.exists()


def test_a_known_organisation_is_recognised(world: World) -> None:
    known = Organisation.objects.create(
        name="Kjent Industri AS",
        organisation_number=organisation_number(778),
        sector="private",
        municipality_id="3403",
    )
    lookup = client_en(world).get(
        reverse("finance:application_lookup", args=[world.program.slug]),
        {
            "organisation_number": known.organisation_number[:3]
            + " "
            + known.organisation_number[3:]
        },
    )
    assert "Kjent Industri AS" in lookup.content.decode()
    response = apply(
        world, organisation_number=known.organisation_number, organisation_name="", municipality=""
    )
    assert response.status_code == 302
    application = MembershipApplication.objects.get()
    assert (application.organisation, application.organisation_name) == (known, known.name)


def test_a_current_member_cannot_apply_again(world: World) -> None:
    response = apply(world, organisation_number=world.organisation_a.organisation_number)
    assert response.status_code == 200
    assert "already a member" in response.content.decode()


def test_approval_starts_the_membership_with_the_fee_tier(world: World) -> None:
    apply(world)
    application = MembershipApplication.objects.get()
    client = client_en(world, "board")
    url = reverse("finance:application_detail", args=[world.program.slug, application.pk])
    response = client.post(url, {"decision": "approve", "fee_tier": "Stor", "note": "Velkommen"})
    assert response.status_code == 200  # the start date is missing
    assert "Give the date the membership starts." in response.content.decode()
    response = client.post(
        url,
        {"decision": "approve", "starts_on": "2026-09-01", "fee_tier": "Stor", "note": "Velkommen"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == world.users["board"]
    membership = Membership.objects.get(program=world.program, organisation__name="Gjøvik Bio AS")
    assert (membership.starts_on, membership.fee_tier) == (date(2026, 9, 1), "Stor")
    assert membership.organisation.municipality_id == "3407"
    assert application.membership == membership
    contact = BillingContact.objects.get(
        program=world.program, organisation=membership.organisation
    )
    assert contact.invoice_email == "faktura@gjovikbio.example.org"
    with pytest.raises(ValidationError):
        services.application_decide(application=application, approve=False)


def test_rejection_creates_no_membership(world: World) -> None:
    apply(world)
    application = MembershipApplication.objects.get()
    services.application_decide(application=application, approve=False, note="Ikke nå")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert not Membership.objects.filter(organisation__name="Gjøvik Bio AS").exists()


def test_one_representative_per_member(world: World) -> None:
    services.board_seat_create(
        program=world.program,
        data={
            "kind": "member",
            "person_name": "Per",
            "organisation": world.organisation_a,
            "starts_on": date(2025, 1, 1),
        },
    )
    with pytest.raises(ValidationError) as error:
        services.board_seat_create(
            program=world.program,
            data={
                "kind": "member",
                "person_name": "Pål",
                "organisation": world.organisation_a,
                "starts_on": date(2026, 1, 1),
            },
        )
    assert "already represented by Per" in error.value.message_dict["organisation"][0]
    seat = BoardSeat.objects.get()
    services.board_seat_end(seat=seat, ends_on=date(2025, 12, 31))
    services.board_seat_create(
        program=world.program,
        data={
            "kind": "member",
            "person_name": "Pål",
            "organisation": world.organisation_a,
            "starts_on": date(2026, 1, 1),
        },
    )
    assert BoardSeat.objects.count() == 2


def test_trainee_representative_needs_a_cohort_of_the_programme(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.board_seat_create(
            program=world.program,
            data={
                "kind": "trainee",
                "person_name": "Ingrid",
                "cohort": world.other_cohort,
                "starts_on": date(2025, 9, 1),
            },
        )
    assert "cohort" in error.value.message_dict
    seat = services.board_seat_create(
        program=world.program,
        data={
            "kind": "trainee",
            "person_name": "Ingrid",
            "cohort": world.cohort,
            "organisation": world.organisation_a,  # ignored for a trainee representative
            "starts_on": date(2025, 9, 1),
        },
    )
    assert (seat.cohort, seat.organisation) == (world.cohort, None)


def test_meeting_attachments_are_served_to_the_board_only(world: World) -> None:
    board = client_en(world, "board")
    response = board.post(
        reverse("finance:meeting_create", args=[world.program.slug]),
        {
            "held_on": "2026-03-12",
            "title": "Styremøte 1/2026",
            "decisions": "Budsjett vedtatt\n\nNy strategi",
        },
    )
    assert response.status_code == 302
    meeting_url = response["Location"]
    page = board.get(meeting_url).content.decode()
    assert "<li>Budsjett vedtatt</li>" in page and "<li>Ny strategi</li>" in page
    bad = board.post(meeting_url, {"title": "Skript", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert "cannot be attached" in bad.content.decode()
    response = board.post(
        meeting_url,
        {"title": "Protokoll", "file": SimpleUploadedFile("protokoll.pdf", b"%PDF-1.4 test")},
    )
    assert response.status_code == 302
    attachment = MeetingAttachment.objects.get()
    url = reverse("finance:attachment_download", args=[world.program.slug, attachment.pk])
    download = board.get(url)
    assert download.status_code == 200
    assert download.content == b"%PDF-1.4 test"
    assert "attachment" in download["Content-Disposition"]
    assert client_en(world, "host_a").get(url).status_code == 403
    assert client_en(world, "outsider").get(url).status_code == 404
    assert client_en(world).get(url).status_code == 302  # to the log-in page


def test_board_seat_form_keeps_what_a_seat_represents_apart(world: World) -> None:
    client = client_en(world, "coordinator")
    url = reverse("finance:seat_create", args=[world.program.slug])
    response = client.post(
        url,
        {"kind": "trainee", "role": "member", "person_name": "Ingrid", "starts_on": "2025-09-01"},
    )
    assert response.status_code == 200
    assert "Choose the cohort the trainee represents." in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "trainee",
            "role": "member",
            "person_name": "Ingrid",
            "organisation": str(world.organisation_a.pk),
            "cohort": str(world.cohort.pk),
            "starts_on": "2025-09-01",
        },
    )
    assert response.status_code == 302
    seat = BoardSeat.objects.get()
    assert (seat.cohort, seat.organisation) == (world.cohort, None)
    assert client_en(world, "board").post(url, {}).status_code == 403


def test_board_lists_do_not_grow_in_queries(world: World) -> None:
    from tests.helpers import queries_for

    client = client_en(world, "board")
    applications = reverse("finance:application_list", args=[world.program.slug]) + "?status=all"
    board = reverse("finance:board", args=[world.program.slug])
    apply(world)
    counts = (queries_for(client, applications), queries_for(client, board))
    apply(world, organisation_number=organisation_number(779), organisation_name="Annen AS")
    for name in ("Per", "Pål"):
        services.board_seat_create(
            program=world.program,
            data={
                "kind": "trainee",
                "person_name": name,
                "cohort": world.cohort,
                "starts_on": date(2025, 9, 1),
            },
        )
        services.meeting_create(
            program=world.program, data={"held_on": date(2026, 1, 1), "title": name}
        )
    assert (queries_for(client, applications), queries_for(client, board)) == counts
    assert "Annen AS" in client.get(applications).content.decode()
