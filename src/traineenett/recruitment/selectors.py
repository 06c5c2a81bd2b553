"""Reads for recruitment, always starting from the programme."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, Lower, RowNumber
from django.http import Http404
from django.utils import timezone

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.core.permissions import HOST_RECRUITMENT, MANAGE_RECRUITMENT, ProgramAccess
from traineenett.members.models import Organisation
from traineenett.recruitment.models import (
    Application,
    Choice,
    CompetenceNeed,
    Document,
    Interview,
    InterviewDay,
    Position,
    PositionHost,
    Round,
    Score,
    Stage,
)


@dataclass(frozen=True)
class HostNeed:
    """A host's competence needs for a cohort (used by the rotation planner)."""

    organisation_id: int
    disciplines: tuple[str, ...]
    period_numbers: tuple[int, ...]
    places: int


def host_needs(cohort: Cohort) -> list[HostNeed]:
    """The competence needs submitted in the cohort's round, one per host organisation."""
    needs = CompetenceNeed.objects.filter(round__cohort=cohort).order_by("organisation_id")
    return [
        HostNeed(
            organisation_id=need.organisation_id,
            disciplines=tuple(need.disciplines),
            period_numbers=tuple(int(n) for n in need.period_numbers),
            places=need.places,
        )
        for need in needs
    ]


# --------------------------------------------------------------- rounds and positions


def rounds_of_program(program: Program) -> QuerySet[Round]:
    return (
        Round.objects.filter(program=program)
        .select_related("cohort")
        .annotate(
            position_count=Count("positions", distinct=True),
            need_count=Count("needs", distinct=True),
        )
        .order_by("-cohort__starts_on")
    )


def round_of_program(program: Program, pk: int) -> Round:
    found = Round.objects.filter(program=program, pk=pk).select_related("cohort", "program").first()
    if found is None:
        raise Http404
    return found


def _hosts_prefetch() -> Prefetch:
    return Prefetch(
        "hosts",
        queryset=PositionHost.objects.select_related("organisation", "organisation__municipality"),
    )


def positions_of_round(round_: Round) -> QuerySet[Position]:
    return (
        round_.positions.prefetch_related(_hosts_prefetch())
        .annotate(applicant_count=Count("choices"))
        .order_by("title")
    )


def position_of_program(program: Program, pk: int) -> Position:
    position = (
        Position.objects.filter(round__program=program, pk=pk)
        .select_related("round", "round__cohort")
        .prefetch_related(_hosts_prefetch())
        .first()
    )
    if position is None:
        raise Http404
    return position


def open_positions(program: Program, today: date | None = None) -> QuerySet[Position]:
    """Published positions whose deadline has not passed: the public job board."""
    today = today or timezone.localdate()
    return (
        Position.objects.filter(
            round__program=program, published_on__isnull=False, deadline__gte=today
        )
        .select_related("round", "round__cohort")
        .prefetch_related(_hosts_prefetch())
        .order_by("deadline", "title")
    )


def published_positions(program: Program) -> QuerySet[Position]:
    """Every published position of the programme, open or past its deadline."""
    return (
        Position.objects.filter(round__program=program, published_on__isnull=False)
        .select_related("round", "round__cohort")
        .order_by("deadline", "title")
    )


def open_position(program: Program, pk: int) -> Position:
    position = open_positions(program).filter(pk=pk).first()
    if position is None:
        raise Http404
    return position


@dataclass(frozen=True)
class NeedsSummary:
    periods: list[int]
    rows: list[tuple[str, list[int], int]]  # discipline, places per period, total places
    total_places: int


def needs_summary(round_: Round) -> NeedsSummary:
    """Places asked for, summed by discipline and period. A need with several disciplines
    counts its places under each discipline (a host may take any of them)."""
    needs = list(round_.needs.all())
    periods = sorted({int(n) for need in needs for n in need.period_numbers}) or [
        p.number for p in round_.cohort.periods.all()
    ]
    table: dict[str, Counter[int]] = {}
    totals: Counter[str] = Counter()
    for need in needs:
        for discipline in need.disciplines:
            counter = table.setdefault(discipline, Counter())
            totals[discipline] += need.places
            for number in need.period_numbers:
                counter[int(number)] += need.places
    rows = [
        (discipline, [table[discipline][p] for p in periods], totals[discipline])
        for discipline in sorted(table)
    ]
    return NeedsSummary(periods, rows, sum(need.places for need in needs))


