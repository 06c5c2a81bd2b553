"""Rotation planning pages: places, wishes, ratings, conflicts, weights and plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traineenett.cohorts import selectors as cohort_selectors
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_ROTATION,
    VIEW_OWN_ORGANISATION,
    VIEW_OWN_PLAN,
    ProgramRequest,
    requires,
)
from traineenett.members.selectors import member_organisations
from traineenett.rotation import selectors, sentence_words, services
from traineenett.rotation.building import BuildOptions, cohort_instance
from traineenett.rotation.forms import (
    AssignmentForm,
    BuildForm,
    ForbiddenForm,
    PlacesForm,
    RatingForm,
    ReplanForm,
    SettingsForm,
    WishForm,
)
from traineenett.rotation.models import RotationPlan
from traineenett.rotation.stability_words import blocking_pair_sentences, diagnostic_available

STALE_AFTER_SECONDS = 120


@requires(MANAGE_ROTATION)
def index(request: ProgramRequest) -> HttpResponse:
    cohorts = selectors.cohorts_for_planning(request.program)
    return render(request, "rotation/index.html", {"cohorts": cohorts})


@requires(MANAGE_ROTATION)
def cohort_build(request: ProgramRequest, pk: int) -> HttpResponse:
    """Build the instance (counts and warnings), choose the options, solve."""
    program = request.program
    cohort = cohort_selectors.cohort_of_program(program, pk)
    form = BuildForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(cohort=cohort, options=form.options(), actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            services.plan_start(plan=plan)
            return redirect("rotation:plan", program.slug, plan.pk)
    options = form.options() if form.is_bound and form.is_valid() else BuildOptions()
    built = cohort_instance(
        cohort, selectors.settings_for(program), options, today=timezone.localdate()
    )
    return render(
        request,
        "rotation/cohort_build.html",
        {
            "cohort": cohort,
            "form": form,
            "built": built,
            "plans": selectors.plans_of_cohort(cohort)[:20],
            "published": selectors.published_plan(cohort),
        },
    )


@requires(MANAGE_ROTATION)
def places(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    cohort = cohort_selectors.cohort_of_program(program, pk)
    organisations = [o for o in member_organisations(program) if not o.is_cluster]
    periods = list(cohort.periods.order_by("number"))
    form = PlacesForm(
        request.POST or None,
        organisations=organisations,
        periods=periods,
        offers=selectors.offers_of_cohort(cohort),
    )
    if request.method == "POST" and "import" in request.POST:
        try:
            count = services.offers_import(cohort=cohort, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Places imported for %(count)s hosts.") % {"count": count})
        return redirect("rotation:places", program.slug, cohort.pk)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.offers_set(cohort=cohort, rows=form.values(), actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Places saved: %(count)s hosts.") % {"count": count})
            return redirect("rotation:cohort", program.slug, cohort.pk)
    return render(
        request,
        "rotation/places.html",
        {
            "cohort": cohort,
            "form": form,
            "periods": periods,
            "can_import": services.host_needs_available(),
        },
    )


@requires(MANAGE_ROTATION)
def wishes_overview(request: ProgramRequest, pk: int) -> HttpResponse:
    cohort = cohort_selectors.cohort_of_program(request.program, pk)
    wishes = selectors.wishes_by_trainee(cohort)
    rows = [(t, wishes.get(t.pk, [])) for t in cohort.trainees.order_by("last_name", "first_name")]
    return render(request, "rotation/wishes_overview.html", {"cohort": cohort, "rows": rows})


def _wish_form(request: ProgramRequest, trainee: Any) -> WishForm:
    organisations = selectors.offering_organisations(trainee.cohort) or [
        o for o in member_organisations(request.program) if not o.is_cluster
    ]
    current = selectors.wishes_of(trainee)
    return WishForm(
        request.POST or None,
        organisations=organisations,
        initial={f"wish_{rank}": pk for rank, pk in current.items()},
    )


def _save_wishes(request: ProgramRequest, trainee: Any, form: WishForm) -> bool:
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        services.wishes_set(trainee=trainee, organisations=form.choices(), actor=request.user)
    except ValidationError as error:
        add_service_errors(error, form)
        return False
    messages.success(request, _("Wishes saved."))
    return True


@requires(MANAGE_ROTATION)
def trainee_wishes(request: ProgramRequest, pk: int) -> HttpResponse:
    trainee = cohort_selectors.trainee_of_program(request.program, pk)
    form = _wish_form(request, trainee)
    if _save_wishes(request, trainee, form):
        return redirect("rotation:wishes", request.program.slug, trainee.cohort_id)
    return render(
        request, "rotation/wish_form.html", {"form": form, "trainee": trainee, "own": False}
    )


@requires(VIEW_OWN_PLAN)
def my_wishes(request: ProgramRequest) -> HttpResponse:
    records = selectors.own_trainee_records(request.program, request.access.user_id)
    if not records:
        return render(request, "rotation/wish_form.html", {"form": None, "own": True})
    trainee = records[0]
    form = _wish_form(request, trainee)
    if _save_wishes(request, trainee, form):
        return redirect("rotation:my_wishes", request.program.slug)
    return render(
        request, "rotation/wish_form.html", {"form": form, "trainee": trainee, "own": True}
    )


@requires(VIEW_OWN_ORGANISATION)
def host_ratings(request: ProgramRequest) -> HttpResponse:
    program, access = request.program, request.access
    if request.method == "POST":
        try:
            organisation_pk = int(request.POST.get("organisation", ""))
            cohort_pk = int(request.POST.get("cohort", ""))
        except ValueError as error:
            raise Http404 from error
        sheet = selectors.rating_sheet(
            program,
            access.host_organisation_ids,
            organisation_pk=organisation_pk,
            cohort_pk=cohort_pk,
        )
        form = RatingForm(request.POST, trainees=sheet.trainees, scores=sheet.scores)
        if form.is_valid():
            try:
                services.ratings_set(
                    organisation=sheet.organisation,
                    cohort=sheet.cohort,
                    scores=form.scores(),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(request, _("Ratings saved."))
                return redirect("rotation:host_ratings", program.slug)
        forms_ = [(sheet, form)]
    else:
        forms_ = [
            (
                sheet,
                RatingForm(
                    trainees=sheet.trainees,
                    scores=sheet.scores,
                    initial={"organisation": sheet.organisation.pk, "cohort": sheet.cohort.pk},
                ),
            )
            for sheet in selectors.rating_sheets(program, access.host_organisation_ids)
        ]
    return render(request, "rotation/host_ratings.html", {"sheets": forms_})


@requires(MANAGE_ROTATION)
def conflicts(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    cohort = cohort_selectors.cohort_of_program(program, pk)
    form = ForbiddenForm(
        request.POST or None,
        cohort=cohort,
        organisations=member_organisations(program).exclude(kind="cluster"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.forbidden_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Conflict of interest recorded."))
            return redirect("rotation:conflicts", program.slug, cohort.pk)
    return render(
        request,
        "rotation/conflicts.html",
        {"cohort": cohort, "form": form, "pairs": selectors.forbidden_pairs_of_cohort(cohort)},
    )


@requires(MANAGE_ROTATION)
@require_POST
def conflict_delete(request: ProgramRequest, pk: int) -> HttpResponse:
    pair = selectors.forbidden_pair_of_program(request.program, pk)
    cohort_pk = pair.trainee.cohort_id
    services.forbidden_remove(pair=pair, actor=request.user)
    messages.success(request, _("Conflict of interest removed."))
    return redirect("rotation:conflicts", request.program.slug, cohort_pk)


@requires(MANAGE_ROTATION)
def weights(request: ProgramRequest) -> HttpResponse:
    program = request.program
    found = selectors.settings_for(program)
    form = SettingsForm(
        request.POST or None,
        program=program,
        initial=model_to_dict(found, fields=SettingsForm.Meta.fields)
        | {"district_municipalities": list(found.district_municipalities.all())},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in SettingsForm.Meta.fields}
        try:
            services.settings_update(
                program=program,
                data=data,
                district_municipalities=list(form.cleaned_data["district_municipalities"]),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Weights saved."))
            return redirect("rotation:weights", program.slug)
    return render(request, "rotation/weights.html", {"form": form, "settings": found})


# ------------------------------------------------------------------------------ plans


def _plan_context(plan: RotationPlan) -> dict[str, Any]:
    now, elapsed, waited = timezone.now(), None, None
    if plan.started_at and plan.solve_state == RotationPlan.SolveState.RUNNING:
        elapsed = waited = (now - plan.started_at).total_seconds()
    elif plan.solve_state == RotationPlan.SolveState.QUEUED:
        waited = (now - plan.created_at).total_seconds()
    limit = float(plan.options.get("time_limit", 10))
    # A solve that outlived its time limit by minutes died with its process (a restart),
    # and so did one whose thread never started.
    stale = waited is not None and waited > limit + STALE_AFTER_SECONDS
    return {
        "plan": plan,
        "elapsed": elapsed,
        "time_limit": limit,
        "progress": min(100, int(100 * (elapsed or 0) / limit)) if limit else 0,
        "pending": not stale
        and plan.solve_state in (RotationPlan.SolveState.QUEUED, RotationPlan.SolveState.RUNNING),
        "can_solve_again": plan.status == RotationPlan.Status.DRAFT
        and (stale or plan.solve_state == RotationPlan.SolveState.FAILED),
    }


@requires(MANAGE_ROTATION)
def plan_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_of_program(request.program, pk)
    context = _plan_context(plan)
    if plan.has_assignment:
        context["review"] = selectors.plan_review(plan)
    if plan.plan and plan.plan.get("conflicts"):
        context["conflicts"] = sentence_words.translated(plan.plan["conflicts"], plan.instance)
    if plan.status == RotationPlan.Status.PUBLISHED:
        # The trainees this plan left out start ticked: an unticked box would bring them back.
        context["replan_form"] = ReplanForm(
            cohort=plan.cohort, initial={"excluded": plan.options.get("excluded", [])}
        )
    return render(request, "rotation/plan_detail.html", context)


@requires(MANAGE_ROTATION)
def plan_status(request: ProgramRequest, pk: int) -> HttpResponse:
    """The status fragment the plan page polls while the solver runs."""
    plan = selectors.plan_of_program(request.program, pk)
    context = _plan_context(plan)
    response = render(request, "rotation/_plan_status.html", context)
    if not context["pending"] and request.htmx:
        response["HX-Refresh"] = "true"  # show the finished plan
    return response


@requires(MANAGE_ROTATION)
@require_POST
def plan_solve_again(request: ProgramRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_of_program(request.program, pk)
    if not _plan_context(plan)["can_solve_again"]:
        messages.error(request, _("Only a draft plan that failed can be solved again."))
    else:
        services.plan_start(plan=plan)
    return redirect("rotation:plan", request.program.slug, plan.pk)


def _assignment_form(request: ProgramRequest, plan: RotationPlan) -> AssignmentForm:
    host_names, trainee_names = selectors.names_for(plan.instance)
    return AssignmentForm(
        request.POST or None,
        instance=plan.instance,
        assignment=(plan.plan or {}).get("assignment") or {},
        host_names=host_names,
        trainee_names=trainee_names,
    )


def _editable(plan: RotationPlan) -> None:
    if plan.status != RotationPlan.Status.DRAFT or not plan.has_assignment:
        raise Http404


@requires(MANAGE_ROTATION)
def plan_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    plan = selectors.plan_of_program(program, pk)
    _editable(plan)
    form = _assignment_form(request, plan)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_assignment_update(
                plan=plan, assignment=form.assignment(), actor=request.user
            )
        except ValidationError as error:
            problems = sentence_words.translated(error.messages, plan.instance)
        else:
            messages.success(request, _("Plan saved."))
            return redirect("rotation:plan", program.slug, plan.pk)
    return render(
        request,
        "rotation/plan_edit.html",
        {"plan": plan, "form": form, "problems": problems, "checked": request.method == "POST"},
    )


@requires(MANAGE_ROTATION)
@require_POST
def plan_check(request: ProgramRequest, pk: int) -> HttpResponse:
    """The live check of the edit page: the rules the edited cells break, in words."""
    plan = selectors.plan_of_program(request.program, pk)
    _editable(plan)
    form = _assignment_form(request, plan)
    problems = (
        sentence_words.translated(
            services.assignment_check(plan=plan, assignment=form.assignment()), plan.instance
        )
        if form.is_valid()
        else [_("Choose a host in every cell.")]
    )
    return render(request, "rotation/_check.html", {"problems": problems, "checked": True})


@requires(MANAGE_ROTATION)
def plan_publish(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    plan = selectors.plan_of_program(program, pk)
    if request.method == "POST":
        try:
            counts = services.plan_publish(plan=plan, actor=request.user)
        except ValidationError as error:
            # The plan's broken rules come as the solver's sentences: shown translated.
            for message in sentence_words.translated(error.messages, plan.instance):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Plan published: %(created)s new placements, %(kept)s kept, %(removed)s removed.")
                % counts,
            )
        return redirect("rotation:plan", program.slug, plan.pk)
    review = selectors.plan_review(plan) if plan.has_assignment else None
    return render(request, "rotation/plan_publish.html", {"plan": plan, "review": review})


@requires(MANAGE_ROTATION)
@require_POST
def plan_replan(request: ProgramRequest, pk: int) -> HttpResponse:
    """Re-plan from a published plan after a change, with a penalty per moved placement."""
    program = request.program
    plan = selectors.plan_of_program(program, pk)
    form = ReplanForm(request.POST, cohort=plan.cohort)
    if plan.status != RotationPlan.Status.PUBLISHED or not form.is_valid():
        messages.error(request, _("Re-plan from the published plan."))
        return redirect("rotation:plan", program.slug, plan.pk)
    options = services.replan_options(
        plan, excluded=sorted(t.pk for t in form.cleaned_data["excluded"])
    )
    try:
        new_plan = services.plan_create(
            cohort=plan.cohort, options=options, actor=request.user, previous_plan=plan
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("rotation:plan", program.slug, plan.pk)
    services.plan_start(plan=new_plan)
    return redirect("rotation:plan", program.slug, new_plan.pk)


@requires(MANAGE_ROTATION)
def plan_stability(request: ProgramRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_of_program(request.program, pk)
    if not plan.has_assignment:
        raise Http404
    periods = list(plan.instance.get("periods", []))
    period = request.GET.get("period") or (periods[0] if periods else "")
    if period not in periods:
        period = periods[0]
    available = diagnostic_available()
    sentences = blocking_pair_sentences(plan, period) if available else []
    return render(
        request,
        "rotation/plan_stability.html",
        {
            "plan": plan,
            "periods": periods,
            "period": period,
            "sentences": sentences,
            "available": available,
        },
    )
