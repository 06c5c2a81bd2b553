"""Finance settings and validators, fee schedules, budget, self-financing and cost per trainee."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import World
from tests.factories_finance import BANK_ACCOUNT, annual_schedule, client_en
from traineenett.core.models import AuditEntry
from traineenett.finance import selectors, services
from traineenett.finance.models import (
    BudgetLine,
    CostCategory,
    FeeKind,
    FeeRule,
    FeeSchedule,
    FinanceSettings,
    RevenueSource,
)
from traineenett.finance.validators import kid_for, kid_is_valid, validate_bank_account

pytestmark = pytest.mark.usefixtures("english")


# ------------------------------------------------------------------ KID and validators


def luhn_check_digit(digits: str) -> str:
    """An independent MOD10 implementation: double every second digit from the right."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value = value - 9 if value > 9 else value
        total += value
    return str((10 - total % 10) % 10)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("79927398713", True),  # the textbook MOD10 (Luhn) example
        ("49927398716", True),
        ("49927398717", False),
        ("1234567812345670", True),
        ("1234567812345678", False),
        ("4111111111111111", True),
    ],
)
def test_kid_check_digit_against_known_examples(number: str, valid: bool) -> None:
    assert kid_is_valid(number) is valid
    assert (luhn_check_digit(number[:-1]) == number[-1]) is valid


def test_kid_of_an_invoice() -> None:
    assert kid_for(2026, 42) == "20260000425"
    for number in (1, 7, 99, 12345, 999999):
        kid = kid_for(2026, number)
        assert len(kid) == 11
        assert kid[-1] == luhn_check_digit(kid[:-1])
        assert kid_is_valid(kid)
    assert not kid_is_valid("20260000424")


@pytest.mark.parametrize("account", ["86011117947", "1234.56.78903"])
def test_valid_bank_accounts(account: str) -> None:
    validate_bank_account(account)


@pytest.mark.parametrize("account", ["86011117948", "1234567890", "abcdefghijk", ""])
def test_invalid_bank_accounts(account: str) -> None:
    with pytest.raises(ValidationError):
        validate_bank_account(account)


def test_an_invalid_bank_account_or_organisation_number_changes_nothing(world: World) -> None:
    program = world.program
    services.finance_settings_update(program=program, data={"bank_account": BANK_ACCOUNT})
    with pytest.raises(ValidationError) as error:
        services.finance_settings_update(program=program, data={"bank_account": "86011117948"})
    assert "bank_account" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.finance_settings_update(
            program=program, data={"seller_organisation_number": "974760674"}
        )
    assert "seller_organisation_number" in error.value.message_dict
    settings_ = FinanceSettings.objects.get(program=program)
    assert settings_.bank_account == BANK_ACCOUNT
    assert settings_.seller_organisation_number == ""


def test_billing_contact_page_shows_and_changes_the_address(world: World) -> None:
    services.billing_contact_save(
        program=world.program, organisation=world.organisation_a, invoice_email="old@a.example"
    )
    client = client_en(world, "coordinator")
    url = reverse("finance:billing_contact_edit", args=[world.program.slug, world.membership_a.pk])
    assert 'value="old@a.example"' in client.get(url).content.decode()
    response = client.post(url, {"invoice_email": "New@A.example", "reference": "PO 7"})
    assert response.status_code == 302
    contact = selectors.billing_contact_of(world.program, world.organisation_a)
    assert contact is not None
    assert (contact.invoice_email, contact.reference) == ("new@a.example", "PO 7")


def test_settings_page_names_the_bad_field(world: World) -> None:
    client = client_en(world, "coordinator")
    url = reverse("finance:settings", args=[world.program.slug])
    response = client.post(
        url,
        {
            "seller_name": "Trainee Innlandet",
            "seller_organisation_number": "974 760 673",
            "bank_account": "8601 11 17948",
            "due_days": "14",
            "employer_costs_percent": "26",
        },
    )
    assert response.status_code == 200
    assert "not a valid bank account number" in response.content.decode()
    assert not FinanceSettings.objects.filter(program=world.program, bank_account__gt="").exists()
    response = client.post(
        url,
        {
            "seller_name": "Trainee Innlandet",
            "seller_organisation_number": "974 760 673",
            "bank_account": "8601 11 17947",
            "due_days": "14",
            "employer_costs_percent": "26",
        },
    )
    assert response.status_code == 302
    saved = FinanceSettings.objects.get(program=world.program)
    assert (saved.bank_account, saved.seller_organisation_number) == ("86011117947", "974760673")


