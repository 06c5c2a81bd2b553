"""Reads for programmes, people and the municipality register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from traineenett.core.models import (
    AuditEntry,
    Invitation,
    Municipality,
    MunicipalityChange,
    Program,
    Role,
)
from traineenett.core.municipalities import Change, ChangeHistory, Resolution


def programs_for_user(user: Any) -> QuerySet[Program]:
    if not user.is_authenticated:
        return Program.objects.none()
    return Program.objects.filter(roles__user=user).distinct().order_by("name")


def change_history() -> ChangeHistory:
    return ChangeHistory(
        Municipality.objects.values_list("number", flat=True),
        (
            Change(changed_on=d, old_code=o, new_code=n)
            for o, n, d in MunicipalityChange.objects.values_list(
                "old_code", "new_code", "changed_on"
            )
        ),
    )


def municipality_resolve(number: str, reported_on: date, as_of: date | None = None) -> Resolution:
    """Map a municipality number as reported on a date to today's (or as_of's) numbers."""
    return change_history().resolve(number, reported_on, as_of)


def roles_of_program(program: Program) -> QuerySet[Role]:
    return (
        Role.objects.filter(program=program)
        .select_related("user", "organisation")
        .order_by("user__first_name", "user__last_name", "user__email", "kind")
    )


def role_of_program(program: Program, pk: int) -> Role | None:
    return Role.objects.filter(program=program, pk=pk).select_related("user").first()


def open_invitations(program: Program, today: Any) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        program=program, accepted_at__isnull=True, expires_at__gt=today
    ).select_related("organisation", "invited_by")


def audit_entries(program: Program) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(program=program).select_related("actor")


@dataclass(frozen=True)
class CohortFigure:
    pk: int
    label: str
    starts_on: date
    ends_on: date
    trainees: int


@dataclass(frozen=True)
class ProgramFigures:
    finished_cohorts: int
    finished_trainees: int
    current_cohorts: int
    current_trainees: int
    upcoming_cohorts: int
    trainees_total: int
    members: int
    clusters: int
    employees: int
    catchment_municipalities: int
    cohorts: list[CohortFigure]


def program_figures(program: Program, today: date) -> ProgramFigures:
    """The dashboard's key figures, in a fixed number of queries."""
    from traineenett.cohorts.models import Cohort
    from traineenett.members.models import Membership, OrganisationKind

    cohorts = [
        CohortFigure(c.pk, c.label, c.starts_on, c.ends_on, c.trainee_count)
        for c in Cohort.objects.filter(program=program)
        .annotate(trainee_count=Count("trainees"))
        .order_by("starts_on")
    ]
    finished = [c for c in cohorts if c.ends_on < today]
    current = [c for c in cohorts if c.starts_on <= today <= c.ends_on]
    upcoming = [c for c in cohorts if c.starts_on > today]
    active = Membership.objects.filter(program=program, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    member_figures = active.aggregate(
        members=Count(
            "organisation", filter=~Q(organisation__kind=OrganisationKind.CLUSTER), distinct=True
        ),
        clusters=Count(
            "organisation", filter=Q(organisation__kind=OrganisationKind.CLUSTER), distinct=True
        ),
        employees=Sum(
            "organisation__employees", filter=~Q(organisation__kind=OrganisationKind.CLUSTER)
        ),
    )
    return ProgramFigures(
        finished_cohorts=len(finished),
        finished_trainees=sum(c.trainees for c in finished),
        current_cohorts=len(current),
        current_trainees=sum(c.trainees for c in current),
        upcoming_cohorts=len(upcoming),
        trainees_total=sum(c.trainees for c in cohorts),
        members=member_figures["members"] or 0,
        clusters=member_figures["clusters"] or 0,
        employees=member_figures["employees"] or 0,
        catchment_municipalities=program.catchment.count(),
        cohorts=list(reversed(cohorts)),
    )
