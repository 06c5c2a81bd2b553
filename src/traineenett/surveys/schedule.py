"""When survey waves open and close, and when a reminder is due.

Pure Python (no Django): the calendar rules are unit-tested on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DEFAULT_HORIZONS = (0, 1, 2, 3)
MAX_HORIZON_YEARS = 10


def add_years(day: date, years: int) -> date:
    """``day`` plus whole calendar years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, order=True)
class WaveDates:
    horizon_years: int
    opens_on: date
    closes_on: date


def wave_dates(program_end: date, horizons: Iterable[int], open_days: int) -> list[WaveDates]:
    """One wave per horizon: it opens ``h`` calendar years after the programme's end and
    stays open for ``open_days`` days (the closing day included)."""
    return sorted(
        WaveDates(
            h, add_years(program_end, h), add_years(program_end, h) + timedelta(open_days - 1)
        )
        for h in set(horizons)
    )


def parse_number_list(text: str, *, lowest: int, highest: int) -> list[int]:
    """ "0, 1, 2,3" → [0, 1, 2, 3] (sorted, without repeats).

    Raises ValueError naming the first item that is not a whole number in range."""
    numbers: set[int] = set()
    for raw in text.split(","):
        item = raw.strip()
        if not item:
            continue
        if not item.isdigit() or not lowest <= int(item) <= highest:
            raise ValueError(item)
        numbers.add(int(item))
    return sorted(numbers)


def reminders_passed(*, invited_on: date, schedule: Sequence[int], today: date) -> int:
    """How many of the reminder days in ``schedule`` (days after the invitation) have come.

    A reminder is due when this exceeds the number already sent; one reminder is then sent
    and counts for all the days that passed, so a cron that skipped days does not send a
    burst of reminders."""
    return sum(1 for days in schedule if today >= invited_on + timedelta(days=days))
