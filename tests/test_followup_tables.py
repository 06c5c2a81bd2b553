"""The analyst's suppression of small cells (followup/tables.py, pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from traineenett.followup.settlement import HorizonFigures, OfferedJob, SettlementFigures
from traineenett.followup.tables import (
    SUPPRESSED,
    WITHHELD,
    ColumnMask,
    Row,
    build_table,
    flat_row,
)


def figures(alumni: int, resident: int, known: int | None = None) -> SettlementFigures:
    """``alumni`` all eligible; ``known`` of them with a residence, ``resident`` inside."""
    known = alumni if known is None else known
    return SettlementFigures(
        alumni=alumni,
        offered_job=OfferedJob(known=alumni, yes=resident),
        horizons=tuple(HorizonFigures(years, alumni, known, resident) for years in range(4)),
    )


def test_a_share_is_shown_only_when_its_count_and_the_rest_are_at_least_5() -> None:
    table = build_table(
        [("a", figures(12, 7)), ("b", figures(12, 3)), ("c", figures(12, 9)), ("d", figures(4, 4))],
        suppress=True,
        public_rows=True,
    )
    a, b, c, d = table.rows
    assert a.horizons[0].share == 7 / 12 and not a.horizons[0].suppressed
    assert b.horizons[0].numerator_suppressed and not b.horizons[0].denominator_suppressed
    assert c.horizons[0].numerator_suppressed  # 9 of 12: the 3 not resident are too few
    assert d.alumni.suppressed and d.horizons[0].denominator_suppressed
    assert a.horizons[0].eligible is None  # eligible − known would reveal the unknown


def test_a_breakdown_hides_a_column_in_every_row_when_one_cell_is_small() -> None:
    table = build_table(
        [("Kull 2016", figures(4, 3)), ("Kull 2018", figures(12, 7))],
        ("Programme", figures(16, 10)),
        suppress=True,
    )
    small, big = table.rows
    assert small.alumni.suppressed and not small.alumni.withheld
    assert big.alumni.suppressed and big.alumni.withheld  # 12, hidden to protect the 4
    assert big.horizons[0].denominator_withheld and big.horizons[0].share is None
    total = table.total
    assert total is not None
    assert not total.alumni.suppressed and total.horizons[0].share == 10 / 16
    rows = [flat_row(row) for row in table.rows]
    assert rows[0][1] == SUPPRESSED and rows[1][1] == WITHHELD


def test_a_breakdown_without_small_cells_is_shown_whole() -> None:
    table = build_table([("a", figures(12, 7)), ("b", figures(10, 5))], suppress=True)
    assert not any(cell.suppressed for row in table.rows for cell in row.cells)
    assert table.mask == ColumnMask(False, (False,) * 5, (False,) * 5)


def test_columns_hidden_elsewhere_are_hidden_too() -> None:
    hidden_h3 = ColumnMask(False, (False, False, False, False, True), (False,) * 5)
    table = build_table([("a", figures(12, 7)), ("b", figures(10, 5))], also_hide=hidden_h3)
    assert not table.rows[0].horizons[3].suppressed  # not the analyst: nothing hidden
    table = build_table(
        [("a", figures(12, 7)), ("b", figures(10, 5))], suppress=True, also_hide=hidden_h3
    )
    assert all(row.horizons[3].numerator_withheld for row in table.rows)
    assert not any(row.horizons[2].suppressed for row in table.rows)


def test_on_the_benchmark_the_total_hides_what_any_programme_hides() -> None:
    table = build_table(
        [("A", figures(12, 7)), ("B", figures(9, 3))],
        ("All", figures(21, 10)),
        suppress=True,
        public_rows=True,
    )
    assert table.rows[0].horizons[0].share == 7 / 12  # a programme's own total is public
    total = table.total
    assert total is not None
    assert total.horizons[0].numerator_withheld and not total.alumni.suppressed


def shown_numbers(row: Row) -> list[int]:
    values = [] if row.alumni.suppressed else [row.alumni.value]
    for cell in row.cells:
        if not cell.denominator_suppressed:
            values.append(cell.denominator)
        if not cell.numerator_suppressed:
            values += [cell.numerator, cell.denominator - cell.numerator]
    return values


groups = st.lists(
    st.integers(min_value=0, max_value=30).flatmap(
        lambda alumni: st.tuples(st.just(alumni), st.integers(min_value=0, max_value=alumni))
    ),
    min_size=1,
    max_size=5,
)


@given(groups)
def test_no_small_cell_is_shown_or_recoverable_from_the_total(parts: list[tuple[int, int]]) -> None:
    rows = [
        (str(index), figures(alumni, resident)) for index, (alumni, resident) in enumerate(parts)
    ]
    total = figures(sum(a for a, _r in parts), sum(r for _a, r in parts))
    table = build_table(rows, ("total", total), suppress=True)
    assert table.total is not None
    for row in (*table.rows, table.total):
        assert all(value >= 5 for value in shown_numbers(row))
    # In every column either no row is hidden, or every row is: the total minus the rows
    # shown never gives a hidden cell.
    columns = [[row.alumni.suppressed for row in table.rows]]
    for index in range(5):
        columns.append([row.cells[index].numerator_suppressed for row in table.rows])
        columns.append([row.cells[index].denominator_suppressed for row in table.rows])
    for column in columns:
        assert all(column) or not any(column)
