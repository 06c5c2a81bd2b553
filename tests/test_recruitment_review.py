"""Recruitment, second pass: hosts' own availability, uploads and failed transactions,
the scheduler instance of stored data, kanban moves and closed applications."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories_recruitment import make_application, make_position, make_round, pdf_upload
from traineenett.core.models import AuditEntry
from traineenett.recruitment import interviews, services
from traineenett.recruitment.models import (
    Application,
    InterviewRequest,
    Offer,
    OfferStatus,
    Position,
    Round,
    Stage,
    Unavailability,
)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def media(tmp_path: Path) -> Path:
    return tmp_path / "media"


@pytest.fixture
def round_(world: World) -> Round:
    return make_round(world.program, world.cohort)


@pytest.fixture
def position(world: World, round_: Round) -> Position:
    return make_position(round_, [world.organisation_a, None])


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []


# -------------------------------------------------------- hosts' own availability


def test_a_host_marks_its_own_organisations_unavailable_slots(
    world: World, round_: Round, position: Position
) -> None:
    url = reverse("recruitment:host_availability", args=[world.program.slug, round_.pk])
    host = world.client_for("host_a")
    # Before the coordinator sets any day: a plain page that says so, nothing to save.
    empty = host.get(url)
    assert empty.status_code == 200
    assert empty.context["slot_count"] == 0
    plan = interviews.plan_ensure(round_)
    interviews.day_add(plan=plan, day=date(2027, 3, 10), starts_at=time(9), ends_at=time(10))
    slots = [slot.id for slot in interviews.slots_of(plan)]
    page = host.get(url)
    assert page.context["slot_count"] == 3
    # The host's home links to the page.
    home = host.get(reverse("recruitment:host_home", args=[world.program.slug]))
    assert url in home.content.decode()
    response = host.post(url, {"organisation": world.organisation_a.pk, "slots": slots[:2]})
    assert response.status_code == 302
    assert (
        sorted(
            Unavailability.objects.filter(plan=plan, organisation=world.organisation_a).values_list(
                "slot", flat=True
            )
        )
        == slots[:2]
    )
    # Saving again replaces the earlier answer, and the form shows what is stored.
    host.post(url, {"organisation": world.organisation_a.pk, "slots": [slots[2]]})
    assert list(
        Unavailability.objects.filter(plan=plan, organisation=world.organisation_a).values_list(
            "slot", flat=True
        )
    ) == [slots[2]]
    assert host.get(url).context["form"].initial["slots"] == [slots[2]]
    # Host A cannot speak for organisation B, nor name a slot that does not exist.
    refused = host.post(url, {"organisation": world.organisation_b.pk, "slots": slots[:1]})
    assert refused.status_code == 200
    assert "organisation" in refused.context["form"].errors
    unknown = host.post(url, {"organisation": world.organisation_a.pk, "slots": ["20990101-0900"]})
    assert "slots" in unknown.context["form"].errors
    assert not Unavailability.objects.filter(organisation=world.organisation_b).exists()
    # The scheduler respects it: host A's one request is not placed in slot 3.
    application, _token = make_application(world.program, world.cohort, [position])
    InterviewRequest.objects.create(application=application, organisation=world.organisation_a)
    assert interviews.instance_of(plan)["unavailable"] == {
        f"h{world.organisation_a.pk}": [slots[2]]
    }


def test_the_availability_page_is_for_hosts_only(world: World, round_: Round) -> None:
    url = reverse("recruitment:host_availability", args=[world.program.slug, round_.pk])
    assert world.client_for("coordinator").get(url).status_code == 403
    assert world.client_for("board").get(url).status_code == 403
    assert world.client_for("host_b").get(url).status_code == 200


def test_instance_of_leaves_out_unavailability_of_parties_and_slots_not_in_it(
    world: World, position: Position
) -> None:
    plan = interviews.plan_ensure(position.round)
    interviews.day_add(plan=plan, day=date(2027, 3, 10), starts_at=time(9), ends_at=time(10))
    slots = [slot.id for slot in interviews.slots_of(plan)]
    asked, _ = make_application(world.program, world.cohort, [position])
    not_asked, _ = make_application(world.program, world.cohort, [position])
    InterviewRequest.objects.create(application=asked, organisation=world.organisation_a)
    interviews.unavailability_set(plan=plan, slot_ids=[slots[0]], application=asked)
    # No request of theirs is in the instance: these rows must not reach the scheduler.
    interviews.unavailability_set(plan=plan, slot_ids=[slots[1]], application=not_asked)
    interviews.unavailability_set(plan=plan, slot_ids=[slots[1]], organisation=world.organisation_b)
    # A row left over from a day that no longer exists.
    Unavailability.objects.create(
        plan=plan, organisation=world.organisation_a, slot="20270309-0900"
    )
    instance = interviews.instance_of(plan)
    assert instance["unavailable"] == {f"c{asked.pk}": [slots[0]]}
    result = interviews.schedule_run(plan=plan)
    assert result["placed"] == 1
    assert interviews.Interview.objects.get().slot in slots[1:]


# ------------------------------------------------- uploads and failed transactions


def _fail(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the database went away")


def test_a_failed_submit_leaves_no_file_behind(
    world: World, position: Position, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_apply_screening", _fail)
    with pytest.raises(RuntimeError):
        make_application(world.program, world.cohort, [position], documents=True)
    assert not Application.objects.exists()
    assert stored_files(media) == []


def test_a_failed_completion_keeps_the_old_file_and_removes_the_new(
    world: World,
    position: Position,
    media: Path,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application, _token = make_application(world.program, world.cohort, [position], documents=True)
    old = application.documents.get()
    assert stored_files(media) == [Path(old.file.path)]
    data = {"phone": application.phone, "cover_letter": "Ny", "relevant_work_months": 0}
    with monkeypatch.context() as patched:
        patched.setattr(services, "_apply_screening", _fail)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            services.application_complete(
                application=application, data=data, documents=[("cv", pdf_upload("new.pdf"))]
            )
    assert application.documents.get().pk == old.pk
    assert stored_files(media) == [Path(old.file.path)]
    # A completion that succeeds replaces the file once it is committed.
    application.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.application_complete(
            application=application, data=data, documents=[("cv", pdf_upload("new.pdf"))]
        )
    new = application.documents.get()
    assert new.pk != old.pk
    assert stored_files(media) == [Path(new.file.path)]


def test_anonymising_removes_the_files_once_committed(
    world: World, position: Position, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    application, _token = make_application(world.program, world.cohort, [position], documents=True)
    services.application_withdraw(application=application)
    application.refresh_from_db()
    assert application.closed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        count = services.applications_purge(now=application.closed_at + timedelta(days=4000))
    assert count == 1
    assert stored_files(media) == []


# ------------------------------------------------------------ closed applications


def test_a_host_cannot_ask_to_interview_a_rejected_candidate(
    world: World, position: Position
) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    services.applications_bulk(
        program=world.program, application_ids=[application.pk], reject_reason="Nei", notify=False
    )
    url = reverse("recruitment:host_review", args=[world.program.slug, application.pk])
    response = world.client_for("host_a").post(
        url, {"form": "interview", "organisation": world.organisation_a.pk}
    )
    assert response.status_code == 200
    assert "organisation" in response.context["interview_form"].errors
    assert not InterviewRequest.objects.exists()


def test_an_interview_request_is_audited_once(world: World, position: Position) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    for _ in range(2):
        services.interview_request(application=application, organisation=world.organisation_a)
    assert InterviewRequest.objects.count() == 1
    assert AuditEntry.objects.filter(action="recruitment.interview.requested").count() == 1


def test_a_withdrawn_applicant_cannot_accept_an_offer(world: World, position: Position) -> None:
    application, token = make_application(world.program, world.cohort, [position])
    services.offer_make(
        application=application, position=position, starts_on=world.cohort.starts_on, notify=False
    )
    services.application_withdraw(application=application)
    with pytest.raises(ValidationError):
        services.offer_answer(application=application, accept=True)
    client = world.client_for("anonymous")
    assert client.post(f"/apply/{token}/offer/", {"answer": "accept"}).status_code == 302
    assert Offer.objects.get().status == OfferStatus.MADE
    assert Offer.objects.get().trainee is None
    # Following the answer URL by GET goes back to the applicant's page.
    response = client.get(f"/apply/{token}/offer/")
    assert response.status_code == 302
    assert response["Location"] == f"/apply/{token}/"


# --------------------------------------------------------------------------- kanban


def test_a_card_on_the_kanban_board_is_moved_in_one_step(world: World, position: Position) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    url = reverse("recruitment:kanban", args=[world.program.slug])
    coordinator = world.client_for("coordinator")
    page = coordinator.get(url).content.decode()
    assert f'id="move-{application.pk}"' in page
    assert 'id="move-' not in world.client_for("board").get(url).content.decode()
    screened = Stage.objects.get(program=world.program, key="screened")
    response = coordinator.post(
        reverse("recruitment:bulk", args=[world.program.slug]),
        {"action": "move", "applications": [application.pk], "stage": screened.pk, "next": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    application.refresh_from_db()
    assert application.stage == screened


def test_opening_a_round_without_a_free_cohort_points_to_making_one(world: World) -> None:
    url = reverse("recruitment:round_create", args=[world.program.slug])
    coordinator = world.client_for("coordinator")
    assert coordinator.get(url).context["no_cohort"] is False
    make_round(world.program, world.cohort)
    page = coordinator.get(url)
    assert page.context["no_cohort"] is True
    assert reverse("cohorts:create", args=[world.program.slug]) in page.content.decode()


def test_ids_in_forms_are_never_written_with_a_thousands_separator(
    world: World, position: Position
) -> None:
    """Norwegian number formatting writes 12345 as "12 345"; an id in a form value or a
    query string must stay plain, or bulk actions and filters break past 999."""
    received = services.stage_by_key(world.program, "received")
    application = Application.objects.create(
        pk=12345,
        program=world.program,
        cohort=world.cohort,
        first_name="Tusen",
        last_name="Søker",
        email="tusen@example.org",
        phone="+4790000000",
        source="website",
        consent_at=timezone.now(),
        idempotency_key="thousands",
        stage=received,
        stage_entered_at=timezone.now(),
    )
    coordinator = world.client_for("coordinator")
    pipeline = coordinator.get(reverse("recruitment:pipeline", args=[world.program.slug]))
    assert 'value="12345"' in pipeline.content.decode()
    kanban = coordinator.get(reverse("recruitment:kanban", args=[world.program.slug]))
    assert 'id="move-12345"' in kanban.content.decode()
    screened = Stage.objects.get(program=world.program, key="screened")
    coordinator.post(
        reverse("recruitment:bulk", args=[world.program.slug]),
        {"action": "move", "applications": ["12345"], "stage": screened.pk},
    )
    application.refresh_from_db()
    assert application.stage == screened


def test_the_applicant_page_tells_a_rejected_or_hired_applicant_where_they_stand(
    world: World, position: Position
) -> None:
    rejected, rejected_token = make_application(world.program, world.cohort, [position])
    services.applications_bulk(
        program=world.program, application_ids=[rejected.pk], reject_reason="Nei", notify=False
    )
    hired, hired_token = make_application(world.program, world.cohort, [position])
    services.offer_make(
        application=hired, position=position, starts_on=world.cohort.starts_on, notify=False
    )
    services.offer_answer(application=hired, accept=True)
    client = world.client_for("anonymous")
    for token, text in ((rejected_token, "ikke gått videre"), (hired_token, "Velkommen")):
        page = client.get(f"/apply/{token}/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
        assert text in page
        assert "Under vurdering" not in page
        assert f"/apply/{token}/withdraw/" not in page
    # An accepted application cannot be withdrawn through the link.
    assert client.post(f"/apply/{hired_token}/withdraw/").status_code == 302
    hired.refresh_from_db()
    assert hired.withdrawn_at is None


# ------------------------------------------------------------ withdrawing a request


def test_a_host_withdraws_its_own_interview_request(world: World, position: Position) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    own = services.interview_request(application=application, organisation=world.organisation_a)
    url = reverse("recruitment:host_review", args=[world.program.slug, application.pk])
    client = world.client_for("host_a")
    assert f'name="request" value="{own.pk}"' in client.get(url).content.decode()
    response = client.post(url, {"form": "withdraw", "request": own.pk}, follow=True)
    assert response.status_code == 200
    assert not InterviewRequest.objects.filter(pk=own.pk).exists()
    assert AuditEntry.objects.filter(action="recruitment.interview.withdrawn").count() == 1


def test_a_host_cannot_withdraw_another_organisations_request(
    world: World, position: Position
) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    other = services.interview_request(application=application, organisation=world.organisation_b)
    url = reverse("recruitment:host_review", args=[world.program.slug, application.pk])
    client = world.client_for("host_a")
    assert client.post(url, {"form": "withdraw", "request": other.pk}).status_code == 404
    assert client.post(url, {"form": "withdraw", "request": "x"}).status_code == 404
    assert InterviewRequest.objects.filter(pk=other.pk).exists()


def test_a_scheduled_interview_request_cannot_be_withdrawn(
    world: World, position: Position
) -> None:
    from traineenett.recruitment.models import Interview

    application, _ = make_application(world.program, world.cohort, [position])
    own = services.interview_request(application=application, organisation=world.organisation_a)
    start = timezone.now() + timedelta(days=7)
    Interview.objects.create(
        request=own, slot="d1-0900", starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    url = reverse("recruitment:host_review", args=[world.program.slug, application.pk])
    response = world.client_for("host_a").post(
        url, {"form": "withdraw", "request": own.pk}, follow=True
    )
    page = response.content.decode()
    assert InterviewRequest.objects.filter(pk=own.pk).exists()
    assert "already scheduled" in page or "allerede satt opp" in page
    assert "Withdraw the request" not in page and "Trekk tilbake" not in page