# ---------------------------------------------------------------------- applications


def stages_of_program(program: Program) -> QuerySet[Stage]:
    return Stage.objects.filter(program=program).order_by("order")


@dataclass(frozen=True)
class PipelineFilter:
    round_id: int | None = None
    stage_id: int | None = None
    position_id: int | None = None
    eligible: str = ""  # "", "yes", "no"
    duplicates: bool = False
    query: str = ""


def _cohort_key(field: str) -> Concat:
    """``"<cohort id>:<value>"``: one string to group and compare by within a cohort."""
    value = Lower(field) if field == "email" else F(field)
    return Concat(
        Cast("cohort_id", output_field=CharField()),
        Value(":"),
        value,
        output_field=CharField(),
    )


def _repeated_keys(program: Program, field: str) -> QuerySet[Application, dict[str, Any]]:
    """A grouped query: the cohort keys of ``field`` that occur more than once."""
    return (
        Application.objects.filter(program=program, anonymised_at__isnull=True)
        .exclude(**{field: ""})
        .annotate(key=_cohort_key(field))
        .order_by()
        .values("key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values("key")
    )


def _is_duplicate(program: Program) -> Q:
    """E-mail (any case) or phone shared with another application in the same cohort.

    Two uncorrelated grouped subqueries that the database computes once (a hashed IN),
    so the check is O(n) rather than comparing every application with every other.
    """
    return Q(email_key__in=Subquery(_repeated_keys(program, "email"))) | Q(
        phone_key__in=Subquery(_repeated_keys(program, "phone"))
    )


def _filtered(program: Program, filters: PipelineFilter) -> QuerySet[Application]:
    applications = Application.objects.filter(program=program, anonymised_at__isnull=True)
    if filters.round_id:
        applications = applications.filter(cohort__round__pk=filters.round_id)
    if filters.stage_id:
        applications = applications.filter(stage_id=filters.stage_id)
    if filters.position_id:
        # EXISTS rather than a join: no repeated rows, so no DISTINCT is needed.
        applications = applications.filter(
            Exists(
                Choice.objects.filter(application=OuterRef("pk"), position_id=filters.position_id)
            )
        )
    if filters.eligible == "yes":
        applications = applications.filter(
            Q(eligibility_override=True) | Q(eligibility_override__isnull=True, eligible=True)
        )
    elif filters.eligible == "no":
        applications = applications.filter(
            Q(eligibility_override=False) | Q(eligibility_override__isnull=True, eligible=False)
        )
    if filters.query:
        applications = applications.filter(
            Q(first_name__icontains=filters.query)
            | Q(last_name__icontains=filters.query)
            | Q(email__icontains=filters.query)
        )
    applications = applications.annotate(
        email_key=_cohort_key("email"), phone_key=_cohort_key("phone")
    ).annotate(is_duplicate=Case(When(_is_duplicate(program), then=True), default=False))
    if filters.duplicates:
        applications = applications.filter(is_duplicate=True)
    return applications


def pipeline(program: Program, filters: PipelineFilter | None = None) -> QuerySet[Application]:
    """Applications with what the list and kanban show, in a constant number of queries."""
    filters = filters or PipelineFilter()
    average = (
        Score.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(average=Avg("value"))
        .values("average")
    )
    return (
        _filtered(program, filters)
        .annotate(average_score=Subquery(average))
        .select_related("stage", "cohort")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.select_related("position").order_by("rank"))
        )
        .order_by("stage__order", "-created_at", "-pk")
    )


def stage_counts(program: Program, filters: PipelineFilter) -> dict[int, int]:
    """How many filtered applications each stage holds, in one grouped query."""
    rows = _filtered(program, filters).order_by().values("stage_id").annotate(n=Count("pk"))
    return {row["stage_id"]: row["n"] for row in rows}


