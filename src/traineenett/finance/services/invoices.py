"""Invoices: drafts from the fees, gap-free numbers when issued, credit notes, e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Program
from traineenett.finance import fees
from traineenett.finance.models import (
    BillingContact,
    FinanceSettings,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceStatus,
)
from traineenett.finance.money import format_nok, line_amounts
from traineenett.finance.services.common import short_date as _short
from traineenett.finance.services.schedules import fee_lines_for
from traineenett.finance.services.settings import finance_settings_for
from traineenett.finance.validators import kid_for
from traineenett.members.models import Membership, Organisation

# ------------------------------------------------------------------------------ invoices


def _not_editable(invoice: Invoice) -> ValidationError:
    return ValidationError(
        _(
            "Invoice %(number)s has been sent and can no longer be changed. Credit it with a "
            "credit note and issue a new invoice instead."
        )
        % {"number": invoice.display_number}
    )


def _recompute(invoice: Invoice) -> None:
    lines = list(invoice.lines.all())
    invoice.net_total = sum((line.net for line in lines), Decimal(0))
    invoice.vat_total = sum((line.vat for line in lines), Decimal(0))
    invoice.total = sum((line.total for line in lines), Decimal(0))
    invoice.save(update_fields=["net_total", "vat_total", "total"])


def _add_lines(invoice: Invoice, lines: Iterable[fees.Line], start: int = 0) -> None:
    rows = []
    for position, line in enumerate(lines, start=start):
        net, vat, total = line_amounts(line.quantity, line.unit_price, line.vat_percent)
        rows.append(
            InvoiceLine(
                invoice=invoice,
                position=position,
                description=line.description[:250],
                quantity=line.quantity,
                unit_price=line.unit_price,
                vat_rate=line.vat_percent,
                net=net,
                vat=vat,
                total=total,
            )
        )
    InvoiceLine.objects.bulk_create(rows)


def _new_invoice(
    program: Program, organisation: Organisation, period: tuple[date, date], **extra: Any
) -> Invoice:
    contact = BillingContact.objects.filter(program=program, organisation=organisation).first()
    invoice = Invoice(
        program=program,
        organisation=organisation,
        period_start=period[0],
        period_end=period[1],
        buyer_name=organisation.name,
        buyer_organisation_number=organisation.organisation_number,
        email_to=contact.invoice_email if contact else "",
        buyer_reference=contact.reference if contact else "",
        **extra,
    )
    invoice.save()
    return invoice


@transaction.atomic
def invoice_generate(
    *,
    program: Program,
    organisation: Organisation,
    period_start: date,
    period_end: date,
    actor: Any = None,
) -> Invoice:
    """A draft invoice for one member and period from the fee schedules and placements.

    Refused (nothing written) for a member with nothing to bill, an organisation that is
    not a member, an inverted period, or a period already invoiced to the member."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its start.")})
    if not Membership.objects.filter(program=program, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("%(name)s is not a member.") % {"name": organisation.name}}
        )
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    already = (
        Invoice.objects.filter(
            program=program,
            organisation=organisation,
            is_credit_note=False,
            period_start__lte=period_end,
            period_end__gte=period_start,
        )
        .exclude(status=InvoiceStatus.CREDITED)
        .first()
    )
    if already is not None:
        raise ValidationError(
            {
                "period_start": _(
                    "%(name)s already has an invoice for %(start)s–%(end)s (%(invoice)s)."
                )
                % {
                    "name": organisation.name,
                    "start": _short(already.period_start),
                    "end": _short(already.period_end),
                    "invoice": already.display_number or _("draft"),
                }
            }
        )
    lines = [
        line
        for line in fee_lines_for(program, organisation, (period_start, period_end))
        if line.quantity
    ]
    if not lines or all(line.total == 0 for line in lines):
        raise ValidationError(
            {
                "organisation": _(
                    "%(name)s has nothing to bill for %(start)s–%(end)s: no fee of the fee "
                    "schedules applies to it."
                )
                % {
                    "name": organisation.name,
                    "start": _short(period_start),
                    "end": _short(period_end),
                }
            }
        )
    invoice = _new_invoice(program, organisation, (period_start, period_end))
    _add_lines(invoice, lines)
    _recompute(invoice)
    audit(
        action="finance.invoice.generated",
        obj=invoice,
        actor=actor,
        program=program,
        changes={"organisation": organisation.name, "total": invoice.total},
    )
    return invoice


@dataclass(frozen=True)
class InvoiceRun:
    created: list[Invoice]
    skipped: list[str]  # one message per member without an invoice


@transaction.atomic
def invoices_generate_for_members(
    *, program: Program, period_start: date, period_end: date, actor: Any = None
) -> InvoiceRun:
    """Draft invoices for every member of the period that has something to bill."""
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period must end on or after its start.")})
    # One filter() call, so that all three conditions hold for the same membership.
    organisations = (
        Organisation.objects.filter(
            Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=period_start),
            memberships__program=program,
            memberships__starts_on__lte=period_end,
        )
        .distinct()
        .order_by("name")
    )
    created, skipped = [], []
    for organisation in organisations:
        try:
            with transaction.atomic():
                created.append(
                    invoice_generate(
                        program=program,
                        organisation=organisation,
                        period_start=period_start,
                        period_end=period_end,
                        actor=actor,
                    )
                )
        except ValidationError as error:
            skipped.append("; ".join(error.messages))
    return InvoiceRun(created, skipped)


