"""Reads for the follow-up, always starting from the programme.

The statistics are computed by the pure core (``settlement.py``); these functions feed it
plain rows fetched with ``values_list`` in a fixed number of queries, whatever the size.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.http import Http404

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Municipality, MunicipalityChange, Program, RoleKind
from traineenett.core.municipalities import Change, ChangeHistory
from traineenett.core.permissions import ProgramAccess
from traineenett.followup.models import Alumnus, EmploymentObservation, ResidenceObservation
from traineenett.followup.settlement import (
    AlumnusRecord,
    Catchment,
    HorizonFigures,
    SettlementFigures,
    add_figures,
    settlement,
)


def sees_small_cells(access: ProgramAccess) -> bool:
    """The programme's own people see every figure; an analyst sees aggregates only
    (counts under 5 suppressed), in the reports and in the survey's counts alike."""
    return any(role in (RoleKind.COORDINATOR, RoleKind.BOARD) for role in access.roles)


@dataclass(frozen=True)
class Register:
    """The municipality register and change history, loaded once per report."""

    history: ChangeHistory
    change_dates: tuple[date, ...]

    def catchment(self, codes: Iterable[str], as_of: date) -> Catchment:
        return Catchment(codes, self.history, as_of, self.change_dates)


def municipality_register() -> Register:
    changes = [
        Change(changed_on=day, old_code=old, new_code=new)
        for old, new, day in MunicipalityChange.objects.values_list(
            "old_code", "new_code", "changed_on"
        )
    ]
    return Register(
        ChangeHistory(Municipality.objects.values_list("number", flat=True), changes),
        tuple(sorted({change.changed_on for change in changes})),
    )


def catchment_codes(program_ids: Sequence[int]) -> dict[int, set[str]]:
    codes: dict[int, set[str]] = defaultdict(set)
    through = Program.catchment.through
    for program_id, number in through.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "municipality_id"
    ):
        codes[program_id].add(number)
    return codes


@dataclass(frozen=True)
class ProgramRecords:
    """Alumni of one programme as plain records, with their cohort and programme."""

    program_id: int
    records: list[AlumnusRecord]
    cohort_of: list[int]  # cohort id per record, same order


def alumni_records(program_ids: Sequence[int]) -> dict[int, ProgramRecords]:
    """Every alumnus of the programmes with their residence observations: two queries."""
    observations: dict[int, list[Any]] = defaultdict(list)
    # Rows go to the core as they come: (date, number, alumnus id) needs no new objects.
    # In the order recorded: of two observations on the same day the later one counts.
    for row in (
        ResidenceObservation.objects.filter(alumnus__program_id__in=program_ids)
        .order_by("pk")
        .values_list("observed_on", "municipality_number", "alumnus_id")
    ):
        observations[row[2]].append(row)
    result = {pk: ProgramRecords(pk, [], []) for pk in program_ids}
    rows = (
        Alumnus.objects.filter(program_id__in=program_ids)
        .order_by("pk")
        .values_list(
            "pk", "program_id", "cohort_id", "cohort__label", "program_end", "offered_job", "origin"
        )
    )
    for pk, program_id, cohort_id, label, program_end, offered_job, origin in rows:
        target = result[program_id]
        target.records.append(
            AlumnusRecord(
                program_end=program_end,
                offered_job=offered_job,
                observations=observations.get(pk, ()),
                origin=origin,
                group=label,
            )
        )
        target.cohort_of.append(cohort_id)
    return result


@dataclass(frozen=True)
class ProgramReport:
    program: Program
    figures: SettlementFigures


@dataclass(frozen=True)
class Report:
    as_of: date
    programs: list[ProgramReport]
    total: SettlementFigures

    def as_dict(self) -> dict[str, object]:
        """The JSON contract of ``traineenett settlement-report``."""
        return {
            "as_of": self.as_of.isoformat(),
            "programs": [
                {"program": part.program.slug, **part.figures.as_dict()} for part in self.programs
            ],
            "total": self.total.as_dict(),
        }


def settlement_report(programs: Sequence[Program], as_of: date) -> Report:
    """The settlement figures of each programme (its own catchment) and their total."""
    register = municipality_register()
    ids = [program.pk for program in programs]
    codes = catchment_codes(ids)
    records = alumni_records(ids)
    parts = [
        ProgramReport(
            program,
            settlement(records[program.pk].records, register.catchment(codes[program.pk], as_of)),
        )
        for program in programs
    ]
    return Report(as_of, parts, add_figures([part.figures for part in parts]))


def settled_alumni(program: Program, as_of: date, years: int = 3) -> HorizonFigures:
    """Eligible, known and resident alumni of ``program`` ``years`` after programme end,
    as of ``as_of`` (for the finance app's reporting to funders)."""
    register = municipality_register()
    codes = catchment_codes([program.pk])[program.pk]
    records = alumni_records([program.pk])[program.pk].records
    figures = settlement(records, register.catchment(codes, as_of), horizons=(years,))
    return figures.horizons[0]


# ------------------------------------------------------------------------- lists, detail


def alumni_of_program(program: Program, *, cohort_id: int | None = None) -> QuerySet[Alumnus]:
    alumni = (
        Alumnus.objects.filter(program=program)
        .select_related("cohort")
        .annotate(
            residence_count=Count("residences", distinct=True),
            last_observed_on=Max("residences__observed_on"),
        )
        .order_by("-program_end", "person")
    )
    if cohort_id:
        alumni = alumni.filter(cohort_id=cohort_id)
    return alumni


def alumnus_of_program(program: Program, pk: int) -> Alumnus:
    alumnus = Alumnus.objects.filter(program=program, pk=pk).select_related("cohort").first()
    if alumnus is None:
        raise Http404
    return alumnus


def residences_of(alumnus: Alumnus) -> QuerySet[ResidenceObservation]:
    return alumnus.residences.order_by("-observed_on", "-pk")


def employments_of(alumnus: Alumnus) -> QuerySet[EmploymentObservation]:
    return alumnus.employments.order_by("-observed_on", "-pk")


def followed_cohorts(program: Program) -> QuerySet[Cohort]:
    """The programme's cohorts that have alumni, oldest first."""
    return (
        Cohort.objects.filter(program=program, alumni__isnull=False)
        .annotate(alumni_count=Count("alumni"))
        .order_by("starts_on")
    )
