"""The pure cores: money, fee lines for the three employment models, settlements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traineenett.finance import fees, settlements
from traineenett.finance.money import format_nok, line_amounts, round_ore

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
NBSP = "\xa0"


def schedule(*rules: fees.FeeRule, span: tuple[date, date] = YEAR) -> fees.Schedule:
    return fees.Schedule(span[0], span[1], rules)


def rule(kind: str, amount: int, vat: int = 0, **extra: str) -> fees.FeeRule:
    return fees.FeeRule(kind, Decimal(amount), Decimal(vat), kind, **extra)


MEMBER_ALL_YEAR = [fees.MemberTerm("Standard", date(2000, 1, 1), None)]


# ---------------------------------------------------------------------------- money


def test_amounts_are_shown_in_norwegian_format() -> None:
    assert format_nok(Decimal("12345.5")) == f"12{NBSP}345,50{NBSP}kr"
    assert format_nok(Decimal("1234567.891")) == f"1{NBSP}234{NBSP}567,89{NBSP}kr"
    assert format_nok(Decimal("-1250")) == f"-1{NBSP}250,00{NBSP}kr"
    assert format_nok(Decimal("0.5"), currency=False) == "0,50"


def test_rounding_is_half_up_to_ore() -> None:
    assert round_ore(Decimal("0.005")) == Decimal("0.01")
    assert round_ore(Decimal("0.0049")) == Decimal("0.00")
    assert round_ore(Decimal("-0.005")) == Decimal("-0.01")  # halves away from zero
    # VAT is computed per line from the rounded net.
    net, vat, total = line_amounts(Decimal("0.4667"), Decimal("10000"), Decimal("25"))
    assert (net, vat, total) == (Decimal("4667.00"), Decimal("1166.75"), Decimal("5833.75"))
    net, vat, total = line_amounts(Decimal("1"), Decimal("0.02"), Decimal("25"))
    assert (net, vat, total) == (Decimal("0.02"), Decimal("0.01"), Decimal("0.03"))


# ------------------------------------------------------------------------ calendar


def test_working_days_count_monday_to_friday() -> None:
    # 2026-05-04 is a Monday; 4–29 May 2026 has 20 weekdays, but Ascension Day (14 May) and
    # Whit Monday (25 May) are public holidays.
    assert fees.working_days((date(2026, 5, 4), date(2026, 5, 29))) == 18
    assert fees.working_days((date(2026, 4, 4), date(2026, 4, 5))) == 0  # a weekend
    assert fees.working_days((date(2026, 4, 7), date(2026, 4, 7))) == 1
    assert fees.working_days((date(2026, 4, 6), date(2026, 4, 6))) == 0  # Easter Monday


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),  # the latest possible Easter
        (2285, date(2285, 3, 22)),  # the earliest possible Easter
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert fees.easter_sunday(year) == easter


def test_norwegian_public_holidays_2026() -> None:
    assert sorted(fees.public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 17),
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]
    # 2026 has 261 weekdays; eight of the holidays fall on one (17 May and 26 December
    # are on a Sunday and a Saturday).
    assert fees.working_days(YEAR) == 253
    # A span across New Year counts both years' holidays.
    # 15 weekdays less 25 December 2026 and 1 January 2027 (both Fridays).
    assert fees.working_days((date(2026, 12, 21), date(2027, 1, 8))) == 13


def test_months_hosted_are_day_precise() -> None:
    assert fees.months_hosted((date(2026, 1, 1), date(2026, 3, 31))) == 3
    assert fees.months_hosted((date(2026, 4, 1), date(2026, 4, 14))) == Decimal(14) / 30
    # 15 Aug – 14 Apr: 17/31 of August, seven whole months, 14/30 of April.
    months = fees.months_hosted((date(2025, 8, 15), date(2026, 4, 14)))
    assert months == Decimal(17) / 31 + 7 + Decimal(14) / 30


@given(
    start=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    length=st.integers(1, 800),
    cut=st.integers(0, 799),
)
def test_a_change_of_host_neither_loses_nor_doubles_a_day(
    start: date, length: int, cut: int
) -> None:
    end = start + timedelta(days=length)
    split = start + timedelta(days=min(cut, length - 1))
    whole = fees.months_hosted((start, end))
    parts = fees.months_hosted((start, split)) + fees.months_hosted(
        (split + timedelta(days=1), end)
    )
    assert abs(whole - parts) < Decimal("1e-20")
    assert fees.working_days((start, end)) == fees.working_days((start, split)) + fees.working_days(
        (split + timedelta(days=1), end)
    )


def test_overlapping_schedules_are_found() -> None:
    assert fees.schedules_overlap([YEAR, (date(2027, 1, 1), date(2027, 12, 31))]) is None
    assert fees.schedules_overlap([YEAR, (date(2026, 12, 31), date(2027, 6, 30))]) == (0, 1)


# ------------------------------------------------- model B: the programme employs and bills


def test_salten_fees_with_and_without_a_trainee() -> None:
    """3 300 kr a year without a trainee, 10 000 kr with one, 1 250 kr per trainee-day."""
    rules = schedule(
        rule(fees.ANNUAL, 3_300, condition=fees.WITHOUT_TRAINEE),
        rule(fees.ANNUAL, 10_000, condition=fees.WITH_TRAINEE),
        rule(fees.PER_DAY, 1_250, vat=25),
    )
    without = fees.fee_lines(schedules=[rules], terms=MEMBER_ALL_YEAR, stays=[], period=YEAR)
    assert [(line.quantity, line.unit_price) for line in without] == [(1, Decimal(3_300))]

    # April 2026: 22 weekdays less Maundy Thursday, Good Friday and Easter Monday.
    stay = fees.Stay("Ingrid Haugen", date(2026, 4, 1), date(2026, 4, 30))
    host = fees.fee_lines(schedules=[rules], terms=MEMBER_ALL_YEAR, stays=[stay], period=YEAR)
    assert [(line.quantity, line.unit_price) for line in host] == [
        (1, Decimal(10_000)),
        (19, Decimal(1_250)),
    ]
    assert host[1].amounts == (Decimal("23750.00"), Decimal("5937.50"), Decimal("29687.50"))
    assert sum(line.total for line in host) == Decimal("39687.50")


def test_a_trainee_who_changes_host_mid_month_is_billed_by_the_day() -> None:
    """Host A until 14 April, host B from 15 April: April is split 14/30 and 16/30."""
    monthly = schedule(rule(fees.PER_MONTH, 30_000))
    april = (date(2026, 4, 1), date(2026, 4, 30))
    at_a = fees.Stay("Ola", date(2025, 8, 15), date(2026, 4, 14))
    at_b = fees.Stay("Ola", date(2026, 4, 15), date(2026, 12, 14))
    line_a = fees.fee_lines(schedules=[monthly], terms=MEMBER_ALL_YEAR, stays=[at_a], period=april)
    line_b = fees.fee_lines(schedules=[monthly], terms=MEMBER_ALL_YEAR, stays=[at_b], period=april)
    assert line_a[0].quantity == Decimal("0.4667")
    assert line_b[0].quantity == Decimal("0.5333")
    assert line_a[0].net == Decimal("14001.00")
    assert line_b[0].net == Decimal("15999.00")
    assert line_a[0].net + line_b[0].net == Decimal("30000.00")
    assert "15.04.2026–30.04.2026" in line_b[0].description

    daily = schedule(rule(fees.PER_DAY, 1_000))
    days_a = fees.fee_lines(schedules=[daily], terms=MEMBER_ALL_YEAR, stays=[at_a], period=april)
    days_b = fees.fee_lines(schedules=[daily], terms=MEMBER_ALL_YEAR, stays=[at_b], period=april)
    # 1–14 April 2026: 10 weekdays, less the three Easter holidays; 15–30 April: 12.
    assert (days_a[0].quantity, days_b[0].quantity) == (7, 12)


def test_annual_fee_is_pro_rated_for_a_member_who_joins_mid_year() -> None:
    annual = schedule(rule(fees.ANNUAL, 73_000, tier="Standard"))
    joined = [fees.MemberTerm("Standard", date(2026, 7, 1), None)]  # 184 of 365 days
    lines = fees.fee_lines(schedules=[annual], terms=joined, stays=[], period=YEAR)
    assert lines[0].quantity == Decimal("0.5041")
    assert lines[0].net == Decimal("36799.30")
    other_tier = [fees.MemberTerm("Stor", date(2000, 1, 1), None)]
    assert fees.fee_lines(schedules=[annual], terms=other_tier, stays=[], period=YEAR) == []


def test_per_placement_fee_is_charged_in_the_period_the_placement_starts() -> None:
    per_placement = schedule(rule(fees.PER_PLACEMENT, 18_000, vat=25))
    stay = fees.Stay("Kari", date(2026, 8, 15), date(2027, 4, 14))
    autumn = (date(2026, 7, 1), date(2026, 12, 31))
    spring = (date(2026, 1, 1), date(2026, 6, 30))
    assert (
        len(
            fees.fee_lines(
                schedules=[per_placement], terms=MEMBER_ALL_YEAR, stays=[stay], period=autumn
            )
        )
        == 1
    )
    assert (
        fees.fee_lines(
            schedules=[per_placement], terms=MEMBER_ALL_YEAR, stays=[stay], period=spring
        )
        == []
    )


# ------------------------------------------------------------ model C: shared trainees


def test_shared_trainee_fees_and_costs_split_by_share() -> None:
    monthly = schedule(rule(fees.PER_MONTH, 40_000))
    first = fees.Stay("Nora", date(2026, 1, 1), date(2026, 6, 30), share_percent=60)
    second = fees.Stay("Nora", date(2026, 1, 1), date(2026, 6, 30), share_percent=40)
    line_1 = fees.fee_lines(schedules=[monthly], terms=MEMBER_ALL_YEAR, stays=[first], period=YEAR)
    line_2 = fees.fee_lines(schedules=[monthly], terms=MEMBER_ALL_YEAR, stays=[second], period=YEAR)
    assert (line_1[0].quantity, line_2[0].quantity) == (Decimal("3.6"), Decimal("2.4"))
    assert line_1[0].net + line_2[0].net == Decimal("240000.00")

    salary = Decimal("600000")
    stays = [
        settlements.TraineeStay(
            "Nora", "Liten AS", None, first.starts_on, first.ends_on, salary, 60
        ),
        settlements.TraineeStay(
            "Nora", "Mini AS", None, first.starts_on, first.ends_on, salary, 40
        ),
    ]
    split = settlements.shared_cost_split(stays, period=YEAR, employer_costs_percent=Decimal("20"))
    # Six months × 600 000 / 12 × 1.20 = 360 000, split 60/40.
    assert [row.amount for row in split] == [Decimal("216000.00"), Decimal("144000.00")]
    assert settlements.totals_by_payer(split) == {
        "Liten AS": Decimal("216000.00"),
        "Mini AS": Decimal("144000.00"),
    }


# ----------------------------------------------------- model A: a member employs the trainee


def test_internal_settlements_when_another_member_hosts() -> None:
    salary = Decimal("560000")
    stays = [
        # At the employer itself: nothing to settle.
        settlements.TraineeStay(
            "Ida", "Mjøskraft AS", "Mjøskraft AS", date(2025, 8, 15), date(2026, 4, 14), salary
        ),
        # Hosted by another member from 15 April: it owes the employer.
        settlements.TraineeStay(
            "Ida",
            "Opplandsbanken ASA",
            "Mjøskraft AS",
            date(2026, 4, 15),
            date(2026, 12, 14),
            salary,
        ),
    ]
    rows = settlements.internal_settlements(
        stays, period=YEAR, employer_costs_percent=Decimal("26")
    )
    assert len(rows) == 1
    row = rows[0]
    assert (row.payer, row.payee) == ("Opplandsbanken ASA", "Mjøskraft AS")
    # 16/30 of April + May–November (7) + 14/31 of December = 7.9849 months (4 decimals).
    assert row.months == Decimal("7.9849")
    assert row.monthly_cost == Decimal("58800.00")  # 560 000 / 12 × 1.26
    assert row.amount == Decimal("469512.12")  # 7.9849 × 58 800, rounded to øre


def test_internal_settlements_add_up_per_pair_and_net_to_zero() -> None:
    """Two members each host the other's trainee: the pair totals and the net balances."""
    salary = Decimal("600000")  # 50 000 a month; with 20 % employer costs 60 000
    stays = [
        settlements.TraineeStay(
            "Ida", "Bank ASA", "Kraft AS", date(2026, 1, 1), date(2026, 3, 31), salary
        ),
        settlements.TraineeStay(
            "Ida", "Bank ASA", "Kraft AS", date(2026, 9, 1), date(2026, 9, 30), salary
        ),
        settlements.TraineeStay(
            "Ola", "Kraft AS", "Bank ASA", date(2026, 1, 1), date(2026, 1, 31), salary
        ),
        settlements.TraineeStay(
            "Per", "Kraft AS", None, date(2026, 1, 1), date(2026, 1, 31), salary
        ),
    ]
    rows = settlements.internal_settlements(
        stays, period=YEAR, employer_costs_percent=Decimal("20")
    )
    assert settlements.totals_by_pair(rows) == {
        ("Bank ASA", "Kraft AS"): Decimal("240000.00"),  # four months
        ("Kraft AS", "Bank ASA"): Decimal("60000.00"),
    }
    net = settlements.net_by_member(rows)
    assert net == {"Bank ASA": Decimal("-180000.00"), "Kraft AS": Decimal("180000.00")}
    assert sum(net.values()) == 0
