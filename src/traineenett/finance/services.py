"""Writes for fees, invoices, budgets, membership applications and the board.

Every function runs in a transaction, validates before it writes (a ValidationError keyed
by the field at fault, nothing half-written) and records an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort, Placement
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Program
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.finance import fees
from traineenett.finance.models import (
    MEMBER_REVENUE,
    ApplicationStatus,
    BillingContact,
    BoardMeeting,
    BoardSeat,
    BoardSeatKind,
    BudgetLine,
    BudgetSection,
    CostCategory,
    FeeKind,
    FeeRule,
    FeeSchedule,
    FinanceSettings,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    InvoiceStatus,
    MeetingAttachment,
    MembershipApplication,
    RevenueSource,
)
from traineenett.finance.money import format_nok, line_amounts
from traineenett.finance.validators import kid_for, normalise_bank_account
from traineenett.members import services as member_services
from traineenett.members.models import Membership, Organisation

__all__ = ["MEMBER_REVENUE"]


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


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


# ------------------------------------------------------------------------- fee schedules


@transaction.atomic
def fee_schedule_create(
    *, program: Program, name: str, starts_on: date, ends_on: date, actor: Any = None
) -> FeeSchedule:
    """A fee schedule for a span of dates. Schedules of a programme may not overlap."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    schedule = FeeSchedule(program=program, name=name, starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    schedule.full_clean()
    clash = FeeSchedule.objects.filter(
        program=program, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": _(
                    "This period overlaps the fee schedule “%(name)s” (%(start)s–%(end)s); "
                    "fee schedules of a programme may not overlap."
                )
                % {
                    "name": clash.name,
                    "start": _short(clash.starts_on),
                    "end": _short(clash.ends_on),
                }
            }
        )
    schedule.save()
    audit(
        action="finance.fee_schedule.created",
        obj=schedule,
        actor=actor,
        program=program,
        changes={"name": name, "starts_on": starts_on, "ends_on": ends_on},
    )
    return schedule


@transaction.atomic
def fee_rule_add(*, schedule: FeeSchedule, data: dict[str, Any], actor: Any = None) -> FeeRule:
    """Add a fee to a schedule. Amounts are never negative; a tier and a condition only
    make sense for an annual fee."""
    amount = data.get("amount")
    if amount is not None and Decimal(amount) < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    rule = FeeRule(schedule=schedule, **data)
    if rule.kind != FeeKind.ANNUAL:
        rule.tier = ""
        rule.condition = "any"
    rule.full_clean()
    rule.save()
    audit(
        action="finance.fee.added",
        obj=rule,
        actor=actor,
        program=schedule.program,
        changes={"schedule": schedule.name, "kind": rule.kind, "amount": rule.amount},
    )
    return rule


@transaction.atomic
def fee_rule_delete(*, rule: FeeRule, actor: Any = None) -> None:
    audit(
        action="finance.fee.deleted",
        obj=rule,
        actor=actor,
        program=rule.schedule.program,
        changes={"schedule": rule.schedule.name, "amount": rule.amount},
    )
    rule.delete()


# ---------------------------------------------------------------------- fee calculation


def _pure_schedules(program: Program, period: tuple[date, date]) -> list[fees.Schedule]:
    schedules = FeeSchedule.objects.filter(
        program=program, starts_on__lte=period[1], ends_on__gte=period[0]
    ).prefetch_related("rules")
    return [
        fees.Schedule(
            schedule.starts_on,
            schedule.ends_on,
            tuple(
                fees.FeeRule(
                    kind=rule.kind,
                    amount=rule.amount,
                    vat_percent=Decimal(rule.vat_rate),
                    description=rule.description,
                    tier=rule.tier,
                    condition=rule.condition,
                )
                for rule in schedule.rules.all()
            ),
        )
        for schedule in schedules
    ]


def placements_in(
    program: Program, period: tuple[date, date], organisation_ids: Iterable[int] | None = None
) -> list[Placement]:
    placements = Placement.objects.filter(
        trainee__program=program,
        period__starts_on__lte=period[1],
        period__ends_on__gte=period[0],
    ).select_related("trainee", "trainee__cohort", "trainee__employer", "period", "organisation")
    if organisation_ids is not None:
        placements = placements.filter(organisation_id__in=list(organisation_ids))
    return list(placements.order_by("period__starts_on", "trainee__last_name", "pk"))


