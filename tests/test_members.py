"""Members: create, edit and end memberships; bad input; lists that do not grow in queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from tests.helpers import queries_for
from traineenett.core.demo import organisation_number
from traineenett.core.models import AuditEntry
from traineenett.members.models import Membership, Organisation


def member_form(**overrides: str) -> dict[str, str]:
    data = {
        "org-name": "Gjøvik Glass AS",
        "org-organisation_number": organisation_number(900),
        "org-kind": "company",
        "org-sector": "private",
        "org-industry": "Industri",
        "org-municipality": "3407",
        "org-employees": "120",
        "membership-starts_on": "2026-01-01",
        "membership-fee_tier": "Standard",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_member(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(reverse("members:create", args=[world.program.slug]), member_form())
    membership = Membership.objects.get(organisation__name="Gjøvik Glass AS")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "members:detail", args=[world.program.slug, membership.pk]
    )
    assert membership.program == world.program
    assert membership.organisation.municipality_id == "3407"
    assert AuditEntry.objects.filter(
        action="members.membership.created", actor=world.users["coordinator"]
    ).exists()


def test_a_known_organisation_number_reuses_the_organisation(world: World) -> None:
    known = world.other_membership.organisation
    client = world.client_for("coordinator")
    client.post(
        reverse("members:create", args=[world.program.slug]),
        member_form(
            **{"org-organisation_number": known.organisation_number, "org-name": known.name}
        ),
    )
    assert Organisation.objects.filter(organisation_number=known.organisation_number).count() == 1
    assert Membership.objects.filter(program=world.program, organisation=known).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org-organisation_number", "123456789", "not a valid organisation number"),
        ("org-organisation_number", "12345", "not a valid organisation number"),
        ("org-municipality", "0403", "Select a valid choice"),  # an old number, not current
        ("org-municipality", "9999", "Select a valid choice"),
        ("membership-ends_on", "2025-01-01", "on or after the start date"),
    ],
)
def test_bad_member_input_names_the_field_and_saves_nothing(
    world: World, field: str, value: str, message: str
) -> None:
    client = world.client_for("coordinator")
    before = (Organisation.objects.count(), Membership.objects.count())
    response = client.post(
        reverse("members:create", args=[world.program.slug]),
        member_form(**{field: value}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    form_name, field_name = field.split("-", 1)
    form = response.context["organisation_form" if form_name == "org" else "membership_form"]
    assert message in " ".join(form.errors[field_name])
    assert (Organisation.objects.count(), Membership.objects.count()) == before
    assert "Gjøvik Glass AS" in response.content.decode()  # what the user typed is kept


def test_an_overlapping_membership_is_refused(world: World) -> None:
    client = world.client_for("coordinator")
    organisation = world.organisation_a
    response = client.post(
        reverse("members:create", args=[world.program.slug]),
        member_form(
            **{
                "org-organisation_number": organisation.organisation_number,
                "org-name": organisation.name,
            }
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already a member" in " ".join(response.context["membership_form"].errors["starts_on"])
    assert Membership.objects.filter(program=world.program, organisation=organisation).count() == 1


def test_end_membership(world: World) -> None:
    client = world.client_for("coordinator")
    url = reverse("members:end", args=[world.program.slug, world.membership_a.pk])
    response = client.post(url, {"ends_on": "1999-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be before" in " ".join(response.context["form"].errors["ends_on"])
    world.membership_a.refresh_from_db()
    assert world.membership_a.ends_on is None
    response = client.post(url, {"ends_on": "2026-06-30"})
    assert response.status_code == 302
    world.membership_a.refresh_from_db()
    assert world.membership_a.ends_on == date(2026, 6, 30)
    listed = client.get(reverse("members:list", args=[world.program.slug]) + "?status=ended")
    assert "Mjøskraft AS" in listed.content.decode()


def test_edit_member_records_what_changed(world: World) -> None:
    client = world.client_for("coordinator")
    organisation = world.organisation_a
    data = member_form(
        **{
            "org-name": "Mjøskraft Energi AS",
            "org-organisation_number": organisation.organisation_number,
            "membership-starts_on": "2000-01-01",
        }
    )
    response = client.post(
        reverse("members:edit", args=[world.program.slug, world.membership_a.pk]), data
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Mjøskraft Energi AS"
    entry = AuditEntry.objects.get(action="members.membership.updated")
    assert entry.changes["name"] == ["Mjøskraft AS", "Mjøskraft Energi AS"]


def test_member_list_queries_do_not_grow_with_rows(world: World) -> None:
    client = world.client_for("coordinator")
    url = reverse("members:list", args=[world.program.slug])
    few = queries_for(client, url)
    for _ in range(15):
        cluster = OrganisationFactory(kind="cluster")
        MembershipFactory(
            program=world.program, organisation=OrganisationFactory(parent_cluster=cluster)
        )
    assert queries_for(client, url) == few


def test_board_sees_the_list_but_cannot_add(world: World) -> None:
    client = world.client_for("board")
    page = client.get(reverse("members:list", args=[world.program.slug])).content.decode()
    assert "Mjøskraft AS" in page
    assert reverse("members:create", args=[world.program.slug]) not in page
