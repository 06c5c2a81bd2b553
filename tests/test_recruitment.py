"""Recruitment behind the log-in: needs, positions, screening, the pipeline, host review,
recruitment days, offers, figures and data protection."""

from __future__ import annotations

import os
from datetime import date, time, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import World
from tests.factories_recruitment import (
    education,
    make_application,
    make_position,
    make_round,
)
from tests.helpers import queries_for
from traineenett.cohorts.models import Placement, Trainee
from traineenett.recruitment import eligibility, interviews, services
from traineenett.recruitment.models import (
    Application,
    Choice,
    InterviewRequest,
    Offer,
    OfferStatus,
    Position,
    Round,
    Score,
    Stage,
    StageChange,
)
from traineenett.recruitment.selectors import HostNeed, host_needs, needs_summary


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def round_(world: World) -> Round:
    return make_round(world.program, world.cohort)


@pytest.fixture
def position(world: World, round_: Round) -> Position:
    return make_position(round_, [world.organisation_a, None])


# ---------------------------------------------------------------------- eligibility

RULES = eligibility.Rules(min_higher_education_years=4, max_years_since_graduation=2)
START = date(2026, 8, 17)


def entry(years: str | None = "5", ects: int | None = None, graduated: date = date(2025, 6, 1)):
    return eligibility.EducationEntry(
        years=Decimal(years) if years is not None else None, ects=ects, graduated_on=graduated
    )


def test_eligible_applicant_has_no_reasons() -> None:
    result = eligibility.screen([entry()], 6, RULES, START)
    assert result.eligible
    assert result.reasons == ()
    assert result.education_years == Decimal("5")


def test_education_adds_up_over_entries_and_ects() -> None:
    # A bachelor in ECTS (180 = 3 years) plus a one-year master: 4 years, just enough.
    result = eligibility.screen([entry(None, 180), entry("1")], 0, RULES, START)
    assert result.eligible
    assert result.education_years == Decimal("4.0")
    short = eligibility.screen([entry(None, 180)], 0, RULES, START)
    assert not short.eligible
    assert short.reasons[0].code == "education_too_short"
    assert short.reasons[0].params == {"years": "3.0", "minimum": "4"}


def test_graduated_too_long_ago_and_too_much_work() -> None:
    result = eligibility.screen([entry(graduated=date(2020, 6, 1))], 30, RULES, START)
    assert [reason.code for reason in result.reasons] == ["graduated_too_long_ago", "too_much_work"]
    assert result.reasons[1].params == {"months": "30", "maximum": "24"}
    assert not eligibility.screen([], 0, RULES, START).eligible


@given(
    years=st.decimals(min_value=0, max_value=10, places=1),
    months=st.integers(min_value=0, max_value=120),
    days_before=st.integers(min_value=0, max_value=3650),
)
def test_screening_is_eligible_exactly_when_no_rule_is_broken(
    years: Decimal, months: int, days_before: int
) -> None:
    graduated = START - timedelta(days=days_before)
    result = eligibility.screen([entry(str(years), graduated=graduated)], months, RULES, START)
    expected = years >= 4 and eligibility.years_between(graduated, START) <= 2 and months <= 24
    assert result.eligible == expected
    assert result.eligible == (not result.reasons)


def test_submitted_application_carries_the_screening(world: World, position: Position) -> None:
    application, _ = make_application(
        world.program,
        world.cohort,
        [position],
        educations=[education(years=Decimal("3"))],
        relevant_work_months=36,
    )
    assert not application.eligible
    codes = [reason["code"] for reason in application.eligibility_reasons]
    assert codes == ["education_too_short", "too_much_work"]
    page = world.client_for("coordinator").get(
        reverse("recruitment:application", args=[world.program.slug, application.pk])
    )
    assert "3" in page.content.decode()


def test_override_needs_a_note(world: World, position: Position) -> None:
    application, _ = make_application(
        world.program, world.cohort, [position], educations=[education(years=Decimal("3"))]
    )
    url = reverse("recruitment:application_action", args=[world.program.slug, application.pk])
    client = world.client_for("coordinator")
    response = client.post(url, {"action": "override", "decision": "yes", "note": ""})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.eligibility_override is None
    client.post(url, {"action": "override", "decision": "yes", "note": "Realkompetanse"})
    application.refresh_from_db()
    assert application.eligibility_override is True
    assert application.is_eligible
    assert application.eligibility_note == "Realkompetanse"