# ------------------------------------------------------------------------ fee schedules


def test_overlapping_fee_schedules_are_refused(world: World) -> None:
    annual_schedule(world.program, 2026)
    with pytest.raises(ValidationError) as error:
        services.fee_schedule_create(
            program=world.program,
            name="Halvår",
            starts_on=date(2026, 7, 1),
            ends_on=date(2027, 6, 30),
        )
    assert "overlaps the fee schedule “Kontingent 2026”" in error.value.message_dict["starts_on"][0]
    assert FeeSchedule.objects.filter(program=world.program).count() == 1
    # Another programme's schedules do not count; the next year is fine.
    annual_schedule(world.other_program, 2026)
    services.fee_schedule_create(
        program=world.program, name="2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31)
    )


def test_fee_schedule_page_shows_the_overlap_message(world: World) -> None:
    annual_schedule(world.program, 2026)
    response = client_en(world, "coordinator").post(
        reverse("finance:schedule_create", args=[world.program.slug]),
        {"name": "Ny", "starts_on": "2026-03-01", "ends_on": "2026-05-31"},
    )
    assert response.status_code == 200
    assert "may not overlap" in response.content.decode()
    assert FeeSchedule.objects.count() == 1


def test_a_negative_fee_is_refused(world: World) -> None:
    schedule = annual_schedule(world.program)
    with pytest.raises(ValidationError) as error:
        services.fee_rule_add(
            schedule=schedule,
            data={"kind": FeeKind.PER_DAY, "description": "Dag", "amount": Decimal("-1")},
        )
    assert "amount" in error.value.message_dict
    assert FeeRule.objects.filter(schedule=schedule).count() == 1
    response = client_en(world, "coordinator").post(
        reverse("finance:schedule_detail", args=[world.program.slug, schedule.pk]),
        {
            "kind": "per_day",
            "description": "Dag",
            "tier": "",
            "condition": "any",
            "amount": "-1250",
            "vat_rate": "25.00",
        },
    )
    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert FeeRule.objects.filter(schedule=schedule).count() == 1


def test_board_cannot_add_fees(world: World) -> None:
    schedule = annual_schedule(world.program)
    response = client_en(world, "board").post(
        reverse("finance:schedule_detail", args=[world.program.slug, schedule.pk]),
        {"kind": "per_day", "description": "Dag", "amount": "1", "vat_rate": "25.00"},
    )
    assert response.status_code == 403
    assert FeeRule.objects.filter(schedule=schedule).count() == 1


# ------------------------------------------------------------------ budget and the ratio


def _year(program: Any, year: int, members: int, trainees: int, grants: int, cost: int) -> None:
    services.budget_save(
        program=program,
        year=year,
        rows={
            CostCategory.COORDINATION: (Decimal(cost), Decimal(cost)),
            RevenueSource.MEMBER_FEES: (Decimal(members), Decimal(members)),
            RevenueSource.TRAINEE_FEES: (Decimal(trainees), Decimal(trainees)),
            RevenueSource.PUBLIC_GRANTS: (Decimal(grants), Decimal(grants)),
        },
    )


def test_self_financing_ratio_per_year(world: World) -> None:
    _year(world.program, 2024, 800_000, 200_000, 0, 900_000)
    _year(world.program, 2025, 600_000, 150_000, 250_000, 1_000_000)
    years = selectors.budget_years(world.program)
    assert [y.year for y in years] == [2024, 2025]
    assert years[0].self_financing == 1
    assert years[0].self_financing_percent == Decimal("100.0")
    assert years[1].self_financing == Decimal("0.75")
    assert years[1].result == Decimal(0)


