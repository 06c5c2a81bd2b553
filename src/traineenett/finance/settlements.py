"""Trainee costs under the three employment models (pure Python, no Django).

- **A — a member employs the trainee.** When another member hosts, the host owes the
  employer an internal settlement: months hosted × the cohort's common salary / 12 ×
  (1 + employer costs % / 100). Months are day-precise (see ``fees.months_hosted``).
- **B — the programme employs the trainee** and bills the hosts from the placements with
  the fee schedule's per-day or per-month fees (``fees.fee_lines``).
- **C — shared trainees.** The trainee's cost for the time hosted is split between the
  hosts by the placements' share %.

Each amount is rounded to øre once, at the end (ROUND_HALF_UP, ``money.round_ore``), from
the quantity of months rounded to four decimals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from traineenett.finance.fees import clip, months_hosted
from traineenett.finance.money import round_ore, round_quantity


@dataclass(frozen=True)
class TraineeStay:
    """A placement with what the settlement needs about the trainee and the host."""

    trainee: str
    host: str
    employer: str | None  # model A: the member employing the trainee
    starts_on: date
    ends_on: date
    annual_salary: Decimal
    share_percent: int = 100


@dataclass(frozen=True)
class Settlement:
    trainee: str
    payer: str  # the host
    payee: str | None  # the employer (model A) or None (the trainee's cost share, model C)
    months: Decimal
    monthly_cost: Decimal
    share_percent: int
    amount: Decimal


def monthly_cost(annual_salary: Decimal, employer_costs_percent: Decimal) -> Decimal:
    """Salary / 12 × (1 + employer costs %), unrounded."""
    return annual_salary / 12 * (1 + employer_costs_percent / 100)


def _settle(
    stay: TraineeStay,
    period: tuple[date, date],
    employer_costs_percent: Decimal,
    payee: str | None,
    share_percent: int,
) -> Settlement | None:
    span = clip((stay.starts_on, stay.ends_on), period)
    if span is None:
        return None
    months = round_quantity(months_hosted(span))
    cost = monthly_cost(stay.annual_salary, employer_costs_percent)
    amount = round_ore(months * cost * Decimal(share_percent) / 100)
    return Settlement(
        stay.trainee, stay.host, payee, months, round_ore(cost), share_percent, amount
    )


def internal_settlements(
    stays: Iterable[TraineeStay], *, period: tuple[date, date], employer_costs_percent: Decimal
) -> list[Settlement]:
    """Model A: what each host owes each employer for the trainees it hosts in ``period``.
    A trainee hosted by its own employer, or with no employer, gives no settlement."""
    settlements = []
    for stay in stays:
        if stay.employer is None or stay.employer == stay.host:
            continue
        settlement = _settle(stay, period, employer_costs_percent, stay.employer, 100)
        if settlement is not None:
            settlements.append(settlement)
    return settlements


def shared_cost_split(
    stays: Iterable[TraineeStay], *, period: tuple[date, date], employer_costs_percent: Decimal
) -> list[Settlement]:
    """Model C: each host's share of the trainee cost (by the placement's share %)."""
    settlements = []
    for stay in stays:
        settlement = _settle(stay, period, employer_costs_percent, None, stay.share_percent)
        if settlement is not None:
            settlements.append(settlement)
    return settlements


def totals_by_payer(settlements: Iterable[Settlement]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for settlement in settlements:
        totals[settlement.payer] = totals.get(settlement.payer, Decimal(0)) + settlement.amount
    return dict(sorted(totals.items()))


def totals_by_pair(settlements: Iterable[Settlement]) -> dict[tuple[str, str], Decimal]:
    """Model A: what each host owes each employer in all, keyed by (host, employer)."""
    totals: dict[tuple[str, str], Decimal] = {}
    for settlement in settlements:
        if settlement.payee is None:
            continue
        key = (settlement.payer, settlement.payee)
        totals[key] = totals.get(key, Decimal(0)) + settlement.amount
    return dict(sorted(totals.items()))


def net_by_member(settlements: Iterable[Settlement]) -> dict[str, Decimal]:
    """Model A: each member's balance, what it receives as employer less what it owes as
    host (positive: the member is owed money). The balances add up to zero."""
    net: dict[str, Decimal] = {}
    for settlement in settlements:
        if settlement.payee is None:
            continue
        net[settlement.payee] = net.get(settlement.payee, Decimal(0)) + settlement.amount
        net[settlement.payer] = net.get(settlement.payer, Decimal(0)) - settlement.amount
    return dict(sorted(net.items()))