# ------------------------------------------------------------ needs and positions


def test_host_submits_needs_and_the_coordinator_sees_them_summed(
    world: World, round_: Round
) -> None:
    url = reverse("recruitment:need_submit", args=[world.program.slug, round_.pk])
    response = world.client_for("host_a").post(
        url,
        {
            "organisation": world.organisation_a.pk,
            "disciplines": "Economics, engineering",
            "places": "2",
            "period_numbers": ["1", "2"],
            "description": "Energimarked",
            "place_of_work": "Hamar",
        },
    )
    assert response.status_code == 302
    services.need_submit(
        round_=round_,
        organisation=world.organisation_b,
        disciplines=["economics"],
        places=1,
        period_numbers=[2, 3],
    )
    assert host_needs(world.cohort) == [
        HostNeed(world.organisation_a.pk, ("economics", "engineering"), (1, 2), 2),
        HostNeed(world.organisation_b.pk, ("economics",), (2, 3), 1),
    ]
    summary = needs_summary(round_)
    assert summary.periods == [1, 2, 3]
    assert summary.rows == [("economics", [2, 3, 1], 3), ("engineering", [2, 2, 0], 2)]
    assert summary.total_places == 3
    page = world.client_for("coordinator").get(
        reverse("recruitment:round", args=[world.program.slug, round_.pk])
    )
    assert "Energimarked" in page.content.decode()