def fee_lines_for(
    program: Program, organisation: Organisation, period: tuple[date, date]
) -> list[fees.Line]:
    """Adapt the ORM rows to ``fees.fee_lines`` for one member and period."""
    terms = [
        fees.MemberTerm(m.fee_tier, m.starts_on, m.ends_on)
        for m in Membership.objects.filter(program=program, organisation=organisation)
    ]
    schedules = _pure_schedules(program, period)
    # The annual "with/without trainee" condition looks at the whole schedule span.
    widest = (
        min([period[0], *(s.starts_on for s in schedules)]),
        max([period[1], *(s.ends_on for s in schedules)]),
    )
    stays = [
        fees.Stay(p.trainee.full_name, p.period.starts_on, p.period.ends_on, p.share_percent)
        for p in placements_in(program, widest, [organisation.pk])
    ]
    return fees.fee_lines(schedules=schedules, terms=terms, stays=stays, period=period)


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
    organisations = (
        Organisation.objects.filter(
            memberships__program=program, memberships__starts_on__lte=period_end
        )
        .filter(Q(memberships__ends_on__isnull=True) | Q(memberships__ends_on__gte=period_start))
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
                "account": fresh.bank_account,
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


# -------------------------------------------------------------------------------- budget


def budget_categories() -> list[tuple[str, str, Any]]:
    """(section, category, label) in the order of the budget form."""
    costs: list[tuple[str, str, Any]] = [
        (str(BudgetSection.COST), value, label) for value, label in CostCategory.choices
    ]
    return costs + [
        (str(BudgetSection.REVENUE), value, label) for value, label in RevenueSource.choices
    ]


@transaction.atomic
def budget_save(
    *,
    program: Program,
    year: int,
    rows: dict[str, tuple[Decimal, Decimal]],
    actor: Any = None,
) -> list[BudgetLine]:
    """Store a year's budget and actuals, {category: (budgeted, actual)}; all or nothing."""
    sections = {category: section for section, category, _label in budget_categories()}
    labels = {category: label for _section, category, label in budget_categories()}
    errors: dict[str, list[str]] = {}
    for category, (budgeted, actual) in rows.items():
        if category not in sections:
            errors.setdefault("__all__", []).append(
                _("Unknown budget category: %(category)s.") % {"category": category}
            )
        elif budgeted < 0 or actual < 0:
            errors.setdefault(category, []).append(
                _("%(line)s: amounts cannot be negative.") % {"line": labels[category]}
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for category, (budgeted, actual) in rows.items():
        line, _created = BudgetLine.objects.update_or_create(
            program=program,
            year=year,
            category=category,
            defaults={"section": sections[category], "budgeted": budgeted, "actual": actual},
        )
        saved.append(line)
    audit(
        action="finance.budget.saved",
        obj=None,
        actor=actor,
        program=program,
        changes={"year": year, "lines": len(saved)},
    )
    return saved


# ---------------------------------------------------------------- membership applications


@transaction.atomic
def application_submit(*, program: Program, data: dict[str, Any]) -> MembershipApplication:
    """A public membership application. A known organisation number is recognised (and
    its name used); an unknown one needs a name and a municipality."""
    number = normalise_organisation_number(data.get("organisation_number", ""))
    try:
        validate_organisation_number(number)
    except ValidationError as error:
        raise ValidationError({"organisation_number": error.messages}) from None
    known = Organisation.objects.filter(organisation_number=number).first()
    application = MembershipApplication(program=program, **{**data, "organisation_number": number})
    if known is not None:
        application.organisation = known
        application.organisation_name = known.name
        application.municipality = known.municipality
        application.kind, application.sector = known.kind, known.sector
        if Membership.objects.filter(
            program=program, organisation=known, ends_on__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "organisation_number": _("%(name)s is already a member of %(program)s.")
                    % {"name": known.name, "program": program.name}
                }
            )
    else:
        missing = {}
        if not application.organisation_name.strip():
            missing["organisation_name"] = _(
                "We do not know this organisation number yet: give the organisation's name."
            )
        if application.municipality is None:
            missing["municipality"] = _(
                "We do not know this organisation number yet: choose its municipality."
            )
        if missing:
            raise ValidationError(missing)
    pending = MembershipApplication.objects.filter(
        program=program, organisation_number=number, status=ApplicationStatus.PENDING
    ).exists()
    if pending:
        raise ValidationError(
            {
                "organisation_number": _(
                    "An application for this organisation is already waiting for the board."
                )
            }
        )
    application.full_clean()
    application.save()
    audit(
        action="finance.application.submitted",
        obj=application,
        program=program,
        changes={"organisation_number": number, "fee_tier": application.fee_tier},
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: MembershipApplication,
    approve: bool,
    note: str = "",
    starts_on: date | None = None,
    fee_tier: str = "",
    actor: Any = None,
) -> MembershipApplication:
    """Record the board's decision. Approval starts the membership (members' services)
    with the fee tier and makes the invoice address the member's billing contact."""
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if approve:
        if starts_on is None:
            raise ValidationError({"starts_on": _("Give the date the membership starts.")})
        known = application.organisation
        organisation_data: dict[str, Any] = {
            "organisation_number": application.organisation_number,
            "name": known.name if known else application.organisation_name,
            "kind": known.kind if known else application.kind,
            "sector": known.sector if known else application.sector,
            "municipality": known.municipality if known else application.municipality,
        }
        if known is None:
            organisation_data["employees"] = application.employees
        membership = member_services.membership_create(
            program=application.program,
            organisation_data=organisation_data,
            starts_on=starts_on,
            fee_tier=fee_tier or application.fee_tier,
            actor=actor,
        )
        application.membership = membership
        application.organisation = membership.organisation
        billing_contact_save(
            program=application.program,
            organisation=membership.organisation,
            invoice_email=application.invoice_email or application.contact_email,
            actor=actor,
        )
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.decision_note = note
    application.save()
    audit(
        action=f"finance.application.{application.status}",
        obj=application,
        actor=actor,
        program=application.program,
        changes={"note": note, "starts_on": starts_on},
    )
    return application


# ------------------------------------------------------------------------------- board


@transaction.atomic
def board_seat_create(*, program: Program, data: dict[str, Any], actor: Any = None) -> BoardSeat:
    """A term on the board. A member organisation has one representative at a time; a
    trainee representative represents a cohort of the programme."""
    seat = BoardSeat(program=program, **data)
    if seat.kind == BoardSeatKind.MEMBER:
        seat.cohort = None
        if seat.organisation is None:
            raise ValidationError(
                {"organisation": _("Choose the member organisation represented.")}
            )
        if not Membership.objects.filter(program=program, organisation=seat.organisation).exists():
            raise ValidationError({"organisation": _("The organisation must be a member.")})
        overlapping = BoardSeat.objects.filter(
            program=program, kind=BoardSeatKind.MEMBER, organisation=seat.organisation
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=seat.starts_on))
        if seat.ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=seat.ends_on)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s is already represented by %(person)s in this term; "
                        "one representative per member."
                    )
                    % {"organisation": seat.organisation.name, "person": clash.person_name}
                }
            )
    else:
        seat.organisation = None
        if (
            seat.cohort is None
            or not Cohort.objects.filter(pk=seat.cohort.pk, program=program).exists()
        ):
            raise ValidationError({"cohort": _("Choose the cohort the trainee represents.")})
    if seat.ends_on is not None and seat.ends_on < seat.starts_on:
        raise ValidationError({"ends_on": _("The term must end on or after its start.")})
    seat.full_clean()
    seat.save()
    audit(
        action="finance.board_seat.created",
        obj=seat,
        actor=actor,
        program=program,
        changes={"kind": seat.kind, "person": seat.person_name},
    )
    return seat


