"""Survey pages: the coordinator's waves, and the alumnus's answer page (no log-in)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import MANAGE_FOLLOWUP, VIEW_FOLLOWUP, ProgramRequest, requires
from traineenett.surveys import selectors, services
from traineenett.surveys.forms import MUNICIPALITY_LIST_ID, AnswerForm, SurveySettingsForm

# ------------------------------------------------------------------- coordinator pages


@requires(VIEW_FOLLOWUP)
def wave_list(request: ProgramRequest) -> HttpResponse:
    program = request.program
    if request.access.can(MANAGE_FOLLOWUP):
        # The daily cron creates waves too; the coordinator need not wait for it.
        services.waves_sync(program, actor=request.user)
    return render(
        request,
        "surveys/wave_list.html",
        {
            "cohorts": selectors.waves_by_cohort(
                program, suppress=selectors.counts_suppressed(request.access)
            ),
            "suppressed": selectors.counts_suppressed(request.access),
            "today": timezone.localdate(),
            "settings": services.survey_settings_of(program),
        },
    )


@requires(VIEW_FOLLOWUP)
def wave_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_of_program(request.program, pk)
    today = timezone.localdate()
    return render(
        request,
        "surveys/wave_detail.html",
        {
            "wave": wave,
            "is_open": services.wave_is_open(wave, today),
            "today": today,
            "counts": selectors.wave_counts(
                wave, suppress=selectors.counts_suppressed(request.access)
            ),
            "suppressed": selectors.counts_suppressed(request.access),
            "may_see_answers": selectors.may_see_answers(request.access),
        },
    )


@require_POST
@requires(MANAGE_FOLLOWUP)
def wave_invite(request: ProgramRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_of_program(request.program, pk)
    try:
        count = services.wave_invite(
            wave=wave, link_builder=request.build_absolute_uri, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s invitation(s) sent.") % {"count": count})
    return redirect("surveys:wave_detail", request.program.slug, wave.pk)


@require_POST
@requires(MANAGE_FOLLOWUP)
def wave_remind(request: ProgramRequest, pk: int) -> HttpResponse:
    wave = selectors.wave_of_program(request.program, pk)
    try:
        count = services.wave_remind(
            wave=wave, link_builder=request.build_absolute_uri, due_only=False, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s reminder(s) sent.") % {"count": count})
    return redirect("surveys:wave_detail", request.program.slug, wave.pk)


@requires(VIEW_FOLLOWUP)
def wave_answers(request: ProgramRequest, pk: int) -> HttpResponse:
    if not selectors.may_see_answers(request.access):
        raise PermissionDenied
    wave = selectors.wave_of_program(request.program, pk)
    answers = list(selectors.answers_of_wave(wave))
    names = selectors.municipality_names({answer.municipality_number for answer in answers})
    catchment = set(request.program.catchment.values_list("number", flat=True))
    rows = [
        (answer, names.get(answer.municipality_number, ""), answer.municipality_number in catchment)
        for answer in answers
    ]
    return render(request, "surveys/wave_answers.html", {"wave": wave, "rows": rows})


@requires(MANAGE_FOLLOWUP)
def survey_settings(request: ProgramRequest) -> HttpResponse:
    program = request.program
    current = services.survey_settings_of(program)
    form = SurveySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_settings_update(
                program=program,
                data={name: form.cleaned_data[name] for name in SurveySettingsForm.Meta.fields},
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("surveys:waves", program.slug)
    return render(request, "surveys/settings_form.html", {"form": form})


# --------------------------------------------------------------- the alumnus (public)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/link_invalid.html", status=404)


@never_cache
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return _invalid(request)
    state = services.link_state(invitation)
    context = {"invitation": invitation, "survey_program": invitation.program, "token": token}
    if state == services.LinkState.ANSWERED:
        context["opted_out"] = services.alumnus_opted_out(invitation)
        return render(request, "surveys/answer_done.html", context)
    if state == services.LinkState.OPTED_OUT:
        return render(request, "surveys/opted_out.html", context)
    form = AnswerForm(request.POST or None, initial={"email": invitation.alumnus.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer_submit(invitation=invitation, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            return redirect("survey_answer", token=token)
    context |= {
        "form": form,
        "municipalities": selectors.current_municipalities(),
        "municipality_list_id": MUNICIPALITY_LIST_ID,
    }
    return render(request, "surveys/answer.html", context)


@never_cache
def survey_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return _invalid(request)
    context = {"invitation": invitation, "survey_program": invitation.program, "token": token}
    if request.method == "POST":
        services.survey_opt_out(invitation=invitation)
        return redirect("survey_answer", token=token)
    if services.link_state(invitation) == services.LinkState.OPTED_OUT:
        return render(request, "surveys/opted_out.html", context)
    return render(request, "surveys/opt_out_confirm.html", context)
