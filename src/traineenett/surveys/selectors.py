"""Reads for the alumni survey, always starting from the programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from traineenett.core.models import Municipality, Program
from traineenett.core.permissions import MANAGE_FOLLOWUP, VIEW_BENCHMARK, ProgramAccess
from traineenett.surveys.models import Answer, Wave


def may_see_answers(access: ProgramAccess) -> bool:
    """Answers are for the coordinator and the analyst; the board sees rates only."""
    return access.can(MANAGE_FOLLOWUP) or access.can(VIEW_BENCHMARK)


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


def waves_by_cohort(program: Program) -> list[CohortWaves]:
    groups: dict[int, CohortWaves] = {}
    for wave in waves_of_program(program):
        wave.response_percent = response_percent(wave)  # type: ignore[attr-defined]
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