def test_a_negative_budget_line_is_refused_and_nothing_is_saved(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.budget_save(
            program=world.program,
            year=2026,
            rows={
                CostCategory.MARKETING: (Decimal(10), Decimal(10)),
                CostCategory.EVENTS: (Decimal(10), Decimal(-5)),
            },
        )
    assert "Events: amounts cannot be negative." in error.value.message_dict["events"]
    assert not BudgetLine.objects.exists()
    response = client_en(world, "coordinator").post(
        reverse("finance:budget_edit", args=[world.program.slug, 2026]),
        {"marketing_budgeted": "100", "marketing_actual": "-3"},
    )
    assert response.status_code == 200
    assert not BudgetLine.objects.exists()


def test_budget_page_saves_the_year(world: World) -> None:
    client = client_en(world, "coordinator")
    response = client.post(
        reverse("finance:budget_edit", args=[world.program.slug, 2025]),
        {"coordination_actual": "1000000", "member_fees_actual": "1234567,5"},
    )
    assert response.status_code == 302
    page = client.get(reverse("finance:budget", args=[world.program.slug])).content.decode()
    assert "1\xa0234\xa0567,50\xa0kr" in page
    assert "100,0 %" in page
    assert AuditEntry.objects.filter(action="finance.budget.saved").count() == 1


def test_dashboard_panel_for_finance_viewers_only(world: World) -> None:
    _year(world.program, 2025, 750_000, 0, 250_000, 900_000)
    url = reverse("core:dashboard", args=[world.program.slug])
    board_page = client_en(world, "board").get(url).content.decode()
    assert 'data-testid="self-financing">75,0 %' in board_page
    assert "no follow-up data" in board_page
    host_page = client_en(world, "host_a").get(url).content.decode()
    assert "self-financing" not in host_page


def test_years_are_shown_without_a_thousand_separator(world: World) -> None:
    _year(world.program, 2025, 750_000, 0, 250_000, 900_000)
    client = client_en(world, "coordinator")
    for url in (
        reverse("core:dashboard", args=[world.program.slug]),
        reverse("finance:overview", args=[world.program.slug]),
        reverse("finance:budget", args=[world.program.slug]),
    ):
        page = client.get(url).content.decode()
        assert "2025" in page, url
        assert "2\xa0025" not in page and "2 025" not in page, url


def test_cost_per_settled_trainee_uses_the_follow_up_figures(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    _year(world.program, 2025, 900_000, 0, 0, 900_000)
    cost = selectors.trainee_cost(world.program, date(2026, 1, 1))
    # One trainee in a cohort running in 2025.
    assert (cost.trainees, cost.per_trainee) == (1, Decimal(900_000))
    figures = SimpleNamespace(eligible=12, known=10, resident=5)
    monkeypatch.setattr(selectors, "_settled_alumni", lambda program, as_of: figures)
    cost = selectors.trainee_cost(world.program, date(2026, 1, 1))
    assert cost.per_settled == Decimal(1_800_000)  # half of those known stayed
    monkeypatch.setattr(
        selectors,
        "_settled_alumni",
        lambda program, as_of: SimpleNamespace(eligible=0, known=0, resident=0),
    )
    assert selectors.trainee_cost(world.program, date(2026, 1, 1)).per_settled is None


def test_settlement_page_for_member_employment(world: World) -> None:
    trainee = world.trainee
    trainee.employer = world.organisation_b
    trainee.save(update_fields=["employer"])
    response = client_en(world, "coordinator").get(
        reverse("finance:settlements", args=[world.program.slug]) + "?year=2025"
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert len(report.rows) == 1
    row = report.rows[0]
    assert (row.payer, row.payee) == ("Mjøskraft AS", "Opplandsbanken ASA")
    assert report.pairs == {("Mjøskraft AS", "Opplandsbanken ASA"): row.amount}
    assert report.net == {"Mjøskraft AS": -row.amount, "Opplandsbanken ASA": row.amount}
    assert "Net per member" in response.content.decode()
    # 15 Aug – 31 Dec 2025: 17/31 + 4 months; 560 000 / 12 × 1.26 = 58 800 a month.
    assert row.months == Decimal("4.5484")
    assert row.amount == Decimal("267445.92")
