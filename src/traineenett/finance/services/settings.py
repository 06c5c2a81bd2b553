"""Invoicing settings and billing contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Program
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.finance.models import (
    BillingContact,
    FinanceSettings,
)
from traineenett.finance.validators import normalise_bank_account
from traineenett.members.models import Organisation

# ------------------------------------------------------------------------------ settings


def finance_settings_for(program: Program) -> FinanceSettings:
    """The programme's invoicing settings, created with defaults on first use."""
    found, _created = FinanceSettings.objects.get_or_create(program=program)
    return found


@transaction.atomic
def finance_settings_update(
    *, program: Program, data: dict[str, Any], actor: Any = None
) -> FinanceSettings:
    current = FinanceSettings.objects.select_for_update().get(pk=finance_settings_for(program).pk)
    data = dict(data)
    if "bank_account" in data:
        data["bank_account"] = normalise_bank_account(data["bank_account"])
    if data.get("seller_organisation_number"):
        number = normalise_organisation_number(data["seller_organisation_number"])
        try:
            validate_organisation_number(number)
        except ValidationError as error:
            raise ValidationError({"seller_organisation_number": error.messages}) from None
        data["seller_organisation_number"] = number
    changes = changed_fields(current, data)
    current.full_clean()
    current.save()
    if changes:
        audit(
            action="finance.settings.updated",
            obj=current,
            actor=actor,
            program=program,
            changes=changes,
        )
    return current


@transaction.atomic
def billing_contact_save(
    *,
    program: Program,
    organisation: Organisation,
    invoice_email: str,
    reference: str = "",
    actor: Any = None,
) -> BillingContact:
    """Set where a member's invoices are e-mailed."""
    contact = BillingContact.objects.filter(program=program, organisation=organisation).first()
    contact = contact or BillingContact(program=program, organisation=organisation)
    changes = changed_fields(
        contact, {"invoice_email": invoice_email.strip().lower(), "reference": reference}
    )
    contact.full_clean()
    contact.save()
    if changes:
        audit(
            action="finance.billing_contact.saved",
            obj=contact,
            actor=actor,
            program=program,
            changes={"organisation": organisation.name, **changes},
        )
    return contact