def test_a_host_cannot_submit_for_another_organisation(world: World, round_: Round) -> None:
    url = reverse("recruitment:need_submit", args=[world.program.slug, round_.pk])
    response = world.client_for("host_a").post(
        url,
        {
            "organisation": world.organisation_b.pk,
            "disciplines": "law",
            "places": "1",
            "period_numbers": ["1"],
        },
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not round_.needs.exists()


def test_coordinator_designs_a_track_with_a_period_decided_later(
    world: World, round_: Round
) -> None:
    url = reverse("recruitment:position_create", args=[world.program.slug, round_.pk])
    response = world.client_for("coordinator").post(
        url,
        {
            "title": "Trainee i samfunnsplanlegging",
            "description": "Tre perioder",
            "deadline": "2030-02-01",
            "disciplines_text": "social science",
            "published": "on",
            "host_1": world.organisation_a.pk,
            "host_2": str(world.organisation_b.pk),
            "host_3": "later",
        },
    )
    assert response.status_code == 302
    position = Position.objects.get(title="Trainee i samfunnsplanlegging")
    assert [(h.period_number, h.organisation_id) for h in position.hosts.all()] == [
        (1, world.organisation_a.pk),
        (2, world.organisation_b.pk),
        (3, None),
    ]
    assert position.published_on is not None


def test_editing_a_position_keeps_its_track(world: World, round_: Round) -> None:
    position = make_position(round_, [world.organisation_a, world.organisation_b, None])
    url = reverse("recruitment:position_edit", args=[world.program.slug, position.pk])
    client = world.client_for("coordinator")
    form = client.get(url).context["form"]
    data = {
        "title": "Trainee i fornybar energi",
        "description": position.description,
        "deadline": position.deadline.isoformat(),
        "disciplines_text": form.initial["disciplines_text"],
        "published": "on",
        "host_1": form.initial["host_1"].pk,
        "host_2": form.initial["host_2"],
        "host_3": form.initial["host_3"],
    }
    assert client.post(url, data).status_code == 302
    position.refresh_from_db()
    assert position.title == "Trainee i fornybar energi"
    assert position.disciplines == ["economics", "engineering"]
    assert [(h.period_number, h.organisation_id) for h in position.hosts.all()] == [
        (1, world.organisation_a.pk),
        (2, world.organisation_b.pk),
        (3, None),
    ]


def test_a_track_visits_each_host_once_and_only_the_last_is_open(
    world: World, round_: Round, english: Any
) -> None:
    data = {
        "title": "T",
        "description": "D",
        "disciplines": ["law"],
        "deadline": date(2030, 1, 1),
        "published_on": None,
    }
    with pytest.raises(ValidationError, match="each organisation once"):
        services.position_save(
            round_=round_, data=data, hosts=[world.organisation_a, world.organisation_a]
        )
    with pytest.raises(ValidationError, match="Only the last"):
        services.position_save(
            round_=round_, data=data, hosts=[world.organisation_a, None, world.organisation_b]
        )
    assert not Position.objects.exists()


# -------------------------------------------------------------------- pipeline


def _bulk_applications(world: World, position: Position, count: int, start: int = 0) -> None:
    """Many applications fast (bulk inserts), for the query-count test."""
    stages = list(Stage.objects.filter(program=world.program).order_by("order"))
    now = timezone.now()
    rows = Application.objects.bulk_create(
        Application(
            program=world.program,
            cohort=world.cohort,
            first_name="Søker",
            last_name=f"{start + n}",
            email=f"bulk{start + n}@example.org",
            phone=f"+47400{start + n:05d}",
            source="website",
            consent_at=now,
            idempotency_key=f"bulk-{start + n}",
            stage=stages[n % 4],
            stage_entered_at=now,
            eligible=n % 2 == 0,
        )
        for n in range(count)
    )
    Choice.objects.bulk_create(Choice(application=a, position=position, rank=1) for a in rows)


def test_the_pipeline_renders_in_a_constant_number_of_queries(
    world: World, position: Position
) -> None:
    client = world.client_for("coordinator")
    url = reverse("recruitment:pipeline", args=[world.program.slug])
    _bulk_applications(world, position, 20)
    small = queries_for(client, url)
    _bulk_applications(world, position, 1980, start=20)
    assert Application.objects.count() == 2000
    large = queries_for(client, url)
    assert small == large, f"{small} queries for 20 applications, {large} for 2 000"
    assert large <= 11  # session, user, programme, roles, stages, rounds, positions, page…
    kanban_url = reverse("recruitment:kanban", args=[world.program.slug])
    assert queries_for(client, kanban_url) == queries_for(client, kanban_url + "?eligible=yes")


def test_a_full_kanban_column_shows_the_newest_cards_and_links_to_the_list(
    world: World, position: Position
) -> None:
    from traineenett.recruitment.pipeline_views import KANBAN_CARDS_PER_STAGE

    _bulk_applications(world, position, 4 * (KANBAN_CARDS_PER_STAGE + 5))  # 35 in each of 4
    first_stage = Stage.objects.filter(program=world.program).order_by("order").first()
    assert first_stage is not None
    client = world.client_for("coordinator")
    url = reverse("recruitment:kanban", args=[world.program.slug])
    response = client.get(url, {"q": "Søker"})
    column = response.context["columns"][0]
    assert column.stage == first_stage
    assert len(column.cards) == KANBAN_CARDS_PER_STAGE
    assert column.total == KANBAN_CARDS_PER_STAGE + 5
    newest = Application.objects.filter(stage=first_stage).order_by("-created_at", "-pk")
    assert [a.pk for a in column.cards] == [a.pk for a in newest[:KANBAN_CARDS_PER_STAGE]]
    html = response.content.decode()
    assert html.count('class="card"') == 4 * KANBAN_CARDS_PER_STAGE
    assert html.count("kanban-move") == 4 * KANBAN_CARDS_PER_STAGE  # each card can move
    list_url = reverse("recruitment:pipeline", args=[world.program.slug])
    link = f'href="{list_url}?q=S%C3%B8ker&amp;stage={first_stage.pk}"'
    assert link in html
    assert "5 til – se listen" in html  # Norwegian first: the nb catalogue
    list_page = client.get(list_url, {"q": "Søker", "stage": first_stage.pk})
    assert list_page.context["page"].paginator.count == KANBAN_CARDS_PER_STAGE + 5
    # A smaller filter fits in the columns: no link.
    few = client.get(url, {"q": "bulk1"})
    assert "kanban-more" not in few.content.decode()


def test_duplicates_by_email_ignore_case(world: World, position: Position) -> None:
    one, _ = make_application(world.program, world.cohort, [position], phone="+4791111111")
    two, _ = make_application(world.program, world.cohort, [position], phone="+4792222222")
    alone, _ = make_application(world.program, world.cohort, [position], phone="+4793333333")
    # The form refuses a second e-mail; an import or an edit can still make one.
    Application.objects.filter(pk=one.pk).update(email="same@example.org")
    Application.objects.filter(pk=two.pk).update(email="Same@Example.org")
    client = world.client_for("coordinator")
    url = reverse("recruitment:pipeline", args=[world.program.slug])
    flags = {a.pk: a.is_duplicate for a in client.get(url).context["page"]}
    assert flags == {one.pk: True, two.pk: True, alone.pk: False}
    only = client.get(url, {"duplicates": "1"}).context["page"]
    assert {a.pk for a in only} == {one.pk, two.pk}


def test_pipeline_filters_and_duplicates(world: World, position: Position) -> None:
    first, _ = make_application(world.program, world.cohort, [position], phone="+4791111111")
    make_application(world.program, world.cohort, [position], phone="+4791111111")
    loner, _ = make_application(world.program, world.cohort, [position], phone="+4792222222")
    client = world.client_for("coordinator")
    url = reverse("recruitment:pipeline", args=[world.program.slug])
    page = client.get(url, {"duplicates": "1"})
    names = [a.pk for a in page.context["page"]]
    assert first.pk in names
    assert loner.pk not in names
    assert len(names) == 2
    detail = client.get(reverse("recruitment:application", args=[world.program.slug, first.pk]))
    assert len(detail.context["duplicates"]) == 1
    by_query = client.get(url, {"q": loner.last_name})
    assert [a.pk for a in by_query.context["page"]] == [loner.pk]


def test_bulk_move_and_reject_with_the_templated_email(
    world: World, position: Position, django_capture_on_commit_callbacks: Any
) -> None:
    services.pipeline_configure(
        program=world.program,
        intermediate_stages=["Screened", "First interview"],
        criteria=["Fit"],
        retention_days=100,
        rejection_template="Kjære {name}. {reason} Hilsen oss",
    )
    one, _ = make_application(world.program, world.cohort, [position], first_name="Ola")
    two, _ = make_application(world.program, world.cohort, [position], first_name="Kari")
    screened = Stage.objects.get(program=world.program, name="Screened")
    client = world.client_for("coordinator")
    url = reverse("recruitment:bulk", args=[world.program.slug])
    mail.outbox.clear()
    response = client.post(
        url, {"action": "move", "stage": screened.pk, "applications": [one.pk, two.pk]}
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("stage", flat=True)) == {screened.pk}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "reject", "reason": "", "applications": [one.pk]})
    one.refresh_from_db()
    assert one.stage_id == screened.pk  # no reason, no rejection
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url,
            {"action": "reject", "reason": "Vi fikk mange søkere.", "applications": [one.pk]},
        )
    one.refresh_from_db()
    assert one.stage.key == "rejected"
    assert one.closed_at is not None
    assert [m.body for m in mail.outbox] == ["Kjære Ola. Vi fikk mange søkere. Hilsen oss"]
    assert StageChange.objects.filter(application=one).count() == 3


