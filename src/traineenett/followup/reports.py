"""The report pages' contents: tables, charts and survival curves for one programme,
one cohort, or every programme (the analyst's benchmark, small cells suppressed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.followup import charts
from traineenett.followup.selectors import (
    alumni_records,
    catchment_codes,
    municipality_register,
)
from traineenett.followup.settlement import (
    HORIZONS,
    AlumnusRecord,
    Catchment,
    LogRank,
    SettlementFigures,
    SurvivalCurve,
    add_figures,
    durations_of,
    kaplan_meier,
    log_rank,
    settlement,
    settlement_by_origin,
)
from traineenett.followup.tables import ColumnMask, Table, build_table, mask_of


def horizon_labels() -> list[str]:
    return [_("At the end"), _("After 1 year"), _("After 2 years"), _("After 3 years")]


@dataclass(frozen=True)
class SurvivalPoint:
    years: int
    survival: float
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Survival:
    curve: SurvivalCurve
    points: list[SurvivalPoint]


def survival_of(curve: SurvivalCurve | None, *, suppress: bool) -> Survival | None:
    """The curve with yearly points; never for the analyst: every step of a Kaplan–Meier
    curve is one or a few persons leaving, so it cannot be shown with small cells hidden."""
    if curve is None or suppress:
        return None
    last_year = int(curve.days[-1] / 365.25) if curve.days else 0
    points = []
    for year in range(1, max(last_year, 3) + 1):
        day = round(year * 365.25)
        low, high = curve.band_at(day)
        points.append(SurvivalPoint(year, curve.at(day), low, high))
    return Survival(curve, points)


@dataclass
class Page:
    as_of: date
    table: Table
    origin_table: Table | None
    survival: Survival | None
    origin_test: LogRank | None
    charts: dict[str, SafeString] = field(default_factory=dict)
    comparison: Survival | None = None
    comparison_test: LogRank | None = None
    suppressed: bool = False


def _shares_chart(title: str, table: Table, *, per_row: bool = False) -> SafeString:
    """Shares by horizon: of the table's total, or (``per_row``) of each row side by side."""
    rows = list(table.rows) if per_row or table.total is None else [table.total]
    series = [charts.Series(row.label, tuple(cell.share for cell in row.horizons)) for row in rows]
    return charts.bar_chart(
        title,
        _(
            "Share of alumni with a known residence who live in the catchment, by time after "
            "the end of the programme."
        ),
        horizon_labels(),
        series,
    )


def _cohorts_chart(table: Table) -> SafeString:
    labels = horizon_labels()
    series = [
        charts.Series(label, tuple(row.horizons[index].share for row in table.rows))
        for index, label in enumerate(labels)
    ]
    return charts.bar_chart(
        _("Cohorts side by side"),
        _(
            "For each cohort, the share resident in the catchment at the end and after 1, 2 and 3 years."
        ),
        [row.label for row in table.rows],
        series,
    )


def _survival_chart(named: Sequence[tuple[str, Survival | None]]) -> SafeString | None:
    curves = [(name, survival.curve) for name, survival in named if survival is not None]
    if not curves:
        return None
    return charts.survival_chart(
        _("Still living in the region (Kaplan–Meier)"),
        _(
            "Estimated share still living in the catchment by years after the end of the programme, with a 95 per cent confidence band."
        ),
        curves,
        _("Years after the end of the programme"),
    )


def _origin_names() -> dict[str, str]:
    return {
        "moved": _("Moved to the region for the programme"),
        "local": _("Came from the region"),
        "": _("Origin unknown"),
    }


def _origin_table(
    records: Sequence[AlumnusRecord],
    catchment: Catchment,
    suppress: bool,
    also_hide: ColumnMask | None = None,
) -> Table:
    return _origin_table_of(settlement_by_origin(records, catchment), suppress, also_hide)


def _origin_table_of(
    by_origin: dict[str, SettlementFigures], suppress: bool, also_hide: ColumnMask | None = None
) -> Table:
    names = _origin_names()
    # A group nobody belongs to is left out: it has no one to protect, and an empty row
    # would only hide the others' columns.
    return build_table(
        [(names[key], figures) for key, figures in by_origin.items() if figures.alumni],
        suppress=suppress,
        also_hide=also_hide,
    )


def _origin_test(records: Sequence[AlumnusRecord], catchment: Catchment) -> LogRank | None:
    moved = durations_of([r for r in records if r.origin == "moved"], catchment)
    local = durations_of([r for r in records if r.origin == "local"], catchment)
    return log_rank(moved, local)


def program_page(program: Program, as_of: date, *, suppress: bool) -> Page:
    register = municipality_register()
    catchment = register.catchment(catchment_codes([program.pk])[program.pk], as_of)
    data = alumni_records([program.pk])[program.pk]
    labels = dict(Cohort.objects.filter(program=program).values_list("pk", "label"))
    order = list(
        Cohort.objects.filter(program=program, alumni__isnull=False)
        .distinct()
        .order_by("starts_on")
        .values_list("pk", flat=True)
    )
    by_cohort: dict[int, list[AlumnusRecord]] = {}
    for record, cohort_id in zip(data.records, data.cohort_of, strict=True):
        by_cohort.setdefault(cohort_id, []).append(record)
    parts = [(labels[pk], settlement(by_cohort.get(pk, []), catchment)) for pk in order]
    total = settlement(data.records, catchment)
    table = build_table(parts, (program.name, total), suppress=suppress)
    survival = survival_of(kaplan_meier(durations_of(data.records, catchment)), suppress=suppress)
    page = Page(
        as_of=as_of,
        table=table,
        origin_table=_origin_table(data.records, catchment, suppress),
        survival=survival,
        origin_test=None if suppress else _origin_test(data.records, catchment),
        suppressed=suppress,
    )
    page.charts["shares"] = _shares_chart(_("Resident in the catchment"), table)
    if table.rows:
        page.charts["cohorts"] = _cohorts_chart(table)
    survival_svg = _survival_chart([(program.name, survival)])
    if survival_svg:
        page.charts["survival"] = survival_svg
    return page