def _lock_draft(invoice: Invoice) -> Invoice:
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not locked.is_draft:
        raise _not_editable(locked)
    return locked


@transaction.atomic
def invoice_update(*, invoice: Invoice, data: dict[str, Any], actor: Any = None) -> Invoice:
    """Change a draft's e-mail address, reference or note. A sent invoice is never edited."""
    invoice = _lock_draft(invoice)
    changes = changed_fields(invoice, data)
    invoice.full_clean()
    invoice.save()
    if changes:
        audit(
            action="finance.invoice.updated",
            obj=invoice,
            actor=actor,
            program=invoice.program,
            changes=changes,
        )
    return invoice


@transaction.atomic
def invoice_line_add(
    *,
    invoice: Invoice,
    description: str,
    quantity: Decimal,
    unit_price: Decimal,
    vat_rate: Decimal,
    actor: Any = None,
) -> InvoiceLine:
    """Add a line to a draft by hand. Quantities and prices are never negative (a credit
    note is the only way to reduce what has been billed)."""
    invoice = _lock_draft(invoice)
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    if unit_price < 0:
        raise ValidationError({"unit_price": _("The unit price cannot be negative.")})
    position = invoice.lines.count()
    _add_lines(invoice, [fees.Line(description, quantity, unit_price, vat_rate)], position)
    _recompute(invoice)
    audit(
        action="finance.invoice.line_added",
        obj=invoice,
        actor=actor,
        program=invoice.program,
        changes={"description": description, "unit_price": unit_price, "quantity": quantity},
    )
    return invoice.lines.order_by("-position", "-pk").first()  # type: ignore[return-value]


@transaction.atomic
def invoice_line_delete(*, invoice: Invoice, line_id: int, actor: Any = None) -> None:
    invoice = _lock_draft(invoice)
    line = invoice.lines.filter(pk=line_id).first()
    if line is None:
        raise ValidationError(_("That line is not on this invoice."))
    if invoice.lines.count() == 1:
        raise ValidationError(_("An invoice needs at least one line; delete the draft instead."))
    line.delete()
    _recompute(invoice)
    audit(
        action="finance.invoice.line_deleted",
        obj=invoice,
        actor=actor,
        program=invoice.program,
        changes={"description": line.description},
    )


@transaction.atomic
def invoice_delete_draft(*, invoice: Invoice, actor: Any = None) -> None:
    """Delete a draft (drafts have no number, so the series stays gap-free)."""
    invoice = _lock_draft(invoice)
    audit(
        action="finance.invoice.draft_deleted",
        obj=invoice,
        actor=actor,
        program=invoice.program,
        changes={"organisation": invoice.buyer_name, "total": invoice.total},
    )
    invoice.delete()