def test_bulk_cannot_touch_another_programmes_application(world: World, position: Position) -> None:
    other_round = make_round(world.other_program, world.other_cohort)
    other_position = make_position(other_round, [world.other_membership.organisation])
    theirs, _ = make_application(world.other_program, world.other_cohort, [other_position])
    stage = Stage.objects.get(program=world.program, key="screened")
    world.client_for("coordinator").post(
        reverse("recruitment:bulk", args=[world.program.slug]),
        {"action": "move", "stage": stage.pk, "applications": [theirs.pk]},
    )
    theirs.refresh_from_db()
    assert theirs.stage.key == "received"


def test_bulk_leaves_anonymised_applications_alone(world: World, position: Position) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    Application.objects.filter(pk=application.pk).update(anonymised_at=timezone.now())
    moved = services.applications_bulk(
        program=world.program, application_ids=[application.pk], reject_reason="Mange søkere."
    )
    assert moved == 0
    application.refresh_from_db()
    assert application.stage.key == "received"


def test_a_stage_with_applications_cannot_be_removed(
    world: World, position: Position, english: Any
) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    screened = Stage.objects.get(program=world.program, key="screened")
    services.application_move(application=application, stage=screened)
    with pytest.raises(ValidationError, match="still holds applications"):
        services.pipeline_configure(
            program=world.program,
            intermediate_stages=["Assessment"],
            criteria=["Fit"],
            retention_days=365,
            rejection_template="",
        )
    services.pipeline_configure(
        program=world.program,
        intermediate_stages=[screened.name, "Assessment"],
        criteria=["Fit", "Drive"],
        retention_days=200,
        rejection_template="",
    )
    keys = list(Stage.objects.filter(program=world.program).values_list("key", flat=True))
    assert keys == [
        "received",
        "screened",
        "assessment",
        "offer",
        "accepted",
        "declined",
        "rejected",
    ]
    assert [c.name for c in services.criteria_ensure(world.program)] == ["Fit", "Drive"]
    assert services.settings_for(world.program).retention_days == 200


