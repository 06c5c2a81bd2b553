"""Cohort pages: list, timeline, create/edit, periods; trainees and their placements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.cohorts import selectors, services
from traineenett.cohorts.forms import CohortForm, PeriodsForm, PlacementForm, TraineeForm
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_COHORTS,
    VIEW_COHORTS,
    VIEW_OWN_PLAN,
    VIEW_TRAINEE,
    ProgramRequest,
    requires,
)


@requires(VIEW_COHORTS)
def cohort_list(request: ProgramRequest) -> HttpResponse:
    cohorts = selectors.cohorts_of_program(request.program)
    return render(
        request, "cohorts/cohort_list.html", {"cohorts": cohorts, "today": timezone.localdate()}
    )


@requires(VIEW_COHORTS)
def cohort_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_of_program(request.program, pk)
    timeline = selectors.cohort_timeline(cohort)
    return render(request, "cohorts/cohort_detail.html", {"cohort": cohort, "timeline": timeline})


@requires(MANAGE_COHORTS)
def cohort_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    form = CohortForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(
                program=program, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Cohort %(label)s created with its periods.") % {"label": cohort.label}
            )
            return redirect("cohorts:detail", program.slug, cohort.pk)
    return render(request, "cohorts/cohort_form.html", {"form": form})


@requires(MANAGE_COHORTS)
def cohort_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    cohort = selectors.cohort_of_program(program, pk)
    form = CohortForm(
        request.POST or None,
        program=program,
        instance=None,
        initial=model_to_dict(cohort, fields=CohortForm.Meta.fields),
    )
    form.instance.pk = cohort.pk  # so the label check excludes this cohort
    form.fields["ends_on"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_update(cohort=cohort, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cohorts:detail", program.slug, cohort.pk)
    return render(request, "cohorts/cohort_form.html", {"form": form, "cohort": cohort})


@requires(MANAGE_COHORTS)
def period_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    cohort = selectors.cohort_of_program(program, pk)
    form = PeriodsForm(request.POST or None, periods=list(cohort.periods.order_by("number")))
    if request.method == "POST" and form.is_valid():
        try:
            services.periods_update(cohort=cohort, spans=form.spans(), actor=request.user)
        except ValidationError as error:
            for key, field_errors in error.message_dict.items():
                number = key.removeprefix("period_")
                form.add_error(f"start_{number}", field_errors)
        else:
            messages.success(request, _("Periods saved."))
            return redirect("cohorts:detail", program.slug, cohort.pk)
    return render(request, "cohorts/period_form.html", {"form": form, "cohort": cohort})


@requires(VIEW_COHORTS)
def trainee_list(request: ProgramRequest) -> HttpResponse:
    program = request.program
    query = request.GET.get("q", "").strip()
    cohort_id = request.GET.get("cohort", "")
    trainees = selectors.trainees_visible_to(
        request.access,
        query=query,
        cohort_id=int(cohort_id) if cohort_id.isdigit() else None,
    )
    page = Paginator(trainees, 50).get_page(request.GET.get("page"))
    template = "cohorts/_trainee_rows.html" if request.htmx else "cohorts/trainee_list.html"
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "cohort_id": cohort_id,
            "cohorts": selectors.cohorts_of_program(program),
        },
    )


@requires(VIEW_TRAINEE)
def trainee_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for(request.access, pk)
    return render(request, "cohorts/trainee_detail.html", {"trainee": trainee})


@requires(MANAGE_COHORTS)
def trainee_create(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    cohort = selectors.cohort_of_program(program, pk)
    form = TraineeForm(request.POST or None, program=program, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            trainee = services.trainee_create(
                cohort=cohort, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("%(name)s added to %(cohort)s.")
                % {"name": trainee.full_name, "cohort": cohort.label},
            )
            return redirect("cohorts:trainee_detail", program.slug, trainee.pk)
    return render(request, "cohorts/trainee_form.html", {"form": form, "cohort": cohort})


@requires(MANAGE_COHORTS)
def trainee_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    trainee = selectors.trainee_of_program(program, pk)
    form = TraineeForm(
        request.POST or None,
        program=program,
        cohort=trainee.cohort,
        initial=model_to_dict(trainee, fields=TraineeForm.Meta.fields),
    )
    form.instance.pk = trainee.pk
    if request.method == "POST" and form.is_valid():
        try:
            services.trainee_update(trainee=trainee, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cohorts:trainee_detail", program.slug, trainee.pk)
    return render(
        request,
        "cohorts/trainee_form.html",
        {"form": form, "cohort": trainee.cohort, "trainee": trainee},
    )


@requires(MANAGE_COHORTS)
def placement_create(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    trainee = selectors.trainee_of_program(program, pk)
    form = PlacementForm(request.POST or None, program=program, trainee=trainee)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_create(trainee=trainee, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Placement added."))
            return redirect("cohorts:trainee_detail", program.slug, trainee.pk)
    return render(request, "cohorts/placement_form.html", {"form": form, "trainee": trainee})


@requires(MANAGE_COHORTS)
def placement_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    placement = selectors.placement_of_program(program, pk)
    trainee = placement.trainee
    form = PlacementForm(
        request.POST or None,
        program=program,
        trainee=trainee,
        initial=model_to_dict(placement, fields=PlacementForm.Meta.fields),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_update(
                placement=placement, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("cohorts:trainee_detail", program.slug, trainee.pk)
    return render(
        request,
        "cohorts/placement_form.html",
        {"form": form, "trainee": trainee, "placement": placement},
    )


@requires(MANAGE_COHORTS)
def placement_delete(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    placement = selectors.placement_of_program(program, pk)
    if request.method == "POST":
        trainee_pk = placement.trainee_id
        services.placement_delete(placement=placement, actor=request.user)
        messages.success(request, _("Placement removed."))
        return redirect("cohorts:trainee_detail", program.slug, trainee_pk)
    return render(request, "cohorts/placement_delete.html", {"placement": placement})


@requires(VIEW_OWN_PLAN)
def own_plan(request: ProgramRequest) -> HttpResponse:
    trainees = selectors.trainees_of_user(request.program, request.access.user_id)
    return render(request, "cohorts/own_plan.html", {"trainees": trainees})
