"""A membership application submitted on the public form and decided by the board, in
Chromium, with axe-core on every page (the public form included)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from traineenett.core.demo import organisation_number
from traineenett.core.models import RoleKind

pytestmark = pytest.mark.browser


def submit(page: Page) -> None:
    page.locator("main form").locator('button[type="submit"]').click()


def test_membership_application_decided_by_the_board(
    page: Page, programme, make_user, log_in, a11y
) -> None:
    from traineenett.finance.models import ApplicationStatus, BillingContact, MembershipApplication
    from traineenett.members.models import Membership

    slug = programme.program.slug
    number = organisation_number(4242)

    # An organisation applies without logging in.
    page.goto(f"/{slug}/membership/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trainee Testland")
    a11y.scan(page)
    page.locator('input[name="organisation_number"]').fill("123")
    submit(page)  # a bad organisation number: the page names the field, keeps the input
    expect(page.locator("#id_organisation_number_error")).to_be_visible()
    a11y.scan(page)
    page.locator('input[name="organisation_number"]').fill(
        f"{number[:3]} {number[3:6]} {number[6:]}"
    )
    page.locator('input[name="organisation_name"]').fill("Gjøvik Bioteknologi AS")
    page.locator('select[name="municipality"]').select_option("3407")
    page.locator('input[name="employees"]').fill("85")
    page.locator('input[name="contact_name"]').fill("Hilde Bakke")
    page.locator('input[name="contact_email"]').fill("hilde.bakke@example.org")
    page.locator('input[name="invoice_email"]').fill("faktura@gjovikbio.example.org")
    page.locator('input[name="fee_tier"]').fill("Standard")
    page.locator('textarea[name="motivation"]').fill(
        "Vi vil rekruttere unge talenter til regionen."
    )
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{slug}/membership/apply/received/$"))
    a11y.scan(page)
    application = MembershipApplication.objects.get()
    assert application.status == ApplicationStatus.PENDING

    # A board member decides.
    make_user("styre@example.org", program=programme.program, kind=RoleKind.BOARD)
    log_in(page, "styre@example.org")
    page.goto(f"/{slug}/")
    page.locator(f'nav.program-nav a[href="/{slug}/board/"]').click()
    expect(page).to_have_url(re.compile(rf"/{slug}/board/$"))
    a11y.scan(page)
    page.locator(f'main a[href="/{slug}/board/applications/"]').click()
    a11y.scan(page)
    page.locator(f'main a[href="/{slug}/board/applications/{application.pk}/"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gjøvik Bioteknologi AS")
    a11y.scan(page)
    page.locator('input[name="decision"][value="approve"]').check()
    page.locator('input[name="starts_on"]').fill("2026-09-01")
    page.locator('textarea[name="note"]').fill("Velkommen som medlem.")
    submit(page)
    expect(page.locator("ul.messages")).to_be_visible()
    expect(page.locator('[data-testid="application-status"]')).to_have_text("Godkjent")
    a11y.scan(page)

    membership = Membership.objects.get(
        program=programme.program, organisation__organisation_number=number
    )
    assert membership.fee_tier == "Standard"
    assert BillingContact.objects.get(organisation=membership.organisation).invoice_email == (
        "faktura@gjovikbio.example.org"
    )
    a11y.assert_clean()


def test_finance_pages_for_the_coordinator(page: Page, programme, make_user, log_in, a11y) -> None:
    from datetime import date
    from decimal import Decimal

    from traineenett.finance import services
    from traineenett.finance.models import FeeKind, RevenueSource, VatRate

    program = programme.program
    slug = program.slug
    services.finance_settings_update(
        program=program,
        data={
            "seller_organisation_number": organisation_number(900),
            "bank_account": "86011117947",
        },
    )
    schedule = services.fee_schedule_create(
        program=program,
        name="Kontingent 2026",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    services.fee_rule_add(
        schedule=schedule,
        data={
            "kind": FeeKind.ANNUAL,
            "description": "Kontingent",
            "amount": Decimal(75_000),
            "vat_rate": VatRate.EXEMPT,
        },
    )
    services.budget_save(
        program=program, year=2025, rows={RevenueSource.MEMBER_FEES: (Decimal(1), Decimal(900_000))}
    )
    invoice = services.invoice_generate(
        program=program,
        organisation=programme.organisation,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    services.invoice_issue(invoice=invoice, send=False, today=date(2026, 2, 1))
    meeting = services.meeting_create(
        program=program,
        data={"held_on": date(2026, 3, 12), "title": "Styremøte 1/2026", "decisions": "Vedtak"},
    )
    make_user("koordinator@example.org", program=program, kind=RoleKind.COORDINATOR)
    log_in(page, "koordinator@example.org", scan=False)
    for path in (
        "finance/",
        "finance/budget/",
        "finance/budget/2026/",
        "finance/fees/",
        f"finance/fees/{schedule.pk}/",
        "finance/invoices/?year=2026",
        "finance/invoices/generate/",
        f"finance/invoices/{invoice.pk}/",
        "finance/settlements/",
        "finance/settings/",
        "finance/billing/",
        "board/",
        "board/applications/",
        f"board/meetings/{meeting.pk}/",
        "board/meetings/new/",
        "board/seats/new/",
    ):
        page.goto(f"/{slug}/{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        a11y.scan(page)
    page.goto(f"/{slug}/finance/")
    expect(page.locator("main")).to_contain_text("100,0 %")
    a11y.assert_clean()