def test_notes_and_moves_on_the_application_page(world: World, position: Position) -> None:
    application, _ = make_application(world.program, world.cohort, [position])
    url = reverse("recruitment:application_action", args=[world.program.slug, application.pk])
    client = world.client_for("coordinator")
    client.post(url, {"action": "note", "text": "Sterk kandidat"})
    stage = Stage.objects.get(program=world.program, key="first_interview")
    client.post(url, {"action": "move", "stage": stage.pk})
    application.refresh_from_db()
    assert application.stage == stage
    assert application.notes.get().text == "Sterk kandidat"
    # The board may look but not write.
    world.client_for("board").post(url, {"action": "note", "text": "Styret"})
    assert application.notes.count() == 1


# ------------------------------------------------------------------ host review


def test_a_host_sees_only_its_own_candidates_rates_and_asks_to_interview(
    world: World, round_: Round, position: Position
) -> None:
    theirs = make_position(round_, [world.organisation_b], title="Trainee i bank")
    mine, _ = make_application(world.program, world.cohort, [position], documents=True)
    other, _ = make_application(world.program, world.cohort, [theirs], documents=True)
    host = world.client_for("host_a")
    home = host.get(reverse("recruitment:host_home", args=[world.program.slug]))
    assert [a.pk for a in home.context["candidates"]] == [mine.pk]
    assert (
        host.get(
            reverse("recruitment:host_review", args=[world.program.slug, other.pk])
        ).status_code
        == 404
    )
    assert (
        host.get(
            reverse("recruitment:document", args=[world.program.slug, other.documents.get().pk])
        ).status_code
        == 404
    )
    assert (
        host.get(
            reverse("recruitment:document", args=[world.program.slug, mine.documents.get().pk])
        ).status_code
        == 200
    )
    url = reverse("recruitment:host_review", args=[world.program.slug, mine.pk])
    criteria = services.criteria_ensure(world.program)
    host.post(url, {"form": "scorecard", **{f"criterion_{c.pk}": "4" for c in criteria}})
    host.post(url, {"form": "scorecard", f"criterion_{criteria[0].pk}": "5"})
    scores = dict(Score.objects.filter(application=mine).values_list("criterion_id", "value"))
    assert scores[criteria[0].pk] == 5
    assert len(scores) == len(criteria)
    host.post(url, {"form": "interview", "organisation": world.organisation_a.pk})
    host.post(url, {"form": "interview", "organisation": world.organisation_a.pk})
    assert InterviewRequest.objects.filter(application=mine).count() == 1
    # Host A cannot ask on behalf of organisation B.
    host.post(url, {"form": "interview", "organisation": world.organisation_b.pk})
    assert not InterviewRequest.objects.filter(organisation=world.organisation_b).exists()
    pipeline = world.client_for("coordinator").get(
        reverse("recruitment:pipeline", args=[world.program.slug])
    )
    row = next(a for a in pipeline.context["page"] if a.pk == mine.pk)
    assert row.average_score == pytest.approx((5 + 4 * (len(criteria) - 1)) / len(criteria))


# ----------------------------------------------------------------- recruitment days


