"""Recruitment pages for the coordinator, the board and hosts: rounds, needs, positions,
settings, host review and the figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    HOST_RECRUITMENT,
    MANAGE_RECRUITMENT,
    VIEW_DASHBOARD,
    VIEW_RECRUITMENT,
    ProgramRequest,
    requires,
)
from traineenett.members.selectors import member_organisations, organisations_of_host
from traineenett.recruitment import interviews, selectors, services
from traineenett.recruitment.documents import pdf_response
from traineenett.recruitment.figures import recruitment_figures
from traineenett.recruitment.forms import (
    DECIDED_LATER,
    HostAvailabilityForm,
    InterviewRequestForm,
    NeedForm,
    PipelineSettingsForm,
    PositionForm,
    RoundForm,
    ScorecardForm,
)
from traineenett.recruitment.models import (
    CompetenceNeed,
    InterviewPlan,
    InterviewRequest,
    Position,
    Round,
    Score,
    Unavailability,
)


@requires(VIEW_RECRUITMENT)
def overview(request: ProgramRequest) -> HttpResponse:
    rounds = selectors.rounds_of_program(request.program)
    return render(request, "recruitment/overview.html", {"rounds": rounds})


@requires(MANAGE_RECRUITMENT)
def round_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    cohorts = Cohort.objects.filter(program=program, round__isnull=True).order_by("-starts_on")
    form = RoundForm(request.POST or None, cohorts=cohorts)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(program=program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The recruitment round is open for competence needs."))
            return redirect("recruitment:round", program.slug, round_.pk)
    return render(
        request,
        "recruitment/round_form.html",
        {"form": form, "no_cohort": not cohorts.exists()},
    )


@requires(VIEW_RECRUITMENT)
def round_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_of_program(request.program, pk)
    needs = round_.needs.select_related("organisation").order_by("organisation__name")
    return render(
        request,
        "recruitment/round_detail.html",
        {
            "round": round_,
            "needs": needs,
            "summary": selectors.needs_summary(round_),
            "positions": selectors.positions_of_round(round_),
        },
    )


def _periods_of(round_: Round) -> list[int]:
    numbers = [p.number for p in round_.cohort.periods.order_by("number")]
    return numbers or list(range(1, round_.program.rotation_period_count + 1))


def _require_host(request: ProgramRequest) -> None:
    # Declared with a capability every role has, so that another programme's object is a
    # 404 (looked up first) for everyone; then only hosts may go on.
    if not request.access.can(HOST_RECRUITMENT):
        raise PermissionDenied


@requires(VIEW_DASHBOARD)
def need_submit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    round_ = selectors.round_of_program(program, pk)
    _require_host(request)
    organisations = organisations_of_host(program, request.access.host_organisation_ids)
    first = organisations.first()
    existing = CompetenceNeed.objects.filter(
        round=round_, organisation_id__in=request.access.host_organisation_ids
    ).first()
    initial: dict[str, Any] = {"organisation": first}
    if existing is not None:
        initial = {
            "organisation": existing.organisation,
            "disciplines": ", ".join(existing.disciplines),
            "places": existing.places,
            "period_numbers": existing.period_numbers,
            "description": existing.description,
            "place_of_work": existing.place_of_work,
        }
    form = NeedForm(
        request.POST or None,
        organisations=organisations,
        periods=_periods_of(round_),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.need_submit(round_=round_, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Your competence needs are submitted. Thank you!"))
            return redirect("recruitment:host_home", program.slug)
    return render(request, "recruitment/need_form.html", {"form": form, "round": round_})


def _position_form(
    request: ProgramRequest, round_: Round, position: Position | None = None
) -> HttpResponse:
    program = request.program
    initial: dict[str, Any] = {}
    if position is not None:
        hosts = list(position.hosts.all())
        initial = {
            "disciplines_text": ", ".join(position.disciplines),
            "published": position.published_on is not None,
            "host_1": hosts[0].organisation if hosts else None,
        }
        for index, host in enumerate(hosts[1:], start=2):
            initial[f"host_{index}"] = (
                str(host.organisation_id) if host.organisation_id else DECIDED_LATER
            )
    form = PositionForm(
        request.POST or None,
        organisations=member_organisations(program),
        instance=position,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.position_save(
                round_=round_,
                data=form.service_data(),
                hosts=form.hosts(),
                position=position,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Position “%(title)s” saved.") % {"title": saved.title})
            return redirect("recruitment:round", program.slug, round_.pk)
    return render(
        request,
        "recruitment/position_form.html",
        {"form": form, "round": round_, "position": position},
    )


@requires(MANAGE_RECRUITMENT)
def position_create(request: ProgramRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_of_program(request.program, pk)
    return _position_form(request, round_)


@requires(MANAGE_RECRUITMENT)
def position_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    position = selectors.position_of_program(request.program, pk)
    return _position_form(request, position.round, position)


@requires(MANAGE_RECRUITMENT)
def pipeline_settings(request: ProgramRequest) -> HttpResponse:
    program = request.program
    stages = services.stages_ensure(program)
    criteria = services.criteria_ensure(program)
    settings = services.settings_for(program)
    initial = {
        "stages": "\n".join(s.name for s in stages if s.key not in services.FIXED_STAGE_KEYS),
        "criteria": "\n".join(c.name for c in criteria),
        "retention_days": settings.retention_days,
        "rejection_template": settings.rejection_template,
    }
    form = PipelineSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pipeline_configure(
                program=program,
                intermediate_stages=data["stages"].splitlines(),
                criteria=data["criteria"].splitlines(),
                retention_days=data["retention_days"],
                rejection_template=data["rejection_template"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("recruitment:settings", program.slug)
    return render(request, "recruitment/settings.html", {"form": form, "stages": stages})


@requires(VIEW_RECRUITMENT)
def figures(request: ProgramRequest) -> HttpResponse:
    rounds = list(selectors.rounds_of_program(request.program))
    chosen = request.GET.get("round", "")
    round_ = next((r for r in rounds if str(r.pk) == chosen), rounds[0] if rounds else None)
    charts = recruitment_figures(round_) if round_ else []
    return render(
        request,
        "recruitment/figures.html",
        {"rounds": rounds, "round": round_, "charts": charts},
    )


# ----------------------------------------------------------------------------- hosts


@requires(HOST_RECRUITMENT)
def host_home(request: ProgramRequest) -> HttpResponse:
    program = request.program
    rounds = selectors.rounds_of_program(program)
    submitted = set(
        CompetenceNeed.objects.filter(
            round__program=program, organisation_id__in=request.access.host_organisation_ids
        ).values_list("round_id", flat=True)
    )
    candidates = selectors.host_candidates(request.access)
    return render(
        request,
        "recruitment/host_home.html",
        {
            "rounds": rounds,
            "submitted": submitted,
            "candidates": candidates,
            "organisations": organisations_of_host(program, request.access.host_organisation_ids),
            "interviews": selectors.interviews_of_hosts(request.access),
        },
    )


@requires(VIEW_DASHBOARD)
def host_review(request: ProgramRequest, pk: int) -> HttpResponse:
    access = request.access
    selectors.application_of_program(request.program, pk)
    _require_host(request)
    application = selectors.host_candidate(access, pk)
    criteria = services.criteria_ensure(request.program)
    own_scores = {
        s.criterion_id: s.value
        for s in Score.objects.filter(application=application, reviewer_id=access.user_id)
    }
    organisations = selectors.host_organisations_for(access, application)
    scorecard = ScorecardForm(
        request.POST if request.POST.get("form") == "scorecard" else None,
        criteria=criteria,
        initial_scores=own_scores,
    )
    interview_form = InterviewRequestForm(
        request.POST if request.POST.get("form") == "interview" else None,
        organisations=organisations,
        initial={"organisation": organisations.first()},
    )
    if (
        request.method == "POST"
        and request.POST.get("form") == "scorecard"
        and scorecard.is_valid()
    ):
        services.scores_save(
            application=application,
            values=scorecard.values(),
            reviewer=request.user,
            organisation=organisations.first(),
        )
        messages.success(request, _("Scores saved."))
        return redirect("recruitment:host_review", request.program.slug, application.pk)
    if request.method == "POST" and request.POST.get("form") == "withdraw":
        own = get_object_or_404(
            InterviewRequest.objects.select_related("organisation", "application__program"),
            pk=request.POST.get("request") if str(request.POST.get("request")).isdigit() else 0,
            application=application,
            organisation_id__in=access.host_organisation_ids,
        )
        try:
            services.interview_request_withdraw(request=own, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The interview request is withdrawn."))
        return redirect("recruitment:host_review", request.program.slug, application.pk)
    if (
        request.method == "POST"
        and request.POST.get("form") == "interview"
        and interview_form.is_valid()
    ):
        try:
            services.interview_request(
                application=application,
                organisation=interview_form.cleaned_data["organisation"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, interview_form)
        else:
            messages.success(request, _("Interview requested for the recruitment days."))
            return redirect("recruitment:host_review", request.program.slug, application.pk)
    requested = InterviewRequest.objects.filter(
        application=application, organisation_id__in=access.host_organisation_ids
    ).select_related("organisation", "interview")
    return render(
        request,
        "recruitment/host_review.html",
        {
            "application": application,
            "scorecard": scorecard,
            "interview_form": interview_form,
            "requested": requested,
            "documents": application.documents.all(),
            "educations": application.educations.all(),
        },
    )


@requires(VIEW_DASHBOARD)
def host_availability(request: ProgramRequest, pk: int) -> HttpResponse:
    """A host marks the recruitment-day slots its own organisation cannot take."""
    program = request.program
    round_ = selectors.round_of_program(program, pk)
    _require_host(request)
    organisations = organisations_of_host(program, request.access.host_organisation_ids)
    wanted = request.POST.get("organisation") or request.GET.get("organisation", "")
    chosen = (
        organisations.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    ) or organisations.first()
    plan = InterviewPlan.objects.filter(round=round_).first()
    slots = interviews.slots_of(plan) if plan is not None else []
    current = (
        list(
            Unavailability.objects.filter(plan=plan, organisation=chosen).values_list(
                "slot", flat=True
            )
        )
        if plan is not None and chosen is not None
        else []
    )
    form = HostAvailabilityForm(
        request.POST or None,
        organisations=organisations,
        slots=[(s.id, f"{s.day:%d.%m.%Y} {s.start:%H:%M}") for s in slots],
        initial={"organisation": chosen, "slots": current},
    )
    if request.method == "POST" and plan is not None and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            interviews.unavailability_set(
                plan=plan,
                slot_ids=form.cleaned_data["slots"],
                organisation=organisation,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Unavailability saved."))
            return redirect(
                f"{reverse('recruitment:host_availability', args=[program.slug, round_.pk])}"
                f"?organisation={organisation.pk}"
            )
    return render(
        request,
        "recruitment/host_availability.html",
        {"round": round_, "plan": plan, "form": form, "slot_count": len(slots)},
    )


@requires(VIEW_DASHBOARD)
def document_download(request: ProgramRequest, pk: int) -> HttpResponse:
    """Uploads are only served here (coordinator; a host for its own candidates)."""
    document = selectors.document_for(request.access, pk)
    return pdf_response(document)
