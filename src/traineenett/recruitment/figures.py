"""Recruitment figures: applicants per position, source, discipline and origin; the funnel.

Each figure is a list of bars that the template draws as a server-rendered SVG chart with
a data table next to it (the table is the accessible version).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from traineenett.recruitment.models import (
    Application,
    Choice,
    Education,
    Round,
    Source,
    Stage,
    StageChange,
)

BAR_HEIGHT = 24
BAR_GAP = 8
LABEL_WIDTH = 300
CHART_WIDTH = 680


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    note: str = ""  # e.g. a conversion rate
    width: float = 0  # pixels, set by ``chart``
    y: int = 0


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def chart(key: str, title: str, description: str, bars: list[tuple[str, int, str]]) -> Chart:
    largest = max((value for _label, value, _note in bars), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    laid_out = [
        Bar(
            label=label,
            value=value,
            note=note,
            width=round(room * value / largest, 1),
            y=index * (BAR_HEIGHT + BAR_GAP),
        )
        for index, (label, value, note) in enumerate(bars)
    ]
    return Chart(
        key=key,
        title=title,
        description=description,
        bars=laid_out,
        height=max(len(bars), 1) * (BAR_HEIGHT + BAR_GAP),
    )


def recruitment_figures(round_: Round) -> list[Chart]:
    applications = Application.objects.filter(cohort=round_.cohort)
    per_position = (
        Choice.objects.filter(application__cohort=round_.cohort)
        .values("position__title")
        .annotate(n=Count("application", distinct=True))
        .order_by("-n", "position__title")
    )
    sources = dict(Source.choices)
    by_source = applications.values("source").annotate(n=Count("pk")).order_by("-n", "source")
    # An applicant's discipline is the field of their latest education.
    latest_fields: dict[int, str] = {}
    for application_id, field in (
        Education.objects.filter(application__cohort=round_.cohort)
        .order_by("application_id", "graduated_on")
        .values_list("application_id", "field")
    ):
        latest_fields[application_id] = field.strip().lower()
    discipline_counts: dict[str, int] = {}
    for field in latest_fields.values():
        discipline_counts[field] = discipline_counts.get(field, 0) + 1
    catchment = round_.program.catchment.values("number")
    origin = applications.aggregate(
        inside=Count("pk", filter=Q(home_municipality__in=catchment)),
        outside=Count(
            "pk", filter=Q(home_municipality__isnull=False) & ~Q(home_municipality__in=catchment)
        ),
        unknown=Count("pk", filter=Q(home_municipality__isnull=True)),
    )
    # The funnel: how many applications ever reached each stage (from the stage history).
    reached = dict(
        StageChange.objects.filter(application__cohort=round_.cohort)
        .values("stage_id")
        .annotate(n=Count("application", distinct=True))
        .values_list("stage_id", "n")
    )
    funnel: list[tuple[str, int, str]] = []
    previous: int | None = None
    for stage in Stage.objects.filter(program=round_.program).order_by("order"):
        if stage.outcome in {"declined", "rejected"}:
            continue
        count = reached.get(stage.pk, 0)
        note = ""
        if previous:
            note = _("%(percent)s %% of the previous stage") % {
                "percent": round(100 * count / previous)
            }
        funnel.append((stage.name, count, note))
        previous = count
    return [
        chart(
            "positions",
            _("Applicants per position"),
            _("Number of applicants who ranked each position."),
            [(row["position__title"], row["n"], "") for row in per_position],
        ),
        chart(
            "sources",
            _("Applicants by source"),
            _("How applicants heard about the programme."),
            [(str(sources.get(row["source"], row["source"])), row["n"], "") for row in by_source],
        ),
        chart(
            "disciplines",
            _("Applicants by discipline"),
            _("The field of study of each applicant's latest education."),
            sorted(
                ((field or "–", n, "") for field, n in discipline_counts.items()),
                key=lambda bar: (-bar[1], bar[0]),
            ),
        ),
        chart(
            "origin",
            _("Applicants by origin"),
            _(
                "Whether the applicant's home municipality lies inside the programme's "
                "catchment: recruitment to the region."
            ),
            [
                (_("Inside the catchment"), origin["inside"], ""),
                (_("Outside the catchment"), origin["outside"], ""),
                (_("Not given"), origin["unknown"], ""),
            ],
        ),
        chart(
            "funnel",
            _("Funnel"),
            _(
                "How many applications reached each stage, with the conversion from the stage before."
            ),
            funnel,
        ),
    ]
