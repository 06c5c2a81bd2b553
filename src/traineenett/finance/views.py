"""Finance pages: overview, settings, fee schedules, invoices, settlements, budget."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_FINANCE,
    VIEW_FINANCE,
    VIEW_OWN_INVOICES,
    ProgramRequest,
    requires,
)
from traineenett.finance import selectors, services
from traineenett.finance.export import invoices_csv
from traineenett.finance.forms import (
    BillingContactForm,
    BudgetForm,
    CreditForm,
    FeeRuleForm,
    FeeScheduleForm,
    FinanceSettingsForm,
    InvoiceDraftForm,
    InvoiceGenerateForm,
    InvoiceLineForm,
    PaidForm,
)
from traineenett.finance.models import InvoiceStatus
from traineenett.finance.pdf import invoice_pdf
from traineenett.members.selectors import membership_of_program


def _year(request: ProgramRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 1990 <= year <= 2100 else default


@requires(VIEW_FINANCE)
def overview(request: ProgramRequest) -> HttpResponse:
    program = request.program
    today = timezone.localdate()
    years = selectors.budget_years(program)
    return render(
        request,
        "finance/overview.html",
        {
            "years": years,
            "latest": years[-1] if years else None,
            "cost": selectors.trainee_cost(program, today, years),
            "open_invoices": selectors.invoices_of_program(program, status=InvoiceStatus.SENT)
            .filter(is_credit_note=False)
            .order_by("due_on", "number")[:10],
            "settings": services.finance_settings_for(program),
        },
    )


@requires(MANAGE_FINANCE)
def finance_settings(request: ProgramRequest) -> HttpResponse:
    program = request.program
    current = services.finance_settings_for(program)
    form = FinanceSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.finance_settings_update(
                program=program,
                data={name: form.cleaned_data[name] for name in FinanceSettingsForm.Meta.fields},
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("finance:overview", program.slug)
    return render(
        request, "finance/settings.html", {"form": form, "page_title": _("Finance settings")}
    )


@requires(MANAGE_FINANCE)
def billing_contacts(request: ProgramRequest) -> HttpResponse:
    rows = selectors.billing_memberships(request.program, timezone.localdate())
    return render(request, "finance/billing_contacts.html", {"rows": rows})


@requires(MANAGE_FINANCE)
def billing_contact_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    membership = membership_of_program(program, pk)
    existing = selectors.billing_contact_of(program, membership.organisation)
    form = BillingContactForm(
        request.POST or None,
        initial={
            "invoice_email": existing.invoice_email if existing else "",
            "reference": existing.reference if existing else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.billing_contact_save(
                program=program,
                organisation=membership.organisation,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Billing contact saved."))
            return redirect("finance:billing_contacts", program.slug)
    return render(
        request,
        "finance/billing_contact_form.html",
        {
            "form": form,
            "membership": membership,
            "page_title": _("Billing contact: %(name)s") % {"name": membership.organisation.name},
        },
    )


# -------------------------------------------------------------------------- fee schedules


@requires(VIEW_FINANCE)
def schedule_list(request: ProgramRequest) -> HttpResponse:
    return render(
        request,
        "finance/schedule_list.html",
        {"schedules": selectors.fee_schedules_of_program(request.program)},
    )


@requires(MANAGE_FINANCE)
def schedule_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    year = timezone.localdate().year
    form = FeeScheduleForm(
        request.POST or None,
        initial={
            "name": _("Fees %(year)s") % {"year": year},
            "starts_on": date(year, 1, 1),
            "ends_on": date(year, 12, 31),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            schedule = services.fee_schedule_create(
                program=program, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Fee schedule created; now add its fees."))
            return redirect("finance:schedule_detail", program.slug, schedule.pk)
    return render(
        request,
        "finance/schedule_form.html",
        {"form": form, "page_title": _("New fee schedule")},
    )


@requires(VIEW_FINANCE)
def schedule_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    schedule = selectors.fee_schedule_of_program(program, pk)
    form = FeeRuleForm(request.POST or None)
    if request.method == "POST":
        if not request.access.can(MANAGE_FINANCE):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.fee_rule_add(schedule=schedule, data=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(request, _("Fee added."))
                return redirect("finance:schedule_detail", program.slug, schedule.pk)
    return render(
        request,
        "finance/schedule_detail.html",
        {"schedule": schedule, "rules": schedule.rules.all(), "form": form},
    )


@require_POST
@requires(MANAGE_FINANCE)
def fee_rule_delete(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    rule = selectors.fee_rule_of_program(program, pk)
    services.fee_rule_delete(rule=rule, actor=request.user)
    messages.success(request, _("Fee removed."))
    return redirect("finance:schedule_detail", program.slug, rule.schedule_id)


# ------------------------------------------------------------------------------ invoices


@requires(VIEW_FINANCE)
def invoice_list(request: ProgramRequest) -> HttpResponse:
    program = request.program
    year = _year(request, timezone.localdate().year)
    status = request.GET.get("status", "")
    status = status if status in InvoiceStatus.values else ""
    invoices = selectors.invoices_of_program(program, year=year, status=status)
    page = Paginator(invoices, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/invoice_list.html",
        {
            "page": page,
            "year": year,
            "year_str": str(year),
            "status": status,
            "statuses": InvoiceStatus.choices,
        },
    )


@requires(MANAGE_FINANCE)
def invoice_generate(request: ProgramRequest) -> HttpResponse:
    program = request.program
    year = timezone.localdate().year
    form = InvoiceGenerateForm(
        request.POST or None,
        program=program,
        initial={"period_start": date(year, 1, 1), "period_end": date(year, 12, 31)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["organisation"] is not None:
                invoice = services.invoice_generate(
                    program=program,
                    organisation=data["organisation"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    actor=request.user,
                )
                messages.success(request, _("Draft invoice created."))
                return redirect("finance:invoice_detail", program.slug, invoice.pk)
            run = services.invoices_generate_for_members(
                program=program,
                period_start=data["period_start"],
                period_end=data["period_end"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("%(count)s draft invoices created.") % {"count": len(run.created)},
            )
            for skipped in run.skipped:
                messages.warning(request, skipped)
            list_url = reverse("finance:invoice_list", args=[program.slug])
            return redirect(f"{list_url}?status=draft&year={data['period_start'].year}")
    return render(
        request,
        "finance/invoice_generate.html",
        {"form": form, "page_title": _("Generate invoices")},
    )


def _invoice_page(request: ProgramRequest, invoice: object, **extra: object) -> HttpResponse:
    return render(request, "finance/invoice_detail.html", {"invoice": invoice, **extra})


@requires(VIEW_FINANCE)
def invoice_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_of_program(request.program, pk)
    return _invoice_page(
        request,
        invoice,
        lines=invoice.lines.all(),
        paid_form=PaidForm(initial={"paid_on": timezone.localdate()}),
        credit_form=CreditForm(),
        credit_notes=invoice.credit_notes.all(),
        reissues=invoice.reissues.all(),
    )


@requires(MANAGE_FINANCE)
def invoice_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    """A draft's address, reference, note and lines. A sent invoice is never edited."""
    program = request.program
    invoice = selectors.invoice_of_program(program, pk)
    if not invoice.is_draft:
        return render(request, "finance/invoice_locked.html", {"invoice": invoice}, status=409)
    action = request.POST.get("action", "")
    draft_form = InvoiceDraftForm(
        request.POST if action == "save" else None, instance=invoice, prefix="draft"
    )
    line_form = InvoiceLineForm(request.POST if action == "add_line" else None, prefix="line")
    if request.method == "POST":
        try:
            if action == "save" and draft_form.is_valid():
                services.invoice_update(
                    invoice=invoice,
                    data={k: draft_form.cleaned_data[k] for k in InvoiceDraftForm.Meta.fields},
                    actor=request.user,
                )
                messages.success(request, _("Changes saved."))
                return redirect("finance:invoice_edit", program.slug, invoice.pk)
            if action == "add_line" and line_form.is_valid():
                services.invoice_line_add(
                    invoice=invoice, actor=request.user, **line_form.cleaned_data
                )
                messages.success(request, _("Line added."))
                return redirect("finance:invoice_edit", program.slug, invoice.pk)
            if action == "delete_line":
                services.invoice_line_delete(
                    invoice=invoice,
                    line_id=int(request.POST.get("line", 0) or 0),
                    actor=request.user,
                )
                messages.success(request, _("Line removed."))
                return redirect("finance:invoice_edit", program.slug, invoice.pk)
            if action == "delete_draft":
                services.invoice_delete_draft(invoice=invoice, actor=request.user)
                messages.success(request, _("Draft deleted."))
                return redirect("finance:invoice_list", program.slug)
        except ValidationError as error:
            if action == "add_line":
                add_service_errors(error, line_form)
            elif action == "save":
                add_service_errors(error, draft_form)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("finance:invoice_edit", program.slug, invoice.pk)
        invoice.refresh_from_db()
    return render(
        request,
        "finance/invoice_edit.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "draft_form": draft_form,
            "line_form": line_form,
        },
    )