def test_recruitment_days_are_scheduled_and_exported(world: World, position: Position) -> None:
    client = world.client_for("coordinator")
    round_ = position.round
    url = reverse("recruitment:interviews", args=[world.program.slug, round_.pk])
    applications = [make_application(world.program, world.cohort, [position])[0] for _ in range(3)]
    for application in applications:
        InterviewRequest.objects.create(application=application, organisation=world.organisation_a)
    InterviewRequest.objects.create(application=applications[0], organisation=world.organisation_b)
    assert (
        client.post(
            url, {"form": "day", "date": "2027-03-10", "starts_at": "09:00", "ends_at": "10:00"}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "form": "plan",
                "rooms": "2",
                "slot_minutes": "20",
                "candidate_break_slots": "1",
                "max_per_candidate_per_day": "4",
                "location": "Scandic Hamar",
            },
        ).status_code
        == 302
    )
    plan = interviews.plan_ensure(round_)
    slots = [slot.id for slot in interviews.slots_of(plan)]
    assert slots == ["20270310-0900", "20270310-0920", "20270310-0940"]
    # Host A cannot take the first slot.
    client.post(
        url,
        {"form": "unavailable", "party": f"h{world.organisation_a.pk}", "slots": [slots[0]]},
    )
    response = client.post(url, {"form": "run"})
    assert response.status_code == 200
    placed = {i.request.organisation_id: [] for i in interviews.Interview.objects.all()}
    for interview in interviews.Interview.objects.select_related("request"):
        placed[interview.request.organisation_id].append(interview.slot)
    # Host A: three candidates, two free slots → two placed, one explained as unplaced.
    assert sorted(placed[world.organisation_a.pk]) == slots[1:]
    assert len(response.context["unplaced"]) == 1
    plan.refresh_from_db()
    assert plan.last_status == "optimal"
    first = applications[0]
    first_slots = interviews.Interview.objects.filter(request__application=first)
    if first_slots.count() == 2:  # a break of one slot between a candidate's interviews
        a, b = sorted(first_slots.values_list("slot", flat=True))
        assert slots.index(b) - slots.index(a) >= 2

    host_home = world.client_for("host_a").get(
        reverse("recruitment:host_home", args=[world.program.slug])
    )
    assert len(host_home.context["interviews"]) == 2
    host_b_home = world.client_for("host_b").get(
        reverse("recruitment:host_home", args=[world.program.slug])
    )
    assert [i.request.organisation_id for i in host_b_home.context["interviews"]] == [
        world.organisation_b.pk
    ]
    host_ics = world.client_for("host_a").get(
        reverse("recruitment:host_calendar", args=[world.program.slug, world.organisation_a.pk])
    )
    assert host_ics.status_code == 200
    assert host_ics.content.count(b"BEGIN:VEVENT") == 2
    assert b"Scandic Hamar" in host_ics.content
    day = plan.days.get()
    printed = client.get(
        reverse("recruitment:interview_day_print", args=[world.program.slug, day.pk])
    )
    assert printed.content.decode().count("<tr>") >= 3
    placed_candidate = interviews.Interview.objects.filter(
        request__organisation=world.organisation_a
    ).first()
    assert placed_candidate is not None
    candidate = placed_candidate.request.application
    candidate_ics = client.get(
        reverse("recruitment:candidate_calendar", args=[world.program.slug, candidate.pk])
    )
    assert b"BEGIN:VEVENT" in candidate_ics.content
    assert b"TZID=Europe/Oslo" in candidate_ics.content


