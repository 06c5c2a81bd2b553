"""Follow-up pages: settlement reports and exports, alumni and their observations, the
import, and the analyst's cross-programme benchmark."""

from __future__ import annotations

import csv
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traineenett.cohorts.selectors import cohort_of_program
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_FOLLOWUP,
    VIEW_BENCHMARK,
    VIEW_FOLLOWUP,
    ProgramRequest,
    requires,
)
from traineenett.followup import reports, selectors, services
from traineenett.followup.forms import AsOfForm, EmploymentForm, ImportForm, ResidenceForm
from traineenett.followup.models import ObservationSource
from traineenett.followup.selectors import sees_small_cells

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _as_of(request: ProgramRequest) -> tuple[AsOfForm, date]:
    form = AsOfForm(request.GET or None)
    as_of = timezone.localdate()
    if form.is_valid() and form.cleaned_data["as_of"]:
        as_of = form.cleaned_data["as_of"]
    return form, as_of


@requires(VIEW_FOLLOWUP)
def report(request: ProgramRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    page = reports.program_page(
        request.program, as_of, suppress=not sees_small_cells(request.access)
    )
    return render(
        request,
        "followup/report.html",
        {
            "page": page,
            "form": form,
            "horizon_labels": reports.horizon_labels(),
            "cohorts": selectors.followed_cohorts(request.program),
        },
    )


@requires(VIEW_FOLLOWUP)
def cohort_report(request: ProgramRequest, pk: int) -> HttpResponse:
    cohort = cohort_of_program(request.program, pk)
    form, as_of = _as_of(request)
    page = reports.cohort_page(
        request.program, cohort, as_of, suppress=not sees_small_cells(request.access)
    )
    return render(
        request,
        "followup/cohort_report.html",
        {
            "page": page,
            "form": form,
            "cohort": cohort,
            "horizon_labels": reports.horizon_labels(),
        },
    )


def _export_table(request: ProgramRequest) -> tuple[list[list[Any]], date]:
    _form, as_of = _as_of(request)
    page = reports.program_page(
        request.program, as_of, suppress=not sees_small_cells(request.access)
    )
    return reports.export_rows(page.table), as_of


def _filename(request: ProgramRequest, as_of: date, extension: str) -> str:
    return f"settlement-{slugify(request.program.slug)}-{as_of.isoformat()}.{extension}"


@requires(VIEW_FOLLOWUP)
def export_csv(request: ProgramRequest) -> HttpResponse:
    rows, as_of = _export_table(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, as_of, "csv")}"'
    response.write("\ufeff")  # so spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return response


@requires(VIEW_FOLLOWUP)
def export_xlsx(request: ProgramRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from traineenett.core.spreadsheets import workbook_bytes

    rows, as_of = _export_table(request)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Settlement")[:31]
    sheet.append([_("As of"), as_of])
    sheet.append([])
    for index, row in enumerate(rows):
        sheet.append(row)
        if index == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 32
    response = HttpResponse(
        workbook_bytes(workbook),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, as_of, "xlsx")}"'
    return response


@requires(VIEW_BENCHMARK)
def benchmark(request: ProgramRequest) -> HttpResponse:
    form, as_of = _as_of(request)
    return render(
        request,
        "followup/benchmark.html",
        {
            "benchmark": reports.benchmark(as_of),
            "form": form,
            "horizon_labels": reports.horizon_labels(),
        },
    )


# ------------------------------------------------------------------ alumni, observations


@requires(MANAGE_FOLLOWUP)
def alumni_list(request: ProgramRequest) -> HttpResponse:
    cohort_id = request.GET.get("cohort", "")
    alumni = selectors.alumni_of_program(
        request.program, cohort_id=int(cohort_id) if cohort_id.isdigit() else None
    )
    page = Paginator(alumni, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "followup/alumni_list.html",
        {
            "page": page,
            "cohorts": selectors.followed_cohorts(request.program),
            "cohort_id": cohort_id,
        },
    )


@requires(MANAGE_FOLLOWUP)
@require_POST
def alumni_sync(request: ProgramRequest) -> HttpResponse:
    created = services.alumni_sync(request.program, actor=request.user)
    messages.success(
        request,
        _("%(count)s new alumni from finished cohorts.") % {"count": created}
        if created
        else _("Every trainee of a finished cohort is already followed up."),
    )
    return redirect("followup:alumni", request.program.slug)


def _alumnus_page(
    request: ProgramRequest,
    alumnus: Any,
    residence_form: ResidenceForm,
    employment_form: EmploymentForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "followup/alumnus_detail.html",
        {
            "alumnus": alumnus,
            "residences": selectors.residences_of(alumnus),
            "employments": selectors.employments_of(alumnus),
            "residence_form": residence_form,
            "employment_form": employment_form,
        },
        status=status,
    )


@requires(MANAGE_FOLLOWUP)
def alumnus_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    alumnus = selectors.alumnus_of_program(request.program, pk)
    return _alumnus_page(
        request, alumnus, ResidenceForm(prefix="residence"), EmploymentForm(prefix="employment")
    )


@requires(MANAGE_FOLLOWUP)
def residence_add(request: ProgramRequest, pk: int) -> HttpResponse:
    return _observation_add(request, pk, residence=True)


@requires(MANAGE_FOLLOWUP)
def employment_add(request: ProgramRequest, pk: int) -> HttpResponse:
    return _observation_add(request, pk, residence=False)


def _observation_add(request: ProgramRequest, pk: int, *, residence: bool) -> HttpResponse:
    """Record a residence or an employment observation from the alumnus page's forms."""
    alumnus = selectors.alumnus_of_program(request.program, pk)
    if request.method != "POST":
        return redirect("followup:alumnus", request.program.slug, alumnus.pk)
    residence_form = ResidenceForm(request.POST if residence else None, prefix="residence")
    employment_form = EmploymentForm(None if residence else request.POST, prefix="employment")
    form: ResidenceForm | EmploymentForm = residence_form if residence else employment_form
    record = services.residence_record if residence else services.employment_record
    if form.is_valid():
        try:
            record(
                alumnus,
                source=ObservationSource.COORDINATOR,
                actor=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Residence recorded.") if residence else _("Employment recorded.")
            )
            return redirect("followup:alumnus", request.program.slug, alumnus.pk)
    return _alumnus_page(request, alumnus, residence_form, employment_form, status=400)


@requires(MANAGE_FOLLOWUP)
def import_upload(request: ProgramRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("The file is larger than 10 MB."))
        else:
            try:
                result = services.followup_import(
                    data=upload.read(), actor=request.user, only_program=request.program
                )
            except services.ImportRejected as rejected:
                errors = rejected.errors
                form.add_error(
                    "file",
                    _("The file was refused (%(count)s errors); nothing was imported.")
                    % {"count": len(errors)},
                )
            else:
                messages.success(
                    request,
                    _(
                        "%(rows)s rows read: %(alumni)s new alumni, %(cohorts)s new cohorts, "
                        "%(observations)s new residence observations."
                    )
                    % {
                        "rows": result.rows,
                        "alumni": result.alumni_created,
                        "cohorts": result.cohorts_created,
                        "observations": result.observations_created,
                    },
                )
                return redirect("followup:alumni", request.program.slug)
    return render(
        request,
        "followup/import.html",
        {"form": form, "errors": errors},
        status=400 if request.method == "POST" else 200,
    )
