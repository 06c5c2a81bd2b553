"""Calendar arithmetic for rotation periods (pure Python)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rotation_periods(start: date, count: int, months: int) -> list[tuple[date, date]]:
    """``count`` back-to-back periods of ``months`` months from ``start`` (inclusive ends)."""
    return [
        (
            add_months(start, index * months),
            add_months(start, (index + 1) * months) - timedelta(days=1),
        )
        for index in range(count)
    ]


def overlaps(first: tuple[date, date], second: tuple[date, date]) -> bool:
    return first[0] <= second[1] and second[0] <= first[1]