def cohort_page(program: Program, cohort: Cohort, as_of: date, *, suppress: bool) -> Page:
    register = municipality_register()
    catchment = register.catchment(catchment_codes([program.pk])[program.pk], as_of)
    data = alumni_records([program.pk])[program.pk]
    mine = [r for r, pk in zip(data.records, data.cohort_of, strict=True) if pk == cohort.pk]
    rest = [r for r, pk in zip(data.records, data.cohort_of, strict=True) if pk != cohort.pk]
    others = _("Other cohorts")
    cohort_columns = None
    if suppress:
        # The analyst sees this cohort's row exactly as on the programme's report: the
        # columns hidden in the breakdown by cohort stay hidden here.
        by_cohort: dict[int, list[AlumnusRecord]] = {}
        for record, cohort_id in zip(data.records, data.cohort_of, strict=True):
            by_cohort.setdefault(cohort_id, []).append(record)
        cohort_columns = build_table(
            [(str(pk), settlement(group, catchment)) for pk, group in by_cohort.items()],
            suppress=True,
        ).mask
    table = build_table(
        [(cohort.label, settlement(mine, catchment)), (others, settlement(rest, catchment))],
        suppress=suppress,
        also_hide=cohort_columns,
    )
    survival = survival_of(kaplan_meier(durations_of(mine, catchment)), suppress=suppress)
    comparison = survival_of(kaplan_meier(durations_of(rest, catchment)), suppress=suppress)
    page = Page(
        as_of=as_of,
        table=table,
        # Origins within one cohort would break the programme's origin table down further
        # than suppression can protect: not for the analyst.
        origin_table=None if suppress else _origin_table(mine, catchment, suppress),
        survival=survival,
        origin_test=None if suppress else _origin_test(mine, catchment),
        comparison=comparison,
        comparison_test=None
        if suppress
        else log_rank(durations_of(mine, catchment), durations_of(rest, catchment)),
        suppressed=suppress,
    )
    page.charts["shares"] = _shares_chart(
        _("Resident in the catchment: this cohort and the others"), table, per_row=True
    )
    survival_svg = _survival_chart([(cohort.label, survival), (others, comparison)])
    if survival_svg:
        page.charts["survival"] = survival_svg
    return page


@dataclass
class Benchmark:
    as_of: date
    table: Table
    origin_table: Table
    chart: SafeString


def benchmark(as_of: date) -> Benchmark:
    """Every programme of the installation, aggregates only, cells under 5 suppressed."""
    programs = list(Program.objects.order_by("name"))
    register = municipality_register()
    ids = [program.pk for program in programs]
    codes = catchment_codes(ids)
    data = alumni_records(ids)
    parts: list[tuple[str, SettlementFigures]] = []
    by_origin: dict[str, list[SettlementFigures]] = {"moved": [], "local": [], "": []}
    origin_columns = ColumnMask()
    for program in programs:
        catchment = register.catchment(codes[program.pk], as_of)
        records = data[program.pk].records
        parts.append((program.name, settlement(records, catchment)))
        origins = settlement_by_origin(records, catchment)
        for key, figures in origins.items():
            by_origin[key].append(figures)
        # A column hidden in a programme's own origin table stays hidden in the sum over
        # programmes, or it could be recovered as the sum minus the other programmes.
        origin_columns |= _origin_table_of(origins, True).mask
    total = add_figures([figures for _name, figures in parts]) if parts else None
    table = build_table(
        parts, (_("All programmes"), total) if total else None, suppress=True, public_rows=True
    )
    if table.total is not None:
        # The origins sum to the all-programmes total: hide what that total hides.
        origin_columns |= mask_of([table.total])
    names = _origin_names()
    origin_table = build_table(
        [
            (names[key], figures)
            for key, parts_ in by_origin.items()
            if parts_ and (figures := add_figures(parts_)).alumni
        ],
        suppress=True,
        also_hide=origin_columns,
    )
    chart = charts.bar_chart(
        _("Resident in the catchment, by programme"),
        _(
            "For each programme, the share resident in its catchment at the end and after 1, 2 and 3 years; suppressed figures are left out."
        ),
        [row.label for row in table.rows],
        [
            charts.Series(label, tuple(row.horizons[index].share for row in table.rows))
            for index, label in enumerate(horizon_labels())
        ],
    )
    return Benchmark(as_of, table, origin_table, chart)


def export_rows(table: Table) -> list[list[object]]:
    from traineenett.followup.tables import flat_header, flat_row

    header: list[object] = list(flat_header([f"h{years}" for years in HORIZONS]))
    rows = [flat_row(row) for row in table.rows]
    if table.total is not None:
        rows.append(flat_row(table.total))
    return [header, *rows]