@require_POST
@requires(MANAGE_FINANCE)
def invoice_issue(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    invoice = selectors.invoice_of_program(program, pk)
    try:
        invoice = services.invoice_issue(invoice=invoice, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Invoice %(number)s issued and sent to %(email)s.")
            % {"number": invoice.display_number, "email": invoice.email_to},
        )
    return redirect("finance:invoice_detail", program.slug, invoice.pk)


@require_POST
@requires(MANAGE_FINANCE)
def invoice_paid(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    invoice = selectors.invoice_of_program(program, pk)
    form = PaidForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the invoice was paid."))
    else:
        try:
            services.invoice_mark_paid(
                invoice=invoice, paid_on=form.cleaned_data["paid_on"], actor=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as paid."))
    return redirect("finance:invoice_detail", program.slug, invoice.pk)


@require_POST
@requires(MANAGE_FINANCE)
def invoice_credit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    invoice = selectors.invoice_of_program(program, pk)
    form = CreditForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the credit note."))
        return redirect("finance:invoice_detail", program.slug, invoice.pk)
    try:
        note, draft = services.invoice_credit(
            invoice=invoice,
            reason=form.cleaned_data["reason"],
            reissue=form.cleaned_data["reissue"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("finance:invoice_detail", program.slug, invoice.pk)
    messages.success(
        request,
        _("Credit note %(number)s issued.") % {"number": note.display_number},
    )
    if draft is not None:
        return redirect("finance:invoice_edit", program.slug, draft.pk)
    return redirect("finance:invoice_detail", program.slug, note.pk)


def _pdf_response(invoice: object) -> HttpResponse:
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")  # type: ignore[arg-type]
    name = getattr(invoice, "display_number", "") or f"draft-{getattr(invoice, 'pk', '')}"
    response["Content-Disposition"] = f'inline; filename="invoice-{name}.pdf"'
    return response


@requires(VIEW_FINANCE)
def invoice_pdf_view(request: ProgramRequest, pk: int) -> HttpResponse:
    return _pdf_response(selectors.invoice_of_program(request.program, pk))


@requires(VIEW_FINANCE)
def invoice_export(request: ProgramRequest) -> HttpResponse:
    program = request.program
    year = _year(request, timezone.localdate().year)
    invoices = (
        selectors.invoices_of_program(program, year=year)
        .exclude(status=InvoiceStatus.DRAFT)
        .select_related("credits")
        .prefetch_related("lines")
        .order_by("number")
    )
    response = HttpResponse(invoices_csv(invoices), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoices-{program.slug}-{year}.csv"'
    return response


# ------------------------------------------------------------------- host's own invoices


@requires(VIEW_OWN_INVOICES)
def own_invoices(request: ProgramRequest) -> HttpResponse:
    invoices = selectors.invoices_of_host(request.program, request.access.host_organisation_ids)
    return render(request, "finance/own_invoices.html", {"invoices": invoices})


@requires(VIEW_OWN_INVOICES)
def own_invoice_detail(request: ProgramRequest, invoice_id: int) -> HttpResponse:
    # Not called ``pk``: only hosts use these pages (a coordinator gets 403 here and sees
    # the same invoice under finance/invoices/<pk>/).
    invoice = selectors.invoice_of_host(
        request.program, request.access.host_organisation_ids, invoice_id
    )
    return _invoice_page(request, invoice, lines=invoice.lines.all(), own=True)


@requires(VIEW_OWN_INVOICES)
def own_invoice_pdf(request: ProgramRequest, invoice_id: int) -> HttpResponse:
    return _pdf_response(
        selectors.invoice_of_host(request.program, request.access.host_organisation_ids, invoice_id)
    )


# ----------------------------------------------------------------- settlements and budget


@requires(VIEW_FINANCE)
def settlement_report(request: ProgramRequest) -> HttpResponse:
    year = _year(request, timezone.localdate().year)
    report = selectors.settlement_report(request.program, year)
    return render(request, "finance/settlements.html", {"report": report, "year": year})


@requires(VIEW_FINANCE)
def budget(request: ProgramRequest) -> HttpResponse:
    program = request.program
    years = selectors.budget_years(program)
    return render(
        request,
        "finance/budget.html",
        {
            "years": years,
            "cost": selectors.trainee_cost(program, timezone.localdate(), years),
            "this_year": timezone.localdate().year,
        },
    )


@requires(MANAGE_FINANCE)
def budget_edit(request: ProgramRequest, year: int) -> HttpResponse:
    program = request.program
    if not 1990 <= year <= 2100:
        raise Http404
    categories = services.budget_categories()
    existing = selectors.budget_rows(program, year)
    initial = {}
    for category, (budgeted, actual) in existing.items():
        initial[f"{category}_budgeted"] = budgeted
        initial[f"{category}_actual"] = actual
    form = BudgetForm(request.POST or None, categories=categories, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_save(program=program, year=year, rows=form.rows(), actor=request.user)
        except ValidationError as error:
            for category, errors in error.message_dict.items():
                field = f"{category}_actual" if f"{category}_actual" in form.fields else None
                form.add_error(field, errors)
        else:
            messages.success(request, _("Budget and accounts for %(year)s saved.") % {"year": year})
            return redirect("finance:budget", program.slug)
    return render(request, "finance/budget_form.html", {"form": form, "year": year})
