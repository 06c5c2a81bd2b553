"""The demo's finance: Trainee Innlandet is 100 % self-financed; Helgeland has a grant."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from traineenett.core.demo import seed_demo
from traineenett.core.models import Program, Role, RoleKind
from traineenett.finance import selectors
from traineenett.finance.models import Invoice, InvoiceStatus, MembershipApplication
from traineenett.finance.validators import kid_is_valid


@pytest.mark.django_db
def test_demo_finance() -> None:
    seed_demo()
    innlandet = Program.objects.get(slug="trainee-innlandet")
    helgeland = Program.objects.get(slug="trainee-helgeland")
    years = selectors.budget_years(innlandet)
    assert len(years) == 4
    assert all(year.self_financing == 1 for year in years)
    helgeland_years = selectors.budget_years(helgeland)
    assert all(
        year.self_financing is not None and Decimal("0.5") < year.self_financing < 1
        for year in helgeland_years
    )
    assert all(
        next(line for line in year.lines if line["category"] == "public_grants")["actual"] > 0
        for year in helgeland_years
    )
    issued = Invoice.objects.filter(program=innlandet).exclude(status=InvoiceStatus.DRAFT)
    # Six members' invoices, the two demo hosts' (one of them credited), the credit note
    # and the reissued invoice: numbers 1–10 without a gap.
    assert sorted(issued.values_list("number", flat=True)) == list(range(1, 11))
    assert all(kid_is_valid(kid) for kid in issued.values_list("kid", flat=True))
    assert issued.filter(status=InvoiceStatus.PAID).count() == 4
    note = issued.get(is_credit_note=True)
    assert note.total == -note.credits.total
    assert note.credits.status == InvoiceStatus.CREDITED
    assert note.credits.reissues.get().status == InvoiceStatus.SENT
    # Every demo host sees its own organisation's issued invoices.
    for role in Role.objects.filter(program__in=[innlandet, helgeland], kind=RoleKind.HOST):
        own = selectors.invoices_of_host(role.program, frozenset({role.organisation_id}))
        assert own.exists(), role.organisation
    # Helgeland bills per trainee-day: its invoices carry day lines with 25 % VAT.
    helgeland_vat = Invoice.objects.filter(program=helgeland).aggregate(Sum("vat_total"))
    assert helgeland_vat["vat_total__sum"] > 0
    assert MembershipApplication.objects.filter(program=innlandet, status="pending").count() == 1
