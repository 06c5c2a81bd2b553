"""Reads for the alumni survey, always starting from the programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from traineenett.core.models import Municipality, Program
from traineenett.core.permissions import MANAGE_FOLLOWUP, ProgramAccess
from traineenett.followup.selectors import sees_small_cells
from traineenett.followup.tables import MIN_CELL
from traineenett.surveys.models import Answer, Wave


def may_see_answers(access: ProgramAccess) -> bool:
    """Answers, one row per person, are for the coordinator only; the board and the
    analyst see rates (the analyst with counts under 5 suppressed)."""
    return access.can(MANAGE_FOLLOWUP)


def counts_suppressed(access: ProgramAccess) -> bool:
    """The analyst sees aggregates only: no count under 5 (the programme's own people do)."""
    return not sees_small_cells(access)


@dataclass(frozen=True)
class WaveCounts:
    """A wave's counts as shown: None for a count hidden because it is under 5 (or would
    reveal one), for the analyst."""

    invited: int | None
    answered: int | None
    opted_out: int | None
    response_percent: float | None


def wave_counts(wave: Wave, *, suppress: bool) -> WaveCounts:
    invited = getattr(wave, "invited", 0)
    answered = getattr(wave, "answered", 0)
    opted_out = getattr(wave, "opted_out", 0)
    percent = response_percent(wave)
    if not suppress or not invited:  # nobody invited: no one to protect
        return WaveCounts(invited, answered, opted_out, percent)
    rate_hidden = answered < MIN_CELL or invited - answered < MIN_CELL
    return WaveCounts(
        invited=None if invited < MIN_CELL else invited,
        answered=None if rate_hidden else answered,
        opted_out=None if opted_out < MIN_CELL or invited - opted_out < MIN_CELL else opted_out,
        response_percent=None if rate_hidden else percent,
    )


def waves_of_program(program: Program) -> QuerySet[Wave]:
    """Every wave with its counts (invited, answered, opted out), in one query."""
    return (
        Wave.objects.filter(program=program)
        .select_related("cohort")
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count(
                "invitations", filter=Q(invitations__answered_at__isnull=False), distinct=True
            ),
            opted_out=Count(
                "invitations",
                filter=Q(invitations__alumnus__survey_opt_out__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-cohort__starts_on", "cohort__label", "horizon_years")
    )


def wave_of_program(program: Program, pk: int) -> Wave:
    wave = waves_of_program(program).filter(pk=pk).first()
    if wave is None:
        raise Http404
    return wave


@dataclass(frozen=True)
class CohortWaves:
    cohort_label: str
    cohort_ends_on: date
    waves: list[Wave]


def waves_by_cohort(program: Program, *, suppress: bool = False) -> list[CohortWaves]:
    groups: dict[int, CohortWaves] = {}
    for wave in waves_of_program(program):
        wave.counts = wave_counts(wave, suppress=suppress)  # type: ignore[attr-defined]
        group = groups.setdefault(
            wave.cohort_id, CohortWaves(wave.cohort.label, wave.cohort.ends_on, [])
        )
        group.waves.append(wave)
    return list(groups.values())


def response_percent(wave: Wave) -> float | None:
    """Answered / invited × 100 (None when nobody is invited yet)."""
    invited = getattr(wave, "invited", 0)
    return 100 * getattr(wave, "answered", 0) / invited if invited else None


def answers_of_wave(wave: Wave) -> QuerySet[Answer]:
    return Answer.objects.filter(program=wave.program, wave=wave).order_by("panel_id")


def municipality_names(numbers: set[str]) -> dict[str, str]:
    return dict(Municipality.objects.filter(number__in=numbers).values_list("number", "name"))


def current_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name").only("number", "name")