def kanban_cards(
    program: Program, filters: PipelineFilter, per_stage: int
) -> QuerySet[Application]:
    """The newest ``per_stage`` filtered applications of every stage (a window function)."""
    newest_first = Window(
        RowNumber(),
        partition_by=[F("stage_id")],
        order_by=[F("created_at").desc(), F("pk").desc()],
    )
    return (
        pipeline(program, filters)
        .annotate(rank_in_stage=newest_first)
        .filter(rank_in_stage__lte=per_stage)
    )


def application_of_program(program: Program, pk: int) -> Application:
    application = (
        Application.objects.filter(program=program, pk=pk, anonymised_at__isnull=True)
        .select_related("stage", "cohort", "home_municipality", "program")
        .first()
    )
    if application is None:
        raise Http404
    return application


def duplicates_of(application: Application) -> QuerySet[Application]:
    return (
        Application.objects.filter(cohort=application.cohort, anonymised_at__isnull=True)
        .exclude(pk=application.pk)
        .filter(Q(email__iexact=application.email) | (Q(phone=application.phone) & ~Q(phone="")))
    )


def host_candidates(access: ProgramAccess) -> QuerySet[Application]:
    """Applications for positions that include one of the host's organisations."""
    organisations = access.host_organisation_ids
    return (
        Application.objects.filter(
            program=access.program,
            anonymised_at__isnull=True,
            withdrawn_at__isnull=True,
            choices__position__hosts__organisation_id__in=organisations,
        )
        .select_related("stage", "cohort")
        .prefetch_related(
            Prefetch("choices", queryset=Choice.objects.select_related("position").order_by("rank"))
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def host_candidate(access: ProgramAccess, pk: int) -> Application:
    application = host_candidates(access).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def host_organisations_for(
    access: ProgramAccess, application: Application
) -> QuerySet[Organisation]:
    """The host's organisations that appear in the tracks the candidate applied for."""
    return Organisation.objects.filter(
        pk__in=PositionHost.objects.filter(
            position__choices__application=application,
            organisation_id__in=access.host_organisation_ids,
        ).values("organisation_id")
    ).order_by("name")


def document_for(access: ProgramAccess, pk: int) -> Document:
    """A document the user may download: a coordinator any of the programme's; a host
    those of its own candidates; anyone else gets 404."""
    documents = Document.objects.filter(
        application__program=access.program, application__anonymised_at__isnull=True, pk=pk
    )
    if access.can(MANAGE_RECRUITMENT):
        document = documents.first()
    elif access.can(HOST_RECRUITMENT):
        document = documents.filter(application__in=host_candidates(access).values("pk")).first()
    else:
        document = None
    if document is None:
        raise Http404
    return document


def interviews_of_round(round_: Round) -> QuerySet[Interview]:
    return (
        Interview.objects.filter(request__application__cohort=round_.cohort)
        .select_related("request", "request__application", "request__organisation")
        .order_by("starts_at", "request__organisation__name")
    )


def interviews_of_hosts(access: ProgramAccess) -> QuerySet[Interview]:
    """The scheduled interviews of a host's organisations."""
    return (
        Interview.objects.filter(
            request__organisation_id__in=access.host_organisation_ids,
            request__application__program=access.program,
        )
        .select_related("request", "request__application", "request__organisation")
        .order_by("starts_at")
    )


def interview_day_of_program(program: Program, pk: int) -> InterviewDay:
    day = (
        InterviewDay.objects.filter(plan__round__program=program, pk=pk)
        .select_related("plan", "plan__round", "plan__round__cohort")
        .first()
    )
    if day is None:
        raise Http404
    return day


def member_organisation_for(access: ProgramAccess, pk: int) -> Organisation:
    """An organisation of the programme the user may see interviews of (a host: its own)."""
    organisations = Organisation.objects.filter(memberships__program=access.program, pk=pk)
    if not access.can(MANAGE_RECRUITMENT):
        organisations = organisations.filter(pk__in=access.host_organisation_ids)
    organisation = organisations.distinct().first()
    if organisation is None:
        raise Http404
    return organisation
