"""Reads for cohorts, trainees and placements, always starting from the programme."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
from traineenett.core.models import Program
from traineenett.core.permissions import VIEW_OWN_PLAN, ProgramAccess


def cohorts_of_program(program: Program) -> QuerySet[Cohort]:
    return Cohort.objects.filter(program=program).annotate(trainee_count=Count("trainees"))


def cohort_of_program(program: Program, pk: int) -> Cohort:
    cohort = Cohort.objects.filter(program=program, pk=pk).first()
    if cohort is None:
        raise Http404
    return cohort


def _placements_prefetch() -> Prefetch:
    return Prefetch(
        "placements",
        queryset=Placement.objects.select_related("organisation", "period").order_by(
            "period__number"
        ),
    )


@dataclass(frozen=True)
class TimelineRow:
    trainee: Trainee
    cells: list[list[Placement]]  # one list of placements per period, in period order


@dataclass(frozen=True)
class Timeline:
    periods: list[Period]
    rows: list[TimelineRow]


def cohort_timeline(cohort: Cohort) -> Timeline:
    """Each trainee's rotation across the cohort's periods, in three queries."""
    periods = list(cohort.periods.order_by("number"))
    trainees = (
        cohort.trainees.select_related("employer", "home_municipality")
        .prefetch_related(_placements_prefetch())
        .order_by("last_name", "first_name")
    )
    rows = []
    for trainee in trainees:
        by_period: dict[int, list[Placement]] = {}
        for placement in trainee.placements.all():
            by_period.setdefault(placement.period_id, []).append(placement)
        rows.append(TimelineRow(trainee, [by_period.get(period.pk, []) for period in periods]))
    return Timeline(periods, rows)


def trainees_visible_to(
    access: ProgramAccess, *, query: str = "", cohort_id: int | None = None
) -> QuerySet[Trainee]:
    """The trainees a user may see: all (coordinator, board), those placed at the host's
    organisations, or the trainee's own record."""
    trainees = Trainee.objects.filter(program=access.program)
    if not access.sees_all_trainees():
        own = Q(pk__in=[])
        if access.host_organisation_ids:
            own |= Q(placements__organisation_id__in=access.host_organisation_ids)
        if access.user_id is not None and access.can(VIEW_OWN_PLAN):
            own |= Q(user_id=access.user_id)
        trainees = trainees.filter(own)
    if cohort_id:
        trainees = trainees.filter(cohort_id=cohort_id)
    if query:
        trainees = trainees.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(discipline__icontains=query)
        )
    return (
        trainees.select_related("cohort", "employer").distinct().order_by("last_name", "first_name")
    )


def trainee_for(access: ProgramAccess, pk: int) -> Trainee:
    """One trainee the user may see; 404 for anyone else's (or another programme's)."""
    trainee = (
        trainees_visible_to(access)
        .filter(pk=pk)
        .select_related("home_municipality", "user")
        .prefetch_related(_placements_prefetch())
        .first()
    )
    if trainee is None:
        raise Http404
    return trainee


def trainee_of_program(program: Program, pk: int) -> Trainee:
    trainee = Trainee.objects.filter(program=program, pk=pk).select_related("cohort").first()
    if trainee is None:
        raise Http404
    return trainee


def trainees_of_user(program: Program, user_id: int | None) -> QuerySet[Trainee]:
    if user_id is None:
        return Trainee.objects.none()
    return (
        Trainee.objects.filter(program=program, user_id=user_id)
        .select_related("cohort", "employer")
        .prefetch_related(_placements_prefetch(), "cohort__periods")
    )


def placement_of_program(program: Program, pk: int) -> Placement:
    placement = (
        Placement.objects.filter(trainee__program=program, pk=pk)
        .select_related("trainee", "trainee__cohort", "period", "organisation")
        .first()
    )
    if placement is None:
        raise Http404
    return placement


def placements_at_organisations(
    program: Program, organisation_ids: Iterable[int]
) -> QuerySet[Placement]:
    return (
        Placement.objects.filter(
            trainee__program=program, organisation_id__in=list(organisation_ids)
        )
        .select_related("trainee", "trainee__cohort", "period", "organisation")
        .order_by("-period__starts_on", "trainee__last_name")
    )