@transaction.atomic
def board_seat_end(*, seat: BoardSeat, ends_on: date, actor: Any = None) -> BoardSeat:
    if ends_on < seat.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The term cannot end before it started (%(start)s).")
                % {"start": _short(seat.starts_on)}
            }
        )
    old = seat.ends_on
    seat.ends_on = ends_on
    seat.save(update_fields=["ends_on"])
    audit(
        action="finance.board_seat.ended",
        obj=seat,
        actor=actor,
        program=seat.program,
        changes={"ends_on": [old, ends_on]},
    )
    return seat


@transaction.atomic
def meeting_create(*, program: Program, data: dict[str, Any], actor: Any = None) -> BoardMeeting:
    meeting = BoardMeeting(program=program, **data)
    meeting.full_clean()
    meeting.save()
    audit(
        action="finance.board_meeting.created",
        obj=meeting,
        actor=actor,
        program=program,
        changes={"held_on": meeting.held_on, "title": meeting.title},
    )
    return meeting


ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".odt", ".ods", ".txt", ".png", ".jpg"})
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(
    *, meeting: BoardMeeting, title: str, upload: Any, actor: Any = None
) -> MeetingAttachment:
    """Attach a file (PDF, office document, text or image; at most 10 MB) to a meeting."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError(
            {
                "file": _("Files of type %(suffix)s cannot be attached; use %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(sorted(ATTACHMENT_SUFFIXES))}
            }
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the attachment a title.")})
    attachment = MeetingAttachment(meeting=meeting, title=title.strip()[:150])
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit(
        action="finance.board_meeting.attachment_added",
        obj=attachment,
        actor=actor,
        program=meeting.program,
        changes={"meeting": meeting.title, "title": title},
    )
    return attachment
