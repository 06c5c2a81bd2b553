"""Recruitment days: days and slots, unavailability, running the scheduler, the schedule,
calendar files and printable day lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from traineenett.core.forms import add_service_errors
from traineenett.core.ical import calendar_response
from traineenett.core.permissions import (
    MANAGE_RECRUITMENT,
    VIEW_DASHBOARD,
    ProgramRequest,
    requires,
)
from traineenett.members.selectors import member_organisations
from traineenett.recruitment import interviews, selectors
from traineenett.recruitment.forms import DayForm, PlanForm, UnavailabilityForm
from traineenett.recruitment.models import (
    Application,
    Interview,
    InterviewPlan,
    InterviewRequest,
    Unavailability,
)


def _parties(requests: list[InterviewRequest]) -> list[tuple[str, str]]:
    hosts = {r.organisation_id: r.organisation.name for r in requests}
    candidates = {r.application_id: r.application.full_name for r in requests}
    return [(f"h{pk}", name) for pk, name in sorted(hosts.items(), key=lambda i: i[1])] + [
        (f"c{pk}", name) for pk, name in sorted(candidates.items(), key=lambda i: i[1])
    ]


def _schedule_grid(plan: InterviewPlan) -> list[dict[str, Any]]:
    """One block per day, one row per slot with the interviews placed in it."""
    by_slot: dict[str, list[Interview]] = {}
    for interview in selectors.interviews_of_round(plan.round):
        by_slot.setdefault(interview.slot, []).append(interview)
    days: dict[Any, dict[str, Any]] = {}
    for day in plan.days.order_by("date"):
        days[day.date] = {"day": day, "rows": []}
    for slot in interviews.slots_of(plan):
        days[slot.day]["rows"].append((slot, by_slot.get(slot.id, [])))
    return list(days.values())


@requires(MANAGE_RECRUITMENT)
def interview_plan(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    round_ = selectors.round_of_program(program, pk)
    plan = interviews.plan_ensure(round_)
    which = request.POST.get("form", "") if request.method == "POST" else ""
    slots = interviews.slots_of(plan)
    slot_choices = [(s.id, f"{s.day:%d.%m} {s.start:%H:%M}") for s in slots]
    requests = interviews.requests_of(round_)  # once: the form's parties and the list
    plan_form = PlanForm(request.POST if which == "plan" else None, instance=plan)
    day_form = DayForm(request.POST if which == "day" else None)
    unavailable_form = UnavailabilityForm(
        request.POST if which == "unavailable" else None,
        parties=_parties(requests),
        slots=slot_choices,
    )
    result = None
    try:
        if which == "plan" and plan_form.is_valid():
            data = {name: plan_form.cleaned_data[name] for name in PlanForm.Meta.fields}
            interviews.plan_update(plan=plan, data=data, actor=request.user)
            messages.success(request, _("Changes saved."))
            return redirect("recruitment:interviews", program.slug, round_.pk)
        if which == "day" and day_form.is_valid():
            interviews.day_add(
                plan=plan,
                day=day_form.cleaned_data["date"],
                starts_at=day_form.cleaned_data["starts_at"],
                ends_at=day_form.cleaned_data["ends_at"],
                actor=request.user,
            )
            messages.success(request, _("Recruitment day added."))
            return redirect("recruitment:interviews", program.slug, round_.pk)
        if which == "unavailable" and unavailable_form.is_valid():
            party = unavailable_form.cleaned_data["party"]
            kind, party_pk = party[0], int(party[1:])
            interviews.unavailability_set(
                plan=plan,
                slot_ids=unavailable_form.cleaned_data["slots"],
                organisation=member_organisations(program).filter(pk=party_pk).first()
                if kind == "h"
                else None,
                application=Application.objects.filter(program=program, pk=party_pk).first()
                if kind == "c"
                else None,
                actor=request.user,
            )
            messages.success(request, _("Unavailability saved."))
            return redirect("recruitment:interviews", program.slug, round_.pk)
        if which == "run":
            result = interviews.schedule_run(plan=plan, actor=request.user)
            messages.success(
                request,
                _("%(placed)s of %(total)s interviews placed.")
                % {"placed": result["placed"], "total": result["placed"] + len(result["unplaced"])},
            )
    except ValidationError as error:
        target = {"plan": plan_form, "day": day_form, "unavailable": unavailable_form}.get(which)
        if target is not None:
            add_service_errors(error, target)
        else:
            for message in error.messages:
                messages.error(request, message)
    unavailable = Unavailability.objects.filter(plan=plan).select_related(
        "organisation", "application"
    )
    return render(
        request,
        "recruitment/interviews.html",
        {
            "round": round_,
            "plan": plan,
            "plan_form": plan_form,
            "day_form": day_form,
            "unavailable_form": unavailable_form,
            "requests": requests,
            "unavailable": unavailable,
            "grid": _schedule_grid(plan),
            "unplaced": interviews.unplaced_reasons(plan, result) if result else [],
            "slot_count": len(slots),
        },
    )


@requires(MANAGE_RECRUITMENT)
def day_delete(request: ProgramRequest, pk: int) -> HttpResponse:
    day = selectors.interview_day_of_program(request.program, pk)
    round_ = day.plan.round
    if request.method == "POST":
        interviews.day_delete(day=day, actor=request.user)
        messages.success(request, _("Recruitment day removed."))
        return redirect("recruitment:interviews", request.program.slug, round_.pk)
    return render(request, "recruitment/day_delete.html", {"day": day, "round": round_})


@requires(MANAGE_RECRUITMENT)
def day_print(request: ProgramRequest, pk: int) -> HttpResponse:
    """A printable list of one day's interviews, by host and by time."""
    day = selectors.interview_day_of_program(request.program, pk)
    rows = [
        interview
        for interview in selectors.interviews_of_round(day.plan.round)
        if interview.slot.startswith(f"{day.date:%Y%m%d}-")
    ]
    by_host: dict[str, list[Interview]] = {}
    for interview in rows:
        by_host.setdefault(interview.request.organisation.name, []).append(interview)
    return render(
        request,
        "recruitment/day_print.html",
        {"day": day, "rows": rows, "by_host": sorted(by_host.items()), "plan": day.plan},
    )


@requires(MANAGE_RECRUITMENT)
def candidate_calendar(request: ProgramRequest, pk: int) -> HttpResponse:
    application = selectors.application_of_program(request.program, pk)
    found = Interview.objects.filter(request__application=application).select_related(
        "request", "request__organisation", "request__application"
    )
    location = getattr(getattr(application.cohort, "round", None), "interview_plan", None)
    return calendar_response(
        interviews.calendar_events(
            list(found), for_candidate=True, location=location.location if location else ""
        ),
        name=str(_("Interviews")),
        filename=f"interviews-{application.pk}.ics",
    )


@requires(VIEW_DASHBOARD)
def host_calendar(request: ProgramRequest, pk: int) -> HttpResponse:
    """A host organisation's interviews (a host: only its own organisation)."""
    organisation = selectors.member_organisation_for(request.access, pk)
    found = Interview.objects.filter(
        request__organisation=organisation,
        request__application__program=request.program,
    ).select_related(
        "request",
        "request__organisation",
        "request__application",
        "request__application__cohort__round__interview_plan",
    )
    events = []
    for interview in found:
        plan = interview.request.application.cohort.round.interview_plan
        events.extend(
            interviews.calendar_events([interview], for_candidate=False, location=plan.location)
        )
    return calendar_response(
        events, name=str(_("Interviews")), filename=f"interviews-{organisation.pk}.ics"
    )
