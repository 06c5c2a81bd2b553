"""Fee calculation (pure Python, no Django): invoice lines for one member and one period
from the programme's fee schedules and the member's placements.

Rules (documented in docs/finance.md):

- An **annual fee** of a tier is pro-rated by calendar days: the fee × (days the member
  belongs to the tier within both the invoice period and the schedule) / (days of the
  schedule). An invoice for the whole year therefore carries the whole fee. A rule with
  the condition "with trainee" applies only when the member hosts a trainee on some day
  of the schedule; "without trainee" only when it hosts none.
- A **fee per trainee-day** counts working days of each placement within the period —
  Monday to Friday except the Norwegian public holidays (``public_holidays``: 1 January,
  Maundy Thursday, Good Friday, Easter Monday, 1 May, 17 May, Ascension Day, Whit Monday,
  25 and 26 December) —, times the placement's share %.
- A **fee per trainee-month** is pro-rated day by day: for every calendar month a
  placement touches, (days hosted in that month / days in that month), times the share %.
  A trainee who changes host on 15 April is 14/30 of April at the first host and 16/30 at
  the second; nothing is counted twice and no day is lost.
- A **fee per placement** is charged once, in the period that contains the placement's
  first day, in full (not split by share %).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from itertools import pairwise

from traineenett.finance.money import line_amounts, round_quantity

ANNUAL = "annual"
PER_DAY = "per_day"
PER_MONTH = "per_month"
PER_PLACEMENT = "per_placement"

ANY = "any"
WITH_TRAINEE = "with_trainee"
WITHOUT_TRAINEE = "without_trainee"


@dataclass(frozen=True)
class FeeRule:
    kind: str  # ANNUAL, PER_DAY, PER_MONTH or PER_PLACEMENT
    amount: Decimal
    vat_percent: Decimal
    description: str
    tier: str = ""  # ANNUAL only: the membership fee tier it applies to ("" = every tier)
    condition: str = ANY  # ANNUAL only


@dataclass(frozen=True)
class Schedule:
    starts_on: date
    ends_on: date
    rules: tuple[FeeRule, ...]


@dataclass(frozen=True)
class MemberTerm:
    """One membership of the member: its tier from a date, possibly to a date."""

    fee_tier: str
    starts_on: date
    ends_on: date | None


@dataclass(frozen=True)
class Stay:
    """A placement: a trainee hosted from one date to another (inclusive)."""

    trainee: str
    starts_on: date
    ends_on: date
    share_percent: int = 100


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat_percent: Decimal

    @property
    def amounts(self) -> tuple[Decimal, Decimal, Decimal]:
        return line_amounts(self.quantity, self.unit_price, self.vat_percent)

    @property
    def net(self) -> Decimal:
        return self.amounts[0]

    @property
    def total(self) -> Decimal:
        return self.amounts[2]


def clip(span: tuple[date, date | None], window: tuple[date, date]) -> tuple[date, date] | None:
    """The part of ``span`` inside ``window`` (inclusive), or None."""
    start = max(span[0], window[0])
    end = min(span[1] or window[1], window[1])
    return (start, end) if start <= end else None


def days(span: tuple[date, date]) -> int:
    return (span[1] - span[0]).days + 1


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * weekday_shift) // 433
    month = (h + weekday_shift - 7 * m + 90) // 25
    day = (h + weekday_shift - 7 * m + 33 * month + 19) % 32
    return date(year, month, day)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Norway's public holidays (helligdager and 1 and 17 May) that can fall on a weekday."""
    easter = easter_sunday(year)
    return frozenset(
        {
            date(year, 1, 1),
            easter - timedelta(days=3),  # Maundy Thursday
            easter - timedelta(days=2),  # Good Friday
            easter + timedelta(days=1),  # Easter Monday
            date(year, 5, 1),
            date(year, 5, 17),
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def working_days(span: tuple[date, date]) -> int:
    """Monday to Friday in ``span`` (inclusive), less the public holidays on weekdays."""
    full_weeks, rest = divmod(days(span), 7)
    count = full_weeks * 5
    first = span[0]
    for offset in range(rest):
        if (first + timedelta(days=full_weeks * 7 + offset)).weekday() < 5:
            count += 1
    for year in range(span[0].year, span[1].year + 1):
        count -= sum(
            1
            for holiday in public_holidays(year)
            if span[0] <= holiday <= span[1] and holiday.weekday() < 5
        )
    return count


def months_hosted(span: tuple[date, date]) -> Decimal:
    """Day-precise months: the sum over calendar months of days hosted / days in month."""
    total = Decimal(0)
    day = span[0]
    while day <= span[1]:
        month_days = calendar.monthrange(day.year, day.month)[1]
        month_end = date(day.year, day.month, month_days)
        last = min(month_end, span[1])
        total += Decimal((last - day).days + 1) / Decimal(month_days)
        day = last + timedelta(days=1)
    return total


def schedules_overlap(schedules: Iterable[tuple[date, date]]) -> tuple[int, int] | None:
    """Indices of the first two overlapping (start, end) spans, or None."""
    ordered = sorted(enumerate(schedules), key=lambda item: item[1][0])
    for (first_index, first), (second_index, second) in pairwise(ordered):
        if second[0] <= first[1]:
            return (first_index, second_index)
    return None


def _share(stay: Stay) -> Decimal:
    return Decimal(stay.share_percent) / 100


def _label(stay: Stay, span: tuple[date, date]) -> str:
    return f"{stay.trainee} {span[0]:%d.%m.%Y}–{span[1]:%d.%m.%Y}"


def fee_lines(
    *,
    schedules: Iterable[Schedule],
    terms: Iterable[MemberTerm],
    stays: Iterable[Stay],
    period: tuple[date, date],
) -> list[Line]:
    """The invoice lines for one member in ``period`` (inclusive dates)."""
    terms, stays = list(terms), list(stays)
    lines: list[Line] = []
    for schedule in sorted(schedules, key=lambda s: s.starts_on):
        window = clip((schedule.starts_on, schedule.ends_on), period)
        if window is None:
            continue
        schedule_span = (schedule.starts_on, schedule.ends_on)
        hosts_in_schedule = any(clip((s.starts_on, s.ends_on), schedule_span) for s in stays)
        for rule in schedule.rules:
            if rule.kind == ANNUAL:
                lines += _annual(rule, terms, window, schedule_span, hosts_in_schedule)
            elif rule.kind == PER_DAY:
                lines += _per_day(rule, stays, window)
            elif rule.kind == PER_MONTH:
                lines += _per_month(rule, stays, window)
            elif rule.kind == PER_PLACEMENT:
                lines += [
                    Line(
                        f"{rule.description}: {stay.trainee}",
                        Decimal(1),
                        rule.amount,
                        rule.vat_percent,
                    )
                    for stay in stays
                    if window[0] <= stay.starts_on <= window[1]
                ]
    return lines


def _annual(
    rule: FeeRule,
    terms: list[MemberTerm],
    window: tuple[date, date],
    schedule_span: tuple[date, date],
    hosts: bool,
) -> list[Line]:
    if (rule.condition == WITH_TRAINEE and not hosts) or (
        rule.condition == WITHOUT_TRAINEE and hosts
    ):
        return []
    covered = 0
    for term in terms:
        if rule.tier and term.fee_tier != rule.tier:
            continue
        span = clip((term.starts_on, term.ends_on), window)
        if span is not None:
            covered += days(span)
    if covered == 0:
        return []
    fraction = Decimal(covered) / Decimal(days(schedule_span))
    quantity = Decimal(1) if covered >= days(schedule_span) else round_quantity(fraction)
    return [Line(rule.description, quantity, rule.amount, rule.vat_percent)]


def _per_day(rule: FeeRule, stays: list[Stay], window: tuple[date, date]) -> list[Line]:
    lines = []
    for stay in stays:
        span = clip((stay.starts_on, stay.ends_on), window)
        if span is None:
            continue
        quantity = round_quantity(Decimal(working_days(span)) * _share(stay))
        if quantity:
            lines.append(
                Line(
                    f"{rule.description}: {_label(stay, span)}",
                    quantity,
                    rule.amount,
                    rule.vat_percent,
                )
            )
    return lines


def _per_month(rule: FeeRule, stays: list[Stay], window: tuple[date, date]) -> list[Line]:
    lines = []
    for stay in stays:
        span = clip((stay.starts_on, stay.ends_on), window)
        if span is None:
            continue
        quantity = round_quantity(months_hosted(span) * _share(stay))
        lines.append(
            Line(
                f"{rule.description}: {_label(stay, span)}",
                quantity,
                rule.amount,
                rule.vat_percent,
            )
        )
    return lines
