"""The pure settlement core: every definition of issue 5, item 3, on hand-made data.

The shipped register and change history are read from the CSV files (no database), so
the mapping rules are exercised with real numbers: old Hedmark/Oppland 04xx/05xx,
Jevnaker and Lunner (moved from Oppland to Viken in 2020 and to Akershus in 2024),
and split municipalities.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from traineenett.core.municipalities import Change, ChangeHistory, parse_klass_changes
from traineenett.followup.municipality_dates import MunicipalityCalendar
from traineenett.followup.settlement import (
    AlumnusRecord,
    Catchment,
    Duration,
    Observation,
    Residency,
    add_figures,
    closest_observation,
    duration,
    kaplan_meier,
    log_rank,
    settlement,
    settlement_by_origin,
    target_date,
)

DATA = Path(__file__).resolve().parent.parent / "src" / "traineenett" / "core" / "data"


@cache
def shipped() -> tuple[frozenset[str], tuple[Change, ...]]:
    with open(DATA / "municipalities.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changes = parse_klass_changes((DATA / "municipality_changes.csv").read_bytes())
    return frozenset(row["number"] for row in rows), tuple(changes)


@cache
def innlandet_codes() -> frozenset[str]:
    with open(DATA / "municipalities.csv", encoding="utf-8") as handle:
        return frozenset(row["number"] for row in csv.DictReader(handle) if row["county"] == "34")


def catchment(codes: frozenset[str] | set[str], as_of: date) -> Catchment:
    current, changes = shipped()
    return Catchment(
        codes, ChangeHistory(current, changes), as_of, [change.changed_on for change in changes]
    )


def innlandet(as_of: date = date(2026, 6, 1)) -> Catchment:
    return catchment(innlandet_codes(), as_of)


def alumnus(end: date, *observations: tuple[date, str], **fields: object) -> AlumnusRecord:
    return AlumnusRecord(
        program_end=end,
        observations=tuple(Observation(day, number) for day, number in observations),
        **fields,  # type: ignore[arg-type]
    )


# ------------------------------------------------------------------------ target date


def test_target_date_adds_calendar_years() -> None:
    assert target_date(date(2020, 6, 30), 0) == date(2020, 6, 30)
    assert target_date(date(2020, 6, 30), 3) == date(2023, 6, 30)


def test_29_february_becomes_28_february_in_a_year_without_it() -> None:
    assert target_date(date(2020, 2, 29), 1) == date(2021, 2, 28)
    assert target_date(date(2020, 2, 29), 3) == date(2023, 2, 28)
    assert target_date(date(2020, 2, 29), 4) == date(2024, 2, 29)


def test_eligibility_at_29_february_uses_28_february() -> None:
    record = alumnus(date(2020, 2, 29), (date(2021, 2, 28), "3403"))
    on_the_day = settlement([record], innlandet(date(2021, 2, 28)))
    assert on_the_day.horizon(1).eligible == 1
    day_before = settlement([record], innlandet(date(2021, 2, 27)))
    assert day_before.horizon(1).eligible == 0


# --------------------------------------------------------------------- the window


def test_window_includes_183_days_and_excludes_184() -> None:
    target = date(2023, 6, 30)
    inside = Observation(date(2023, 12, 30), "3403")  # 183 days after
    outside = Observation(date(2023, 12, 31), "3403")  # 184 days after
    assert (inside.observed_on - target).days == 183
    assert closest_observation([inside], target) == inside
    assert closest_observation([outside], target) is None
    before = Observation(date(2022, 12, 29), "3403")  # 183 days before
    too_early = Observation(date(2022, 12, 28), "3403")  # 184 days before
    assert (target - before.observed_on).days == 183
    assert closest_observation([before], target) == before
    assert closest_observation([too_early], target) is None


def test_the_closest_observation_wins() -> None:
    target = date(2023, 6, 30)
    near = Observation(date(2023, 7, 10), "0301")
    far = Observation(date(2023, 6, 1), "3403")
    assert closest_observation([far, near], target) == near


def test_on_a_tie_the_later_observation_wins() -> None:
    target = date(2023, 6, 30)
    earlier = Observation(date(2023, 6, 20), "0301")
    later = Observation(date(2023, 7, 10), "3403")
    assert closest_observation([later, earlier], target) == later
    assert closest_observation([earlier, later], target) == later


def test_of_two_observations_on_the_same_day_the_one_recorded_later_wins() -> None:
    target = date(2023, 6, 30)
    first = Observation(date(2023, 7, 10), "0301")
    corrected = Observation(date(2023, 7, 10), "3403")
    assert closest_observation([first, corrected], target) == corrected
    end = date(2020, 6, 30)
    records = [alumnus(end, (date(2020, 7, 1), "0301"), (date(2020, 7, 1), "3403"))]
    figures = settlement(records, innlandet(date(2024, 1, 1)), horizons=(0,))
    assert figures.horizon(0).resident == 1
    records = [alumnus(end, (date(2020, 7, 1), "3403"), (date(2020, 7, 1), "0301"))]
    figures = settlement(records, innlandet(date(2024, 1, 1)), horizons=(0,))
    assert figures.horizon(0).resident == 0


def test_window_edges_decide_resident_or_unknown_in_the_figures() -> None:
    end = date(2020, 6, 30)
    at_183 = alumnus(end, (date(2023, 12, 30), "3403"))
    at_184 = alumnus(end, (date(2023, 12, 31), "3403"))
    figures = settlement([at_183, at_184], innlandet(date(2024, 6, 1)))
    three = figures.horizon(3)
    assert (three.eligible, three.known, three.resident) == (2, 1, 1)


# -------------------------------------------------------------- municipality mapping


@pytest.mark.parametrize(
    ("number", "reported_on"),
    [("0403", date(2015, 5, 1)), ("0501", date(2010, 1, 1)), ("0534", date(2019, 12, 31))],
)
def test_old_hedmark_and_oppland_numbers_count_in_innlandet(number: str, reported_on: date) -> None:
    assert innlandet().classify(number, reported_on) is Residency.RESIDENT


@pytest.mark.parametrize(
    ("number", "reported_on"),
    [
        ("0532", date(2021, 3, 1)),  # Jevnaker, reported with its Oppland number after 2020
        ("3053", date(2021, 3, 1)),  # Jevnaker in Viken
        ("3236", date(2024, 3, 1)),  # Jevnaker in Akershus
        ("0533", date(2020, 6, 1)),  # Lunner
        ("3054", date(2022, 1, 1)),
        ("3234", date(2025, 1, 1)),
    ],
)
def test_jevnaker_and_lunner_after_2020_do_not_count_in_innlandet(
    number: str, reported_on: date
) -> None:
    assert innlandet().classify(number, reported_on) is Residency.NOT_RESIDENT


def test_jevnaker_before_2020_maps_out_of_innlandet_too() -> None:
    # Reported as 0532 in 2018: today that is 3236 in Akershus, outside Innlandet's catchment.
    assert innlandet().classify("0532", date(2018, 1, 1)) is Residency.NOT_RESIDENT


def test_a_number_current_at_the_as_of_date_is_compared_through_its_successors() -> None:
    # As of 2022, Jevnaker was 3053; the catchment is kept in today's numbers (3236).
    akershus = catchment({"3236"}, date(2022, 6, 1))
    assert akershus.classify("0532", date(2019, 1, 1)) is Residency.RESIDENT


def test_a_split_municipality_is_resident_only_when_all_successors_are() -> None:
    # Snillfjord (5012) was split in 2020 between Heim 5055, Hitra 5056 and Orkland 5059.
    everything = catchment({"5055", "5056", "5059"}, date(2024, 6, 1))
    assert everything.classify("5012", date(2019, 5, 1)) is Residency.RESIDENT
    part = catchment({"5055", "5059"}, date(2024, 6, 1))
    assert part.classify("5012", date(2019, 5, 1)) is Residency.UNKNOWN
    none = catchment({"5001"}, date(2024, 6, 1))
    assert none.classify("5012", date(2019, 5, 1)) is Residency.NOT_RESIDENT


def test_a_split_after_the_as_of_date_is_not_followed() -> None:
    # Ålesund 1507 was split in 2024 (1508 Ålesund, 1580 Haram). As of 2023, 1507 was current;
    # against a catchment of today's Ålesund only it is unknown (Haram lies outside).
    as_of_2023 = catchment({"1508"}, date(2023, 6, 1))
    assert as_of_2023.classify("1507", date(2021, 1, 1)) is Residency.UNKNOWN
    both = catchment({"1508", "1580"}, date(2023, 6, 1))
    assert both.classify("1507", date(2021, 1, 1)) is Residency.RESIDENT


def test_an_unknown_number_is_unknown() -> None:
    assert innlandet().classify("9999", date(2021, 1, 1)) is Residency.UNKNOWN


def test_an_unresolvable_observation_makes_the_person_unknown_at_that_horizon() -> None:
    record = alumnus(date(2020, 6, 30), (date(2020, 6, 30), "9999"))
    zero = settlement([record], innlandet()).horizon(0)
    assert (zero.eligible, zero.known, zero.resident) == (1, 0, 0)


# ------------------------------------------------------------------------- figures


def test_alumni_and_eligibility_at_the_as_of_date() -> None:
    records = [
        alumnus(date(2022, 6, 30)),  # alumnus; eligible at 0, 1 and 2 years as of 2025-01-01
        alumnus(date(2024, 1, 1)),  # alumnus; eligible at 0 and 1 year (target 2025-01-01)
        alumnus(date(2025, 1, 2)),  # ends after the as-of date: not an alumnus
    ]
    figures = settlement(records, innlandet(date(2025, 1, 1)))
    assert figures.alumni == 2
    assert [h.eligible for h in figures.horizons] == [2, 2, 1, 0]


def test_known_share_and_conservative_share() -> None:
    end = date(2020, 6, 30)
    records = [
        alumnus(end, (date(2023, 7, 1), "3403")),  # resident at 3
        alumnus(end, (date(2023, 6, 1), "0403")),  # old Hamar number, resident
        alumnus(end, (date(2023, 6, 30), "0301")),  # Oslo: known, not resident
        alumnus(end),  # unknown
    ]
    three = settlement(records, innlandet(date(2024, 1, 1))).horizon(3)
    assert (three.eligible, three.known, three.resident) == (4, 3, 2)
    assert three.share == pytest.approx(2 / 3)
    assert three.conservative_share == pytest.approx(2 / 4)


def test_shares_are_none_when_the_divisor_is_zero() -> None:
    figures = settlement([alumnus(date(2024, 6, 30))], innlandet(date(2025, 1, 1)))
    three = figures.horizon(3)
    assert (three.eligible, three.share, three.conservative_share) == (0, None, None)
    zero = figures.horizon(0)
    assert (zero.eligible, zero.known, zero.share, zero.conservative_share) == (1, 0, None, 0.0)


def test_offered_job_counts_only_alumni_with_a_value() -> None:
    end = date(2020, 6, 30)
    records = [
        alumnus(end, offered_job=True),
        alumnus(end, offered_job=True),
        alumnus(end, offered_job=False),
        alumnus(end, offered_job=None),
        alumnus(date(2030, 1, 1), offered_job=True),  # not an alumnus yet
    ]
    offered = settlement(records, innlandet(date(2024, 1, 1))).offered_job
    assert (offered.known, offered.yes) == (3, 2)
    assert offered.share == pytest.approx(2 / 3)
    assert settlement([], innlandet()).offered_job.share is None


def test_moved_and_local_are_counted_apart() -> None:
    end = date(2020, 6, 30)
    records = [
        alumnus(end, (end, "3403"), origin="moved"),
        alumnus(end, (end, "0301"), origin="moved"),
        alumnus(end, (end, "3405"), origin="local"),
    ]
    split = settlement_by_origin(records, innlandet())
    assert split["moved"].horizon(0).share == pytest.approx(0.5)
    assert split["local"].horizon(0).share == pytest.approx(1.0)
    assert split[""].alumni == 0


def test_add_figures_sums_programmes() -> None:
    end = date(2020, 6, 30)
    first = settlement([alumnus(end, (end, "3403"), offered_job=True)], innlandet())
    second = settlement([alumnus(end, (end, "0301")), alumnus(end)], innlandet())
    total = add_figures([first, second])
    zero = total.horizon(0)
    assert (total.alumni, zero.eligible, zero.known, zero.resident) == (3, 3, 2, 1)
    assert total.offered_job.as_dict() == {"known": 1, "yes": 1, "share": 1.0}


# ------------------------------------------------------------------- survival analysis


def test_duration_event_is_the_first_observation_outside() -> None:
    end = date(2020, 6, 30)
    record = alumnus(
        end,
        (date(2020, 1, 1), "0301"),  # before the end: ignored
        (date(2020, 12, 30), "3403"),
        (date(2021, 6, 30), "0301"),  # leaves: 365 days after the end
        (date(2022, 6, 30), "3403"),  # came back: the first exit counts
    )
    assert duration(record, innlandet()) == Duration(365, left=True)


def test_duration_is_censored_at_the_last_observation_inside() -> None:
    end = date(2020, 6, 30)
    record = alumnus(end, (date(2020, 12, 30), "3403"), (date(2022, 6, 30), "0403"))
    assert duration(record, innlandet()) == Duration(730, left=False)
    after_as_of = alumnus(end, (date(2020, 12, 30), "3403"), (date(2026, 1, 1), "0301"))
    assert duration(after_as_of, innlandet(date(2025, 1, 1))) == Duration(183, left=False)
    assert duration(alumnus(end), innlandet()) is None


def test_kaplan_meier_against_hand_computed_values() -> None:
    # Times (days): events at 100, 200, 200, 400; censored at 150 and 300.
    durations = [
        Duration(100, True),
        Duration(150, False),
        Duration(200, True),
        Duration(200, True),
        Duration(300, False),
        Duration(400, True),
    ]
    curve = kaplan_meier(durations)
    assert curve is not None
    # S(100) = 5/6; S(200) = 5/6 * (1 - 2/4) = 5/12; S(400) = 5/12 * (1 - 1/1) = 0.
    assert curve.at(0) == 1.0
    assert curve.at(99) == 1.0
    assert curve.at(100) == pytest.approx(5 / 6)
    assert curve.at(250) == pytest.approx(5 / 12)
    assert curve.at(400) == pytest.approx(0.0)
    assert (curve.subjects, curve.events) == (6, 4)
    # Greenwood: Var(S(100)) = S² · d/(n(n−d)) = (5/6)² · 1/30; the band lies around S.
    index = curve.days.index(100)
    low, high = curve.low[index], curve.high[index]
    assert low is not None and high is not None
    assert low < 5 / 6 < high
    standard_error = math.sqrt((5 / 6) ** 2 / 30)
    assert low == pytest.approx(max(5 / 6 - 1.959964 * standard_error, 0), abs=1e-4)


def test_kaplan_meier_without_events_stays_at_one() -> None:
    curve = kaplan_meier([Duration(100, False), Duration(200, False)])
    assert curve is not None
    assert curve.survival == (1.0,)
    assert kaplan_meier([]) is None


def test_log_rank_against_a_hand_computed_value() -> None:
    # Group A: events at 1 and 3; group B: events at 2 and 4.
    # t=1: n=4 (2,2), d=1 → E_A=0.5, V=0.25; t=2: n=3 (1,2), d=1 → E_A=1/3, V=2/9;
    # t=3: n=2 (1,1), d=1 → E_A=0.5, V=0.25; t=4: n=1 (0,1) → E_A=0, V=0.
    # O_A − E_A = 2 − 4/3 = 2/3; V = 13/18; Z = (2/3)/sqrt(13/18).
    first = [Duration(1, True), Duration(3, True)]
    second = [Duration(2, True), Duration(4, True)]
    result = log_rank(first, second)
    assert result is not None
    assert abs(result.statistic) == pytest.approx((2 / 3) / math.sqrt(13 / 18))
    z = (2 / 3) / math.sqrt(13 / 18)
    assert result.pvalue == pytest.approx(math.erfc(z / math.sqrt(2)))


def test_log_rank_needs_two_groups_and_an_event() -> None:
    assert log_rank([], [Duration(1, True)]) is None
    assert log_rank([Duration(1, False)], [Duration(2, False)]) is None


# -------------------------------------------------------- the municipality calendar


def calendar() -> MunicipalityCalendar:
    current, changes = shipped()
    return MunicipalityCalendar(current, changes)


@pytest.mark.parametrize(
    ("number", "day", "in_force"),
    [
        ("0403", date(2019, 12, 31), True),
        ("0403", date(2020, 1, 1), False),
        ("3403", date(2020, 1, 1), True),
        ("3403", date(2019, 12, 31), False),
        ("3053", date(2023, 12, 31), True),
        ("3053", date(2024, 1, 1), False),
        ("3236", date(2024, 1, 1), True),
        ("0301", date(1990, 1, 1), True),  # Oslo predates the history
        ("9999", date(2020, 1, 1), False),
    ],
)
def test_a_number_is_in_force_between_its_introduction_and_its_retirement(
    number: str, day: date, in_force: bool
) -> None:
    assert calendar().in_force(number, day) is in_force


def test_the_classification_cache_gives_the_same_answers_as_resolving_each_time() -> None:
    current, changes = shipped()
    history = ChangeHistory(current, changes)
    codes = innlandet_codes() | {"3236", "3234", "1508"}
    numbers = sorted({c.old_code for c in changes} | {c.new_code for c in changes})[::3]
    days = [
        date(2015, 6, 1),
        date(2019, 12, 31),
        date(2020, 1, 1),
        date(2023, 12, 31),
        date(2024, 1, 1),
    ]
    for as_of in (date(2022, 6, 1), date(2026, 6, 1)):
        cached = Catchment(codes, history, as_of, [c.changed_on for c in changes])
        uncached = Catchment(codes, history, as_of)
        for number in numbers:
            for day in days:
                assert cached.classify(number, day) is uncached.classify(number, day), (
                    number,
                    day,
                    as_of,
                )
