"""The settlement table in the 2011 evaluation's layout, with small-cell suppression.

Pure Python (no Django). Layout: label | alumni | offered a job | resident at the end |
after 1 | 2 | 3 years. Each share cell carries its numerator and denominator.

Suppression (for the analyst, who sees aggregates only), threshold ``MIN_CELL`` = 5:

- a count below 5 is not shown (``"<5"``);
- a share cell shows its denominator only when it is at least 5, and its numerator and
  share only when both the numerator and the rest (denominator − numerator) are at
  least 5 — otherwise the share together with the denominator would reveal the small
  count;
- a total cell is suppressed when any of the cells it sums is suppressed, so no
  suppressed cell can be recovered as the total minus the cells shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from traineenett.followup.settlement import SettlementFigures

MIN_CELL = 5


@dataclass(frozen=True)
class Count:
    value: int
    suppressed: bool = False


@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator``; ``eligible`` for horizons (None for offered job)."""

    numerator: int
    denominator: int
    eligible: int | None = None
    numerator_suppressed: bool = False
    denominator_suppressed: bool = False

    @property
    def share(self) -> float | None:
        if self.numerator_suppressed or not self.denominator:
            return None
        return self.numerator / self.denominator

    @property
    def conservative_share(self) -> float | None:
        if self.numerator_suppressed or not self.eligible:
            return None
        return self.numerator / self.eligible

    @property
    def suppressed(self) -> bool:
        return self.numerator_suppressed or self.denominator_suppressed


@dataclass(frozen=True)
class Row:
    label: str
    alumni: Count
    offered_job: Share
    horizons: tuple[Share, ...]

    @property
    def cells(self) -> tuple[Share, ...]:
        return (self.offered_job, *self.horizons)


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    total: Row | None
    suppressed: bool = False  # whether small-cell suppression was applied


def row_of(label: str, figures: SettlementFigures) -> Row:
    return Row(
        label=label,
        alumni=Count(figures.alumni),
        offered_job=Share(figures.offered_job.yes, figures.offered_job.known),
        horizons=tuple(Share(h.resident, h.known, h.eligible) for h in figures.horizons),
    )


def suppress_share(cell: Share) -> Share:
    small_denominator = cell.denominator < MIN_CELL
    small_numerator = (
        small_denominator
        or cell.numerator < MIN_CELL
        or cell.denominator - cell.numerator < MIN_CELL
    )
    return replace(
        cell,
        numerator_suppressed=small_numerator,
        denominator_suppressed=small_denominator,
        eligible=None,  # eligible − known would reveal the unknown: not shown suppressed
    )


def suppress_row(row: Row) -> Row:
    return Row(
        label=row.label,
        alumni=Count(row.alumni.value, suppressed=row.alumni.value < MIN_CELL),
        offered_job=suppress_share(row.offered_job),
        horizons=tuple(suppress_share(cell) for cell in row.horizons),
    )


def suppress_total(total: Row, rows: Sequence[Row]) -> Row:
    """Suppress a total cell whenever a cell it sums is suppressed (or it is small)."""
    own = suppress_row(total)

    def column(index: int, cell: Share) -> Share:
        parts = [row.cells[index] for row in rows]
        return replace(
            cell,
            numerator_suppressed=cell.numerator_suppressed
            or any(part.numerator_suppressed for part in parts),
            denominator_suppressed=cell.denominator_suppressed
            or any(part.denominator_suppressed for part in parts),
        )

    cells = [column(index, cell) for index, cell in enumerate(own.cells)]
    alumni_hidden = own.alumni.suppressed or any(row.alumni.suppressed for row in rows)
    return Row(
        label=own.label,
        alumni=Count(own.alumni.value, suppressed=alumni_hidden),
        offered_job=cells[0],
        horizons=tuple(cells[1:]),
    )


def build_table(
    parts: Sequence[tuple[str, SettlementFigures]],
    total: tuple[str, SettlementFigures] | None = None,
    *,
    suppress: bool = False,
) -> Table:
    rows = [row_of(label, figures) for label, figures in parts]
    total_row = row_of(*total) if total else None
    if not suppress:
        return Table(tuple(rows), total_row)
    hidden = [suppress_row(row) for row in rows]
    return Table(
        tuple(hidden),
        suppress_total(total_row, hidden) if total_row else None,
        suppressed=True,
    )


def flat_header(horizon_labels: Sequence[str]) -> list[str]:
    """Column keys of the CSV/Excel export."""
    header = ["label", "alumni", "offered_job_yes", "offered_job_known", "offered_job_share"]
    for label in horizon_labels:
        header += [f"{label}_resident", f"{label}_known", f"{label}_eligible", f"{label}_share"]
    return header


SUPPRESSED = "<5"


def flat_row(row: Row) -> list[object]:
    """One export row: numbers, None for an empty share, "<5" for a suppressed cell."""

    def number(value: int | None, hidden: bool) -> object:
        return SUPPRESSED if hidden else value

    values: list[object] = [
        row.label,
        number(row.alumni.value, row.alumni.suppressed),
        number(row.offered_job.numerator, row.offered_job.numerator_suppressed),
        number(row.offered_job.denominator, row.offered_job.denominator_suppressed),
        SUPPRESSED if row.offered_job.numerator_suppressed else row.offered_job.share,
    ]
    for cell in row.horizons:
        values += [
            number(cell.numerator, cell.numerator_suppressed),
            number(cell.denominator, cell.denominator_suppressed),
            "" if cell.eligible is None else cell.eligible,
            SUPPRESSED if cell.numerator_suppressed else cell.share,
        ]
    return values
