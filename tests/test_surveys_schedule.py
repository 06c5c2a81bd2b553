"""The pure calendar rules of the survey: horizons, 29 February, reminder days."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traineenett.surveys.schedule import (
    WaveDates,
    add_years,
    parse_number_list,
    reminders_passed,
    wave_dates,
)


def test_add_years_keeps_the_day_and_moves_29_february_to_28() -> None:
    assert add_years(date(2024, 8, 14), 3) == date(2027, 8, 14)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), 0) == date(2024, 2, 29)


def test_one_wave_per_horizon_open_for_the_given_days() -> None:
    waves = wave_dates(date(2024, 2, 29), [3, 0, 1, 2, 1], open_days=90)
    assert waves == [
        WaveDates(0, date(2024, 2, 29), date(2024, 5, 28)),
        WaveDates(1, date(2025, 2, 28), date(2025, 5, 28)),
        WaveDates(2, date(2026, 2, 28), date(2026, 5, 28)),
        WaveDates(3, date(2027, 2, 28), date(2027, 5, 28)),
    ]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(7, 364))
def test_a_cohorts_waves_never_overlap(end: date, open_days: int) -> None:
    waves = wave_dates(end, range(4), open_days)
    for earlier, later in itertools.pairwise(waves):
        assert earlier.closes_on < later.opens_on
    assert all((w.closes_on - w.opens_on).days == open_days - 1 for w in waves)


def test_number_lists_are_parsed_or_the_bad_item_named() -> None:
    assert parse_number_list(" 3, 0,1 ,,1", lowest=0, highest=10) == [0, 1, 3]
    assert parse_number_list("", lowest=0, highest=10) == []
    for bad, item in (("0,x", "x"), ("0,11", "11"), ("-1", "-1"), ("1.5", "1.5")):
        with pytest.raises(ValueError, match=f"^{item}$".replace(".", r"\.")):
            parse_number_list(bad, lowest=0, highest=10)


def test_reminders_count_the_schedule_days_that_have_come() -> None:
    invited = date(2026, 3, 1)
    schedule = [7, 21]
    assert reminders_passed(invited_on=invited, schedule=schedule, today=date(2026, 3, 7)) == 0
    assert reminders_passed(invited_on=invited, schedule=schedule, today=date(2026, 3, 8)) == 1
    assert reminders_passed(invited_on=invited, schedule=schedule, today=date(2026, 3, 21)) == 1
    assert reminders_passed(invited_on=invited, schedule=schedule, today=date(2026, 3, 22)) == 2
    assert reminders_passed(invited_on=invited, schedule=[], today=date(2027, 1, 1)) == 0
