"""The settlement table in the 2011 evaluation's layout, with small-cell suppression.

Pure Python (no Django). Layout: label | alumni | offered a job | resident at the end |
after 1 | 2 | 3 years. Each share cell carries its numerator and denominator.

Suppression (for the analyst, who sees aggregates only), threshold ``MIN_CELL`` = 5:

- a count below 5 is not shown (``"<5"``);
- a share cell shows its denominator only when it is at least 5, and its numerator and
  share only when both the numerator and the rest (denominator − numerator) are at
  least 5 — otherwise the share together with the denominator would reveal the small
  count;
- a breakdown (cohorts of a programme, origins) sums to a total the analyst can see
  elsewhere (the programme's row on the benchmark), so a column of a breakdown is hidden
  in every row as soon as one of its cells is suppressed: no suppressed cell can be
  recovered as the total minus the cells shown. Cells hidden only for that reason are
  *withheld* (shown as "×", not "<5");
- on the benchmark the programmes' rows are public (each programme's own total), so
  there the all-programmes total is suppressed when any cell it sums is.
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
    withheld: bool = False  # hidden only so that a suppressed cell cannot be recovered


@dataclass(frozen=True)
class Share:
    """``numerator`` of ``denominator``; ``eligible`` for horizons (None for offered job)."""

    numerator: int
    denominator: int
    eligible: int | None = None
    numerator_suppressed: bool = False
    denominator_suppressed: bool = False
    numerator_withheld: bool = False  # hidden only to protect a suppressed cell
    denominator_withheld: bool = False

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
class ColumnMask:
    """Which columns of a breakdown are hidden: the alumni count, and per share cell
    (offered job, then the horizons) its numerator and its denominator."""

    alumni: bool = False
    numerators: tuple[bool, ...] = ()
    denominators: tuple[bool, ...] = ()

    def __or__(self, other: ColumnMask) -> ColumnMask:
        def either(first: tuple[bool, ...], second: tuple[bool, ...]) -> tuple[bool, ...]:
            size = max(len(first), len(second))
            first += (False,) * (size - len(first))
            second += (False,) * (size - len(second))
            return tuple(a or b for a, b in zip(first, second, strict=True))

        return ColumnMask(
            self.alumni or other.alumni,
            either(self.numerators, other.numerators),
            either(self.denominators, other.denominators),
        )


def mask_of(rows: Sequence[Row]) -> ColumnMask:
    """The columns in which any of ``rows`` hides a cell."""
    mask = ColumnMask()
    for row in rows:
        mask = mask | ColumnMask(
            row.alumni.suppressed,
            tuple(cell.numerator_suppressed for cell in row.cells),
            tuple(cell.denominator_suppressed for cell in row.cells),
        )
    return mask


def hide_columns(row: Row, mask: ColumnMask) -> Row:
    """Hide the masked columns of ``row``; cells not suppressed on their own are withheld."""

    def cell(index: int, share: Share) -> Share:
        numerator = index < len(mask.numerators) and mask.numerators[index]
        denominator = index < len(mask.denominators) and mask.denominators[index]
        return replace(
            share,
            numerator_suppressed=share.numerator_suppressed or numerator or denominator,
            denominator_suppressed=share.denominator_suppressed or denominator,
            numerator_withheld=share.numerator_withheld
            or (not share.numerator_suppressed and (numerator or denominator)),
            denominator_withheld=share.denominator_withheld
            or (not share.denominator_suppressed and denominator),
        )

    cells = [cell(index, share) for index, share in enumerate(row.cells)]
    alumni = row.alumni
    if mask.alumni and not alumni.suppressed:
        alumni = Count(alumni.value, suppressed=True, withheld=True)
    return Row(row.label, alumni, cells[0], tuple(cells[1:]))


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    total: Row | None
    suppressed: bool = False  # whether small-cell suppression was applied
    mask: ColumnMask = ColumnMask()  # the columns hidden in every row of a breakdown


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
    return hide_columns(suppress_row(total), mask_of(rows))


def build_table(
    parts: Sequence[tuple[str, SettlementFigures]],
    total: tuple[str, SettlementFigures] | None = None,
    *,
    suppress: bool = False,
    public_rows: bool = False,
    also_hide: ColumnMask | None = None,
) -> Table:
    """The table; with ``suppress`` the analyst's version. By default the rows are a
    breakdown of a total shown elsewhere: a column is hidden in every row when any of its
    cells is (and in the columns of ``also_hide``); the total keeps its own cells. With
    ``public_rows`` (the benchmark, whose rows are each programme's total) the rows keep
    their own cells and the total hides every column a row hides."""
    rows = [row_of(label, figures) for label, figures in parts]
    total_row = row_of(*total) if total else None
    if not suppress:
        return Table(tuple(rows), total_row)
    hidden = [suppress_row(row) for row in rows]
    if public_rows:
        return Table(
            tuple(hidden),
            suppress_total(total_row, hidden) if total_row else None,
            suppressed=True,
            mask=mask_of(hidden),
        )
    mask = mask_of(hidden) | (also_hide or ColumnMask())
    return Table(
        tuple(hide_columns(row, mask) for row in hidden),
        suppress_row(total_row) if total_row else None,
        suppressed=True,
        mask=mask,
    )


def flat_header(horizon_labels: Sequence[str]) -> list[str]:
    """Column keys of the CSV/Excel export."""
    header = ["label", "alumni", "offered_job_yes", "offered_job_known", "offered_job_share"]
    for label in horizon_labels:
        header += [f"{label}_resident", f"{label}_known", f"{label}_eligible", f"{label}_share"]
    return header


SUPPRESSED = "<5"
WITHHELD = "×"


def marker(withheld: bool) -> str:
    """What a hidden cell shows: "<5", or "×" when it is hidden only to protect another."""
    return WITHHELD if withheld else SUPPRESSED


def flat_row(row: Row) -> list[object]:
    """One export row: numbers, None for an empty share, "<5" for a suppressed cell and
    "×" for a cell withheld so that a suppressed one cannot be recovered."""

    def number(value: int | None, hidden: bool, withheld: bool) -> object:
        return marker(withheld) if hidden else value

    def share(cell: Share) -> object:
        if cell.numerator_suppressed:
            return marker(cell.numerator_withheld)
        return cell.share

    offered = row.offered_job
    values: list[object] = [
        row.label,
        number(row.alumni.value, row.alumni.suppressed, row.alumni.withheld),
        number(offered.numerator, offered.numerator_suppressed, offered.numerator_withheld),
        number(offered.denominator, offered.denominator_suppressed, offered.denominator_withheld),
        share(offered),
    ]
    for cell in row.horizons:
        values += [
            number(cell.numerator, cell.numerator_suppressed, cell.numerator_withheld),
            number(cell.denominator, cell.denominator_suppressed, cell.denominator_withheld),
            "" if cell.eligible is None else cell.eligible,
            share(cell),
        ]
    return values