def next_invoice_number(program: Program, year: int) -> int:
    """The next number of the programme's series for ``year``. Must run inside the
    transaction that stores the number: the counter row stays locked until it commits,
    so concurrent issuers queue up and no number is skipped or given twice."""
    try:
        with transaction.atomic():
            InvoiceCounter.objects.get_or_create(program=program, year=year)
    except IntegrityError:  # created by a concurrent transaction in the meantime
        pass
    counter = InvoiceCounter.objects.select_for_update().get(program=program, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _check_can_issue(invoice: Invoice, settings_: FinanceSettings, *, send: bool) -> None:
    if not settings_.bank_account:
        raise ValidationError(
            {
                "bank_account": _(
                    "Set the programme's bank account in the finance settings before issuing "
                    "invoices."
                )
            }
        )
    if not settings_.seller_organisation_number:
        raise ValidationError(
            {
                "seller_organisation_number": _(
                    "Set the organisation number of the invoicing entity in the finance "
                    "settings before issuing invoices."
                )
            }
        )
    if not invoice.is_credit_note and not invoice.lines.exists():
        raise ValidationError(_("An invoice without lines cannot be issued."))
    if send and not invoice.email_to:
        raise ValidationError(
            {
                "email_to": _(
                    "%(name)s has no invoice e-mail address; add it to the draft or the "
                    "member's billing contact."
                )
                % {"name": invoice.buyer_name}
            }
        )


def _stamp(invoice: Invoice, settings_: FinanceSettings, today: date) -> None:
    invoice.year = today.year
    invoice.number = next_invoice_number(invoice.program, today.year)
    invoice.kid = kid_for(invoice.year, invoice.number)
    invoice.issued_on = today
    invoice.due_on = today + timedelta(days=settings_.due_days)
    invoice.seller_name = settings_.seller_name or invoice.program.name
    invoice.seller_organisation_number = settings_.seller_organisation_number
    invoice.bank_account = settings_.bank_account
    invoice.status = InvoiceStatus.SENT
    invoice.sent_at = timezone.now()
    invoice.save()


def _email(invoice: Invoice) -> None:
    if not invoice.email_to:
        return
    from traineenett.finance.pdf import invoice_pdf

    invoice_id = invoice.pk

    def send() -> None:
        fresh = Invoice.objects.select_related("program").get(pk=invoice_id)
        with translation.override("nb"):
            kind = _("Credit note") if fresh.is_credit_note else _("Invoice")
            subject = _("%(kind)s %(number)s from %(seller)s") % {
                "kind": kind,
                "number": fresh.display_number,
                "seller": fresh.seller_name,
            }
            body = _(
                "%(kind)s %(number)s of %(total)s is attached.\n"
                "Due date: %(due)s. Account: %(account)s. KID: %(kid)s."
            ) % {
                "kind": kind,
                "number": fresh.display_number,
                "total": format_nok(fresh.total),
                "due": _short(fresh.due_on) if fresh.due_on else "",
                "account": fresh.bank_account_display,
                "kid": fresh.kid,
            }
        message = EmailMessage(subject, body, None, [fresh.email_to])
        message.attach(f"{fresh.display_number}.pdf", invoice_pdf(fresh), "application/pdf")
        message.send()

    transaction.on_commit(send)


@transaction.atomic
def invoice_issue(
    *, invoice: Invoice, actor: Any = None, send: bool = True, today: date | None = None
) -> Invoice:
    """Issue a draft: give it the next gap-free number of the programme's series for the
    year, a KID, the invoice and due dates, freeze it (status sent), and e-mail the PDF to
    the member's invoice address after the transaction commits."""
    invoice = _lock_draft(invoice)
    settings_ = finance_settings_for(invoice.program)
    _check_can_issue(invoice, settings_, send=send)
    _stamp(invoice, settings_, today or timezone.localdate())
    audit(
        action="finance.invoice.issued",
        obj=invoice,
        actor=actor,
        program=invoice.program,
        changes={"number": invoice.display_number, "total": invoice.total, "kid": invoice.kid},
    )
    if send:
        _email(invoice)
    return invoice


@transaction.atomic
def invoice_mark_paid(*, invoice: Invoice, paid_on: date, actor: Any = None) -> Invoice:
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status != InvoiceStatus.SENT or invoice.is_credit_note:
        raise ValidationError({"paid_on": _("Only a sent invoice can be marked as paid.")})
    if invoice.issued_on and paid_on < invoice.issued_on:
        raise ValidationError({"paid_on": _("The payment date cannot be before the invoice date.")})
    invoice.status = InvoiceStatus.PAID
    invoice.paid_on = paid_on
    invoice.save(update_fields=["status", "paid_on"])
    audit(
        action="finance.invoice.paid",
        obj=invoice,
        actor=actor,
        program=invoice.program,
        changes={"paid_on": paid_on},
    )
    return invoice


@transaction.atomic
def invoice_credit(
    *,
    invoice: Invoice,
    reason: str,
    actor: Any = None,
    reissue: bool = True,
    send: bool = True,
    today: date | None = None,
) -> tuple[Invoice, Invoice | None]:
    """Credit a sent (or paid) invoice in full with a credit note — negative lines that
    reference the original, issued at once with its own number — and, if asked, open a
    new draft with the same lines to correct and issue. Returns (credit note, draft)."""
    original = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if original.is_credit_note or original.status not in (InvoiceStatus.SENT, InvoiceStatus.PAID):
        raise ValidationError(_("Only a sent or paid invoice can be credited."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the credit note.")})
    settings_ = finance_settings_for(original.program)
    note = _new_invoice(
        original.program,
        original.organisation,
        (original.period_start, original.period_end),
        is_credit_note=True,
        credits=original,
        note=(
            _("Credits invoice %(number)s: %(reason)s")
            % {"number": original.display_number, "reason": reason.strip()}
        )[:300],
    )
    note.email_to = original.email_to
    lines = list(original.lines.all())
    _add_lines(
        note,
        [
            fees.Line(line.description, line.quantity, -line.unit_price, line.vat_rate)
            for line in lines
        ],
    )
    _recompute(note)
    _check_can_issue(note, settings_, send=send and bool(note.email_to))
    _stamp(note, settings_, today or timezone.localdate())
    original.status = InvoiceStatus.CREDITED
    original.save(update_fields=["status"])
    audit(
        action="finance.invoice.credited",
        obj=original,
        actor=actor,
        program=original.program,
        changes={"credit_note": note.display_number, "reason": reason},
    )
    if send:
        _email(note)
    draft = None
    if reissue:
        draft = _new_invoice(
            original.program,
            original.organisation,
            (original.period_start, original.period_end),
            reissue_of=original,
        )
        _add_lines(
            draft,
            [
                fees.Line(line.description, line.quantity, line.unit_price, line.vat_rate)
                for line in lines
            ],
        )
        _recompute(draft)
        audit(
            action="finance.invoice.reissued",
            obj=draft,
            actor=actor,
            program=original.program,
            changes={"reissue_of": original.display_number},
        )
    return note, draft