def test_a_day_shorter_than_a_slot_is_refused(world: World, position: Position) -> None:
    url = reverse("recruitment:interviews", args=[world.program.slug, position.round.pk])
    response = world.client_for("coordinator").post(
        url, {"form": "day", "date": "2027-03-10", "starts_at": "09:00", "ends_at": "09:10"}
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["day_form"].errors
    assert not interviews.InterviewDay.objects.exists()


def test_scheduling_without_requests_says_why(world: World, position: Position) -> None:
    plan = interviews.plan_ensure(position.round)
    interviews.day_add(plan=plan, day=date(2027, 3, 10), starts_at=time(9), ends_at=time(10))
    with pytest.raises(ValidationError):
        interviews.schedule_run(plan=plan)


def test_removing_a_day_removes_its_interviews_and_unavailability(
    world: World, position: Position
) -> None:
    plan = interviews.plan_ensure(position.round)
    kept = interviews.day_add(plan=plan, day=date(2027, 3, 10), starts_at=time(9), ends_at=time(10))
    removed = interviews.day_add(
        plan=plan, day=date(2027, 3, 11), starts_at=time(9), ends_at=time(10)
    )
    application, _token = make_application(world.program, world.cohort, [position])
    request = InterviewRequest.objects.create(
        application=application, organisation=world.organisation_a
    )
    kept_slot, removed_slot = (interviews.slots_of(plan, [day])[0] for day in (kept, removed))
    interviews.unavailability_set(
        plan=plan, slot_ids=[kept_slot.id, removed_slot.id], organisation=world.organisation_a
    )
    interviews.Interview.objects.create(
        request=request,
        slot=removed_slot.id,
        starts_at=removed_slot.starts_at,
        ends_at=removed_slot.ends_at,
    )
    url = reverse("recruitment:interview_day_delete", args=[world.program.slug, removed.pk])
    client = world.client_for("coordinator")
    assert client.get(url).status_code == 200  # the confirmation page
    assert interviews.InterviewDay.objects.count() == 2
    assert client.post(url).status_code == 302
    assert list(plan.days.all()) == [kept]
    assert not interviews.Interview.objects.exists()
    assert list(plan.unavailable.values_list("slot", flat=True)) == [kept_slot.id]


# -------------------------------------------------------------------------- offers


def test_an_accepted_offer_creates_the_trainee_with_placements(world: World, round_: Round) -> None:
    track = make_position(round_, [world.organisation_b, world.organisation_a, None])
    application, token = make_application(
        world.program, world.cohort, [track], home_municipality_id="3403"
    )
    client = world.client_for("coordinator")
    response = client.post(
        reverse("recruitment:offer_create", args=[world.program.slug, application.pk]),
        {"position": track.pk, "starts_on": "2025-08-15"},
    )
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.salary == world.cohort.common_salary
    application.refresh_from_db()
    assert application.stage.key == "offer"
    page = Client().get(f"/apply/{token}/")
    assert page.context["offer_open"]
    Client().post(f"/apply/{token}/offer/", {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    trainee = Trainee.objects.get(email=application.email)
    assert trainee.cohort == world.cohort
    assert offer.trainee == trainee
    assert trainee.home_municipality_id == "3403"
    assert trainee.discipline == "economics"
    placements = Placement.objects.filter(trainee=trainee).order_by("period__number")
    assert [(p.period.number, p.organisation_id) for p in placements] == [
        (1, world.organisation_b.pk),
        (2, world.organisation_a.pk),
    ]
    application.refresh_from_db()
    assert application.stage.key == "accepted"
    # Answering twice changes nothing.
    Client().post(f"/apply/{token}/offer/", {"answer": "decline"})
    offer.refresh_from_db()
    assert offer.status == OfferStatus.ACCEPTED
    assert Trainee.objects.filter(email=application.email).count() == 1


def test_a_declined_offer_creates_no_trainee(world: World, position: Position) -> None:
    application, token = make_application(world.program, world.cohort, [position])
    services.offer_make(application=application, position=position, starts_on=date(2025, 8, 15))
    Client().post(f"/apply/{token}/offer/", {"answer": "decline"})
    application.refresh_from_db()
    assert application.stage.key == "declined"
    assert not Trainee.objects.filter(email=application.email).exists()


def test_an_offer_is_for_a_position_the_applicant_chose(
    world: World, round_: Round, position: Position
) -> None:
    other = make_position(round_, [world.organisation_b], title="Annen")
    application, _ = make_application(world.program, world.cohort, [position])
    with pytest.raises(ValidationError):
        services.offer_make(application=application, position=other, starts_on=date(2025, 8, 15))
    assert not Offer.objects.exists()


# -------------------------------------------------------------------------- figures


def test_figures_count_positions_sources_origin_and_the_funnel(
    world: World, round_: Round, position: Position
) -> None:
    inside, _ = make_application(
        world.program, world.cohort, [position], home_municipality_id="3403", source="fair"
    )
    make_application(
        world.program, world.cohort, [position], home_municipality_id="0301", source="fair"
    )
    make_application(world.program, world.cohort, [position], source="social")
    services.application_move(
        application=inside, stage=Stage.objects.get(program=world.program, key="screened")
    )
    response = world.client_for("board").get(
        reverse("recruitment:figures", args=[world.program.slug])
    )
    assert response.status_code == 200
    charts = {chart.key: chart for chart in response.context["charts"]}
    assert [(b.label, b.value) for b in charts["positions"].bars] == [("Trainee i energi", 3)]
    assert [b.value for b in charts["origin"].bars] == [1, 1, 1]
    assert sorted(b.value for b in charts["sources"].bars) == [1, 2]
    funnel = [(b.value, b.note) for b in charts["funnel"].bars[:2]]
    assert funnel[0][0] == 3 and funnel[1][0] == 1
    assert "33" in funnel[1][1]
    content = response.content.decode()
    assert content.count("<svg") == 5
    assert '<title id="chart-origin-title">' in content


# ------------------------------------------------------------------ data protection


def test_purge_anonymises_unsuccessful_applications_after_retention(
    world: World, position: Position, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    rejected, _ = make_application(world.program, world.cohort, [position], documents=True)
    kept, _ = make_application(world.program, world.cohort, [position], documents=True)
    services.applications_bulk(
        program=world.program, application_ids=[rejected.pk], reject_reason="Nei"
    )
    document = rejected.documents.get()
    path = document.file.path
    # An open application's clock starts at the cohort start (2025, long past here); an
    # accepted one is never purged.
    services.offer_make(application=kept, position=position, starts_on=date(2025, 8, 15))
    services.offer_answer(application=kept, accept=True)
    retention = services.settings_for(world.program).retention_days
    closed = timezone.now()
    assert services.applications_purge(now=closed + timedelta(days=retention - 1)) == 0
    out = StringIO()
    call_command("purge_applications", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "0 application(s) would be anonymised."
    # The files go when the anonymisation is committed.
    with django_capture_on_commit_callbacks(execute=True):
        count = services.applications_purge(now=closed + timedelta(days=retention + 1))
    assert count == 1
    rejected.refresh_from_db()
    assert rejected.anonymised_at is not None
    assert rejected.first_name == "" and rejected.phone == ""
    assert rejected.email.startswith("anonymised-")
    assert not rejected.documents.exists()
    assert not rejected.educations.exists()
    assert not os.path.exists(path)
    kept.refresh_from_db()
    assert kept.anonymised_at is None
    assert kept.documents.exists()


# ------------------------------------------------------------------ pages and panel


def test_dashboard_panel_for_coordinator_and_host(world: World, position: Position) -> None:
    make_application(world.program, world.cohort, [position])
    url = reverse("core:dashboard", args=[world.program.slug])
    coordinator = world.client_for("coordinator").get(url)
    panels = [p for p in coordinator.context["panels"] if p.template == "recruitment/_panel.html"]
    assert len(panels) == 1
    assert [count for _name, count in panels[0].context["stages"]] == [1]
    host_a = world.client_for("host_a").get(url)
    host_panel = next(p for p in host_a.context["panels"] if "recruitment" in p.template)
    assert host_panel.context["candidates"] == 1
    host_b = world.client_for("host_b").get(url)
    host_b_panel = next(p for p in host_b.context["panels"] if "recruitment" in p.template)
    assert host_b_panel.context["candidates"] == 0
    trainee = world.client_for("trainee").get(url)
    assert not [p for p in trainee.context["panels"] if "recruitment" in p.template]


def test_settings_page_saves_stages_criteria_and_retention(world: World) -> None:
    url = reverse("recruitment:settings", args=[world.program.slug])
    client = world.client_for("coordinator")
    response = client.post(
        url,
        {
            "stages": "Telefonintervju\nCase",
            "criteria": "Faglig\nMotivasjon",
            "retention_days": "180",
            "rejection_template": "Hei {name}",
        },
    )
    assert response.status_code == 302
    stages = list(Stage.objects.filter(program=world.program).values_list("name", flat=True))
    assert stages[1:3] == ["Telefonintervju", "Case"]
    assert len(stages) == 7
    settings_row = services.settings_for(world.program)
    assert settings_row.retention_days == 180
    assert settings_row.rejection_template == "Hei {name}"
    bad = client.post(url, {"stages": "", "criteria": "", "retention_days": "0"})
    assert bad.status_code == 200
    assert {"criteria", "retention_days"} <= set(bad.context["form"].errors)


def test_coordinator_opens_a_round_once_per_cohort(world: World) -> None:
    url = reverse("recruitment:round_create", args=[world.program.slug])
    client = world.client_for("coordinator")
    response = client.post(url, {"cohort": world.cohort.pk, "needs_deadline": "2026-12-01"})
    assert response.status_code == 302
    assert Round.objects.filter(cohort=world.cohort).count() == 1
    again = client.post(url, {"cohort": world.cohort.pk, "needs_deadline": "2026-12-01"})
    assert again.status_code == 200
    assert "cohort" in again.context["form"].errors
    other = client.post(url, {"cohort": world.other_cohort.pk, "needs_deadline": "2026-12-01"})
    assert "cohort" in other.context["form"].errors
    assert not Round.objects.filter(cohort=world.other_cohort).exists()
