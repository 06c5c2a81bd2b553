"""Server-rendered SVG charts: no JavaScript, no fonts or scripts from the net.

Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``), and every page shows the same numbers in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from traineenett.followup.settlement import SurvivalCurve

# Colours with at least 3:1 contrast against white (WCAG 1.4.11 for graphics).
PALETTE = ("#0b5394", "#8a4b00", "#1d6b35", "#6b2c91", "#a4161a", "#374151")
BAND = "#c9dcf0"
_ids = count(1)

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 76


def _percent(value: float) -> str:
    return f"{round(value * 100):d} %"


def _frame(
    title: str, description: str, body: list[str], legend: list[str] | None = None
) -> SafeString:
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="system-ui, sans-serif" font-size="13">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        *body,
        *(legend or []),
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 — every text inside is escaped above


def _y_axis(plot_height: float) -> list[str]:
    lines = []
    for step in range(0, 101, 25):
        y = TOP + plot_height * (1 - step / 100)
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d1d5db" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#1a1a1a">{step} %</text>'
        )
    return lines


def _legend(names: Sequence[str]) -> list[str]:
    items = []
    x = LEFT
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        items.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{HEIGHT - 8}" fill="#1a1a1a">{escape(name)}</text>'
        )
        x += 24 + 8 * len(name)
    return items


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # one per group; None = no figure


def bar_chart(
    title: str, description: str, groups: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """Grouped bars of shares (0–1): ``groups`` along the x axis, one bar per series."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    body = _y_axis(plot_height)
    group_width = plot_width / max(len(groups), 1)
    bar_width = min(40.0, group_width * 0.8 / max(len(series), 1))
    for group_index, group in enumerate(groups):
        start = LEFT + group_index * group_width + (group_width - bar_width * len(series)) / 2
        for series_index, item in enumerate(series):
            value = item.values[group_index]
            x = start + series_index * bar_width
            if value is None:
                body.append(
                    f'<text x="{x + bar_width / 2:.1f}" y="{TOP + plot_height - 4:.1f}" '
                    'text-anchor="middle" fill="#4b5563">–</text>'
                )
                continue
            height = plot_height * value
            body.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" '
                f'width="{bar_width - 2:.1f}" height="{height:.1f}" '
                f'fill="{PALETTE[series_index % len(PALETTE)]}">'
                f"<title>{escape(item.name)}, {escape(group)}: {_percent(value)}</title></rect>"
            )
        body.append(
            f'<text x="{LEFT + (group_index + 0.5) * group_width:.1f}" '
            f'y="{TOP + plot_height + 18:.1f}" text-anchor="middle" fill="#1a1a1a">'
            f"{escape(group)}</text>"
        )
    legend = _legend([item.name for item in series]) if len(series) > 1 else None
    return _frame(title, description, body, legend)


def survival_chart(
    title: str, description: str, curves: Sequence[tuple[str, SurvivalCurve]], x_label: str
) -> SafeString:
    """Kaplan–Meier step curves (years on the x axis) with the 95 % band of the first."""
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    longest = max((curve.days[-1] for _name, curve in curves), default=0)
    years = max(1, int(longest / 365.25) + 1)
    scale_x = plot_width / (years * 365.25)

    def x_of(day: float) -> float:
        return LEFT + day * scale_x

    def y_of(value: float) -> float:
        return TOP + plot_height * (1 - value)

    body = _y_axis(plot_height)
    for year in range(years + 1):
        x = x_of(year * 365.25)
        body.append(
            f'<text x="{x:.1f}" y="{TOP + plot_height + 18:.1f}" text-anchor="middle" '
            f'fill="#1a1a1a">{year}</text>'
        )
    body.append(
        f'<text x="{LEFT + plot_width / 2:.1f}" y="{TOP + plot_height + 36:.1f}" '
        f'text-anchor="middle" fill="#1a1a1a">{escape(x_label)}</text>'
    )
    end_day = years * 365.25
    for index, (name, curve) in enumerate(curves):
        colour = PALETTE[index % len(PALETTE)]
        if index == 0:
            upper, lower = [], []
            for position, day in enumerate(curve.days):
                next_day = curve.days[position + 1] if position + 1 < len(curve.days) else end_day
                high = curve.high[position]
                low = curve.low[position]
                high = 1.0 if high is None else high
                low = 0.0 if low is None else low
                upper += [(x_of(day), y_of(high)), (x_of(next_day), y_of(high))]
                lower += [(x_of(day), y_of(low)), (x_of(next_day), y_of(low))]
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in upper + lower[::-1])
            body.append(f'<polygon points="{points}" fill="{BAND}" stroke="none"/>')
        path = []
        for position, day in enumerate(curve.days):
            next_day = curve.days[position + 1] if position + 1 < len(curve.days) else end_day
            y = y_of(curve.survival[position])
            path.append(f"{'M' if position == 0 else 'L'}{x_of(day):.1f},{y:.1f}")
            path.append(f"L{x_of(next_day):.1f},{y:.1f}")
        body.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2.5">'
            f"<title>{escape(name)}</title></path>"
        )
    legend = _legend([name for name, _curve in curves]) if len(curves) > 1 else None
    return _frame(title, description, body, legend)
