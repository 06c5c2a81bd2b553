"""Reads for finance and the board, always starting from the programme."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from traineenett.cohorts.models import Trainee
from traineenett.core.models import EmploymentModel, Program
from traineenett.core.validators import normalise_organisation_number
from traineenett.finance import settlements
from traineenett.finance.models import (
    MEMBER_REVENUE,
    BillingContact,
    BoardMeeting,
    BoardSeat,
    BudgetLine,
    BudgetSection,
    FeeKind,
    FeeRule,
    FeeSchedule,
    Invoice,
    MeetingAttachment,
    MembershipApplication,
)
from traineenett.finance.services import (
    budget_categories,
    finance_settings_for,
    placements_in,
)
from traineenett.members.models import Membership, Organisation


def _get_or_404(queryset: QuerySet[Any], pk: int) -> Any:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# ------------------------------------------------------------------------------ fees


def fee_schedules_of_program(program: Program) -> QuerySet[FeeSchedule]:
    return FeeSchedule.objects.filter(program=program).annotate(rule_count=Count("rules"))


def fee_schedule_of_program(program: Program, pk: int) -> FeeSchedule:
    return _get_or_404(FeeSchedule.objects.filter(program=program), pk)


def fee_rule_of_program(program: Program, pk: int) -> FeeRule:
    return _get_or_404(
        FeeRule.objects.filter(schedule__program=program).select_related("schedule"), pk
    )


# -------------------------------------------------------------------------- invoices


def invoices_of_program(
    program: Program, *, year: int | None = None, status: str = ""
) -> QuerySet[Invoice]:
    invoices = Invoice.objects.filter(program=program).select_related("organisation")
    if year:
        invoices = invoices.filter(Q(year=year) | Q(year__isnull=True, period_start__year=year))
    if status:
        invoices = invoices.filter(status=status)
    return invoices.order_by("status", "-year", "-number", "-pk")


def invoice_of_program(program: Program, pk: int) -> Invoice:
    return _get_or_404(
        Invoice.objects.filter(program=program).select_related(
            "organisation", "credits", "reissue_of", "program"
        ),
        pk,
    )


def invoices_of_host(program: Program, organisation_ids: frozenset[int]) -> QuerySet[Invoice]:
    """A host's own organisation's issued invoices (drafts are the programme's business)."""
    return (
        Invoice.objects.filter(program=program, organisation_id__in=organisation_ids)
        .exclude(status="draft")
        .select_related("organisation")
        .order_by("-year", "-number")
    )


def invoice_of_host(program: Program, organisation_ids: frozenset[int], pk: int) -> Invoice:
    return _get_or_404(invoices_of_host(program, organisation_ids).select_related("program"), pk)


def billing_memberships(
    program: Program, today: date
) -> list[tuple[Membership, BillingContact | None]]:
    memberships = list(
        Membership.objects.filter(program=program)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    contacts = {
        contact.organisation_id: contact
        for contact in BillingContact.objects.filter(program=program)
    }
    return [(m, contacts.get(m.organisation_id)) for m in memberships]


def billing_contact_of(program: Program, organisation: Organisation) -> BillingContact | None:
    return BillingContact.objects.filter(program=program, organisation=organisation).first()


# ----------------------------------------------------------------------- settlements


@dataclass(frozen=True)
class SettlementReport:
    model: str
    period: tuple[date, date]
    rows: list[settlements.Settlement]
    totals: dict[str, Decimal]
    employer_costs_percent: Decimal
    pairs: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # model A
    net: dict[str, Decimal] = field(default_factory=dict)  # model A


def settlement_report(program: Program, year: int) -> SettlementReport:
    """Model A: internal settlements between members; model C: each host's share of the
    trainee cost; model B: the same day-precise cost per host (billed through the fees)."""
    period = (date(year, 1, 1), date(year, 12, 31))
    percent = finance_settings_for(program).employer_costs_percent
    stays = [
        settlements.TraineeStay(
            trainee=p.trainee.full_name,
            host=p.organisation.name,
            employer=p.trainee.employer.name if p.trainee.employer else None,
            starts_on=p.period.starts_on,
            ends_on=p.period.ends_on,
            annual_salary=p.trainee.cohort.common_salary,
            share_percent=p.share_percent,
        )
        for p in placements_in(program, period)
    ]
    if program.employment_model == EmploymentModel.MEMBER_EMPLOYS:
        rows = settlements.internal_settlements(
            stays, period=period, employer_costs_percent=percent
        )
    else:
        rows = settlements.shared_cost_split(stays, period=period, employer_costs_percent=percent)
    return SettlementReport(
        program.employment_model,
        period,
        rows,
        settlements.totals_by_payer(rows),
        percent,
        settlements.totals_by_pair(rows),
        settlements.net_by_member(rows),
    )


# ---------------------------------------------------------------------------- budget


@dataclass
class BudgetYear:
    year: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    cost_budget: Decimal = Decimal(0)
    cost_actual: Decimal = Decimal(0)
    revenue_budget: Decimal = Decimal(0)
    revenue_actual: Decimal = Decimal(0)
    member_revenue: Decimal = Decimal(0)

    @property
    def self_financing(self) -> Decimal | None:
        """Revenue from members / total revenue (actuals), or None without revenue."""
        if not self.revenue_actual:
            return None
        return self.member_revenue / self.revenue_actual

    @property
    def self_financing_percent(self) -> Decimal | None:
        ratio = self.self_financing
        return None if ratio is None else (ratio * 100).quantize(Decimal("0.1"))

    @property
    def bar_height(self) -> int:
        """Height in the 100-pixel-high chart of _ratio_chart.html."""
        percent = self.self_financing_percent
        return 0 if percent is None else round(percent)

    @property
    def bar_y(self) -> int:
        return 110 - self.bar_height

    @property
    def result(self) -> Decimal:
        return self.revenue_actual - self.cost_actual


def budget_years(program: Program) -> list[BudgetYear]:
    """Every year with budget lines, oldest first, with the self-financing ratio (one query)."""
    by_year: dict[int, BudgetYear] = {}
    found: dict[int, dict[str, BudgetLine]] = defaultdict(dict)
    for line in BudgetLine.objects.filter(program=program).order_by("year"):
        year = by_year.setdefault(line.year, BudgetYear(line.year))
        found[line.year][line.category] = line
        if line.section == BudgetSection.COST:
            year.cost_budget += line.budgeted
            year.cost_actual += line.actual
        else:
            year.revenue_budget += line.budgeted
            year.revenue_actual += line.actual
            if line.category in MEMBER_REVENUE:
                year.member_revenue += line.actual
    for year_number, year in by_year.items():
        for section, category, label in budget_categories():
            stored = found[year_number].get(category)
            year.lines.append(
                {
                    "section": section,
                    "category": category,
                    "label": label,
                    "budgeted": stored.budgeted if stored else Decimal(0),
                    "actual": stored.actual if stored else Decimal(0),
                }
            )
    return [by_year[key] for key in sorted(by_year)]


def budget_rows(program: Program, year: int) -> dict[str, tuple[Decimal, Decimal]]:
    return {
        line.category: (line.budgeted, line.actual)
        for line in BudgetLine.objects.filter(program=program, year=year)
    }


# ------------------------------------------------------------- cost per settled trainee


@dataclass(frozen=True)
class TraineeCost:
    years: tuple[int, int] | None
    total_cost: Decimal
    trainees: int
    per_trainee: Decimal | None
    followup: Any  # the follow-up figures (eligible, known, resident) or None
    per_settled: Decimal | None


def _settled_alumni(program: Program, as_of: date) -> Any:
    """The follow-up app's figures, if that app provides them (imported lazily)."""
    try:
        selectors = import_module("traineenett.followup.selectors")
        function = selectors.settled_alumni
    except (ImportError, AttributeError):
        return None
    return function(program, as_of, years=3)


def trainee_cost(
    program: Program, as_of: date, budget: list[BudgetYear] | None = None
) -> TraineeCost:
    """Cost per trainee = actual costs of the years with accounts / trainees in cohorts
    running in those years. Cost per settled trainee = cost per trainee / the share of
    alumni with known residence who live in the region three years after."""
    budget = budget_years(program) if budget is None else budget
    years = [y for y in budget if y.cost_actual]
    total = sum((y.cost_actual for y in years), Decimal(0))
    span = (years[0].year, years[-1].year) if years else None
    trainees = 0
    if span is not None:
        trainees = Trainee.objects.filter(
            program=program,
            cohort__starts_on__lte=date(span[1], 12, 31),
            cohort__ends_on__gte=date(span[0], 1, 1),
        ).count()
    per_trainee = (total / trainees).quantize(Decimal("1")) if trainees else None
    figures = _settled_alumni(program, as_of)
    per_settled = None
    known = getattr(figures, "known", 0) or 0
    resident = getattr(figures, "resident", 0) or 0
    if per_trainee is not None and known and resident:
        per_settled = (per_trainee * Decimal(known) / Decimal(resident)).quantize(Decimal("1"))
    return TraineeCost(span, total, trainees, per_trainee, figures if known else None, per_settled)


# ---------------------------------------------------------------------------- board


def fee_tiers_of_program(program: Program) -> list[str]:
    """The tiers an applicant can choose: those of the annual fees and those in use."""
    tiers = set(
        FeeRule.objects.filter(schedule__program=program, kind=FeeKind.ANNUAL)
        .exclude(tier="")
        .values_list("tier", flat=True)
    )
    tiers |= set(
        Membership.objects.filter(program=program)
        .exclude(fee_tier="")
        .values_list("fee_tier", flat=True)
    )
    return sorted(tiers)


def organisation_by_number(number: str) -> Organisation | None:
    """The organisation known to the platform under an organisation number (any form)."""
    number = normalise_organisation_number(number)
    return Organisation.objects.filter(organisation_number=number).first() if number else None


def applications_of_program(program: Program, status: str = "") -> QuerySet[MembershipApplication]:
    applications = MembershipApplication.objects.filter(program=program).select_related(
        "organisation", "municipality"
    )
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("status", "-submitted_at")


def application_of_program(program: Program, pk: int) -> MembershipApplication:
    return _get_or_404(applications_of_program(program).select_related("decided_by"), pk)


def board_seats(program: Program, today: date) -> tuple[list[BoardSeat], list[BoardSeat]]:
    """(current seats, earlier seats)."""
    seats = list(BoardSeat.objects.filter(program=program).select_related("organisation", "cohort"))
    current = [
        s for s in seats if s.starts_on <= today and (s.ends_on is None or s.ends_on >= today)
    ]
    earlier = [s for s in seats if s not in current]
    return current, earlier


def board_seat_of_program(program: Program, pk: int) -> BoardSeat:
    return _get_or_404(BoardSeat.objects.filter(program=program), pk)


def meetings_of_program(program: Program) -> QuerySet[BoardMeeting]:
    return BoardMeeting.objects.filter(program=program).annotate(
        attachment_count=Count("attachments")
    )


def meeting_of_program(program: Program, pk: int) -> BoardMeeting:
    return _get_or_404(
        BoardMeeting.objects.filter(program=program).prefetch_related("attachments"), pk
    )


def attachment_of_program(program: Program, pk: int) -> MeetingAttachment:
    return _get_or_404(
        MeetingAttachment.objects.filter(meeting__program=program).select_related("meeting"), pk
    )
