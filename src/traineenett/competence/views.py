"""Competence programme pages: thin views over the selectors and services."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, cast

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traineenett.cohorts.selectors import cohort_of_program, cohorts_of_program
from traineenett.competence import checkin as checkin_codes
from traineenett.competence import selectors, services
from traineenett.competence.certificate import certificate_pdf
from traineenett.competence.export import overview_workbook
from traineenett.competence.forms import (
    ApologyForm,
    AssignmentForm,
    AttendanceForm,
    CheckInForm,
    CommentForm,
    GroupRoundForm,
    MaterialForm,
    ModuleForm,
    MoveForm,
    NotesForm,
    ReflectionForm,
    SessionForm,
    SettingsForm,
    TaskForm,
)
from traineenett.competence.models import Session
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    FACILITATE_COMPETENCE,
    MANAGE_COMPETENCE,
    TRAINEE_COMPETENCE,
    VIEW_COMPETENCE,
    ProgramRequest,
    requires,
)
from traineenett.core.ratelimit import over_limit


def _not_linked(request: ProgramRequest) -> HttpResponse:
    return render(request, "competence/not_linked.html", status=404)


# ---------------------------------------------------------------------- trainee pages


@requires(TRAINEE_COMPETENCE)
def home(request: ProgramRequest) -> HttpResponse:
    """The trainee's page: next sessions, check-in, rotation, groups and reflections due."""
    trainee = selectors.my_trainee(request.access)
    if trainee is None:
        return _not_linked(request)
    now = timezone.now()
    upcoming = list(
        selectors.sessions_visible_to(request.access)
        .filter(ends_at__gte=now)
        .order_by("starts_at")[:5]
    )
    attendance = selectors.attendance_by_session(trainee, upcoming)
    progress = selectors.progress_of([trainee], now)[0]
    assignments = selectors.assignments_of_trainee(trainee)
    due = [(a, r) for a, r in assignments if r is None and a.due_at >= now]
    feed = services.feed_for_trainee(trainee)
    return render(
        request,
        "competence/home.html",
        {
            "trainee": trainee,
            "upcoming": [(s, attendance.get(s.pk)) for s in upcoming],
            "progress": progress,
            "due": due,
            "assignments": assignments,
            "placement": selectors.placement_now(trainee, now),
            "groups": selectors.groups_of_trainee(trainee),
            "form": CheckInForm(),
            "feed_url": request.build_absolute_uri(
                reverse("competence_feed", kwargs={"token": feed.token})
            ),
            "now": now,
        },
    )


CHECK_IN_LIMIT = 10  # attempts per trainee in ten minutes: guessing a code is hopeless


@requires(TRAINEE_COMPETENCE)
def check_in(request: ProgramRequest) -> HttpResponse:
    trainee = selectors.my_trainee(request.access)
    if trainee is None:
        return _not_linked(request)
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and over_limit(
        request, f"check-in:{trainee.pk}", limit=CHECK_IN_LIMIT, window_seconds=600
    ):
        form.is_valid()
        form.add_error("code", _("Too many check-in attempts. Wait ten minutes and try again."))
    elif request.method == "POST" and form.is_valid():
        try:
            attendance = services.check_in(
                program=request.program, trainee=trainee, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request,
                _("You are checked in to “%(title)s” (%(status)s).")
                % {"title": attendance.session.title, "status": attendance.get_status_display()},
            )
            return redirect("competence:home", request.program.slug)
    return render(request, "competence/check_in.html", {"form": form})


# Object URLs of trainees' own things declare VIEW_COMPETENCE and answer 404 to anyone
# without a trainee record here, so another programme's object is a 404 for everyone.
@requires(VIEW_COMPETENCE)
def apology(request: ProgramRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.access, pk)
    trainee = selectors.my_trainee(request.access)
    if trainee is None or not request.access.can(TRAINEE_COMPETENCE):
        raise Http404
    form = ApologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apology_submit(
                session=session, trainee=trainee, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Your apology is registered. You are excused."))
            return redirect("competence:home", request.program.slug)
    return render(request, "competence/apology.html", {"form": form, "session": session})


@requires(VIEW_COMPETENCE)
def reflection_write(request: ProgramRequest, pk: int) -> HttpResponse:
    assignment, trainee = selectors.assignment_for_trainee(request.access, pk)
    existing = assignment.reflections.filter(trainee=trainee).first()
    form = ReflectionForm(request.POST or None, initial={"text": existing.text if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            reflection = services.reflection_submit(
                assignment=assignment, trainee=trainee, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Your reflection is saved."))
            return redirect("competence:reflection", request.program.slug, reflection.pk)
    return render(
        request,
        "competence/reflection_form.html",
        {
            "form": form,
            "assignment": assignment,
            "placement": selectors.placement_now(trainee, timezone.now()),
        },
    )


@requires(TRAINEE_COMPETENCE)
def feed_regenerate(request: ProgramRequest) -> HttpResponse:
    trainee = selectors.my_trainee(request.access)
    if trainee is None:
        return _not_linked(request)
    if request.method == "POST":
        services.feed_regenerate(feed=services.feed_for_trainee(trainee), actor=request.user)
        messages.success(
            request, _("Your calendar has a new address; the old one no longer works.")
        )
        return redirect("competence:home", request.program.slug)
    return render(request, "competence/feed_regenerate.html", {})


# ------------------------------------------------------------------ sessions, calendar


@requires(VIEW_COMPETENCE)
def session_list(request: ProgramRequest) -> HttpResponse:
    """The calendar: sessions by month (a trainee sees their cohort's)."""
    cohort_id = request.GET.get("cohort", "")
    sessions = selectors.sessions_visible_to(request.access)
    if cohort_id.isdigit():
        sessions = sessions.filter(cohorts=int(cohort_id))
    months: OrderedDict[Any, list[Session]] = OrderedDict()
    for session in sessions.distinct().order_by("starts_at"):
        month = timezone.localtime(session.starts_at).date().replace(day=1)
        months.setdefault(month, []).append(session)
    cohorts = (
        cohorts_of_program(request.program)
        if selectors.is_coordinator(request.access) or request.access.can(FACILITATE_COMPETENCE)
        else []
    )
    return render(
        request,
        "competence/session_list.html",
        {"months": months, "cohorts": cohorts, "cohort_id": cohort_id, "now": timezone.now()},
    )


@requires(VIEW_COMPETENCE)
def session_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.access, pk)
    trainee = selectors.my_trainee(request.access)
    attendance = session.attendances.filter(trainee=trainee).first() if trainee else None
    runs = selectors.is_coordinator(request.access) or (
        session.facilitator_id == request.access.user_id
        and request.access.can(FACILITATE_COMPETENCE)
    )
    return render(
        request,
        "competence/session_detail.html",
        {
            "session": session,
            "attendance": attendance,
            "is_trainee": trainee is not None and request.access.can(TRAINEE_COMPETENCE),
            "runs": runs,
            "materials": session.materials.all(),
            "assignments": session.assignments.all(),
            "now": timezone.now(),
        },
    )


def _session_form_view(request: ProgramRequest, session: Session | None) -> HttpResponse:
    program = request.program
    services.modules_ensure_defaults(program=program)
    initial = (
        {
            **model_to_dict(
                session, fields=["title", "module", "place", "facilitator", "description"]
            ),
            "cohorts": list(session.cohorts.all()),
        }
        if session
        else None
    )
    form = SessionForm(
        request.POST or None,
        program=program,
        initial=initial,
        days=list(session.session_days.all()) if session else [],
    )
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k]
            for k in ("title", "module", "place", "facilitator", "description")
        }
        try:
            if session is None:
                session = services.session_create(
                    program=program,
                    cohorts=form.cleaned_data["cohorts"],
                    days=form.days(),
                    actor=request.user,
                    **data,
                )
                messages.success(request, _("Session planned."))
            else:
                services.session_update(
                    session=session,
                    data=data,
                    cohorts=form.cleaned_data["cohorts"],
                    days=form.days(),
                    actor=request.user,
                )
                messages.success(request, _("Changes saved."))
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            return redirect("competence:session", program.slug, session.pk)
    return render(request, "competence/session_form.html", {"form": form, "session": session})


@requires(MANAGE_COMPETENCE)
def session_create(request: ProgramRequest) -> HttpResponse:
    return _session_form_view(request, None)


@requires(MANAGE_COMPETENCE)
def session_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    return _session_form_view(request, selectors.session_for(request.access, pk))


@requires(MANAGE_COMPETENCE)
def session_delete(request: ProgramRequest, pk: int) -> HttpResponse:
    """A confirmation page; a session with attendance or reflections is refused."""
    session = selectors.session_for(request.access, pk)
    if request.method == "POST":
        try:
            services.session_delete(session=session, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The session “%(title)s” is deleted.") % {"title": session.title}
            )
            return redirect("competence:sessions", request.program.slug)
    return render(
        request,
        "competence/session_delete.html",
        {
            "session": session,
            "blockers": services.session_delete_blockers(session),
            "apologies": session.attendances.count(),
            "assignments": session.assignments.count(),
            "materials": session.materials.count(),
        },
    )


@requires(FACILITATE_COMPETENCE)
def material_add(request: ProgramRequest, pk: int) -> HttpResponse:
    session = selectors.session_facilitated_by(request.access, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_add(session=session, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Material added."))
            return redirect("competence:session", request.program.slug, session.pk)
    return render(request, "competence/material_form.html", {"form": form, "session": session})


@requires(VIEW_COMPETENCE)
def material_download(request: ProgramRequest, pk: int) -> HttpResponse:
    material = selectors.material_for(request.access, pk)
    if material.url:
        return HttpResponseRedirect(material.url)
    if not material.file:
        raise Http404
    # A streaming response; the decorator types views as returning HttpResponse.
    return cast(HttpResponse, FileResponse(material.file.open("rb"), as_attachment=True))


@requires(FACILITATE_COMPETENCE)
def attendance(request: ProgramRequest, pk: int) -> HttpResponse:
    session = selectors.session_facilitated_by(request.access, pk)
    rows = selectors.session_attendance(session)
    form = AttendanceForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        statuses = form.statuses()
        if "rest_absent" in request.POST:
            statuses = {k: v or "absent" for k, v in statuses.items()}
        try:
            changed = services.attendance_register(
                session=session, statuses=statuses, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Attendance saved (%(count)s changed).") % {"count": changed}
            )
            return redirect("competence:attendance", request.program.slug, session.pk)
    return render(request, "competence/attendance.html", {"form": form, "session": session})


@requires(FACILITATE_COMPETENCE)
def checkin_screen(request: ProgramRequest, pk: int) -> HttpResponse:
    """The facilitator's screen: the rotating code and a QR code of a check-in link."""
    session = selectors.session_facilitated_by(request.access, pk)
    now = timezone.now()
    settings_ = services.competence_settings(request.program)
    code = services.current_code(session, now)
    link = request.build_absolute_uri(
        reverse("competence:check_in", kwargs={"program_slug": request.program.slug})
        + f"?code={code}"
    )
    context = {
        "session": session,
        "code": code,
        "qr": segno.make(link, micro=False).svg_inline(
            scale=8, title=_("QR code for checking in"), svgclass="qr"
        ),
        "open": services.session_is_open(session, now, settings_.checkin_grace_minutes),
        "seconds": settings_.checkin_code_seconds,
        "seconds_left": checkin_codes.seconds_left(now, settings_.checkin_code_seconds),
        "checked_in": session.attendances.filter(status__in=["present", "late"]).count(),
    }
    template = "competence/_checkin_code.html" if request.htmx else "competence/checkin_screen.html"
    return render(request, template, context)


# --------------------------------------------------------------------------- reflections


@requires(FACILITATE_COMPETENCE)
def assignment_create(request: ProgramRequest, pk: int) -> HttpResponse:
    session = selectors.session_facilitated_by(request.access, pk)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                session=session, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Assignment created."))
            return redirect("competence:assignment", request.program.slug, assignment.pk)
    return render(request, "competence/assignment_form.html", {"form": form, "session": session})


@requires(FACILITATE_COMPETENCE)
def assignment_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_facilitated_by(request.access, pk)
    return render(
        request,
        "competence/assignment_detail.html",
        {"assignment": assignment, "rows": selectors.assignment_reflections(assignment)},
    )


@requires(VIEW_COMPETENCE)
def reflection_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_for(request.access, pk)
    may_comment = request.access.can(FACILITATE_COMPETENCE) and (
        selectors.is_coordinator(request.access)
        or reflection.assignment.session.facilitator_id == request.access.user_id
    )
    form = CommentForm(initial={"comment": reflection.comment}) if may_comment else None
    return render(
        request,
        "competence/reflection_detail.html",
        {"reflection": reflection, "form": form},
    )


@requires(FACILITATE_COMPETENCE)
def reflection_comment(request: ProgramRequest, pk: int) -> HttpResponse:
    reflection = selectors.reflection_for(request.access, pk)
    if not (
        selectors.is_coordinator(request.access)
        or reflection.assignment.session.facilitator_id == request.access.user_id
    ):
        raise Http404
    form = CommentForm(request.POST or None, initial={"comment": reflection.comment})
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_comment(
                reflection=reflection, comment=form.cleaned_data["comment"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Comment saved."))
            return redirect("competence:reflection", request.program.slug, reflection.pk)
    return render(
        request, "competence/reflection_detail.html", {"reflection": reflection, "form": form}
    )


# ---------------------------------------------------------------------- coordinator


@requires(MANAGE_COMPETENCE)
def module_list(request: ProgramRequest) -> HttpResponse:
    modules = services.modules_ensure_defaults(program=request.program)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.module_create(program=request.program, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Module added."))
            return redirect("competence:modules", request.program.slug)
    return render(request, "competence/module_list.html", {"modules": modules, "form": form})


@requires(MANAGE_COMPETENCE)
def module_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    module = selectors.module_of_program(request.program, pk)
    form = ModuleForm(
        request.POST or None, initial=model_to_dict(module, fields=ModuleForm.Meta.fields)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.module_update(module=module, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("competence:modules", request.program.slug)
    return render(request, "competence/module_form.html", {"form": form, "module": module})


@requires(MANAGE_COMPETENCE)
def settings_edit(request: ProgramRequest) -> HttpResponse:
    current = services.competence_settings(request.program)
    form = SettingsForm(
        request.POST or None, initial=model_to_dict(current, fields=SettingsForm.Meta.fields)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(
                program=request.program, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("competence:settings", request.program.slug)
    return render(request, "competence/settings.html", {"form": form})


@requires(MANAGE_COMPETENCE)
def overview(request: ProgramRequest) -> HttpResponse:
    cohorts = list(cohorts_of_program(request.program))
    cohort_id = request.GET.get("cohort", "")
    cohort = next((c for c in cohorts if str(c.pk) == cohort_id), None)
    if cohort is None:
        today = timezone.localdate()
        cohort = next((c for c in cohorts if c.starts_on <= today <= c.ends_on), None) or (
            cohorts[0] if cohorts else None
        )
    data = selectors.cohort_overview(cohort, timezone.now()) if cohort else None
    feed_url = (
        request.build_absolute_uri(
            reverse("competence_feed", kwargs={"token": services.feed_for_cohort(cohort).token})
        )
        if cohort
        else ""
    )
    return render(
        request,
        "competence/overview.html",
        {"cohorts": cohorts, "cohort": cohort, "overview": data, "feed_url": feed_url},
    )


@requires(MANAGE_COMPETENCE)
def overview_export(request: ProgramRequest, pk: int) -> HttpResponse:
    cohort = cohort_of_program(request.program, pk)
    data = selectors.cohort_overview(cohort, timezone.now())
    response = HttpResponse(
        overview_workbook(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"attendance-{request.program.slug}-{cohort.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(MANAGE_COMPETENCE)
def cohort_feed_regenerate(request: ProgramRequest, pk: int) -> HttpResponse:
    cohort = cohort_of_program(request.program, pk)
    if request.method == "POST":
        services.feed_regenerate(feed=services.feed_for_cohort(cohort), actor=request.user)
        messages.success(
            request, _("The cohort's calendar has a new address; the old one no longer works.")
        )
        return redirect(
            reverse("competence:overview", args=[request.program.slug]) + f"?cohort={cohort.pk}"
        )
    return render(request, "competence/feed_regenerate.html", {"cohort": cohort})


@requires(VIEW_COMPETENCE)
def progress(request: ProgramRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for_progress(request.access, pk)
    result = selectors.progress_of([trainee], timezone.now())[0]
    return render(
        request,
        "competence/progress.html",
        {
            "trainee": trainee,
            "result": result,
            "assignments": selectors.assignments_of_trainee(trainee),
        },
    )


@requires(VIEW_COMPETENCE)
def certificate(request: ProgramRequest, pk: int) -> HttpResponse:
    trainee = selectors.trainee_for_progress(request.access, pk)
    result = selectors.progress_of([trainee], timezone.now())[0]
    if not result.progress.complete:
        return render(
            request,
            "competence/certificate_refused.html",
            {"trainee": trainee, "result": result},
            status=409,
        )
    pdf = certificate_pdf(
        program_name=request.program.name,
        trainee_name=trainee.full_name,
        cohort_label=trainee.cohort.label,
        modules=result.by_module,
        total_days=result.progress.credited,
        required_days=request.program.competence_days_required,
        issued_on=timezone.localdate(),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{trainee.pk}.pdf"'
    return response


# ------------------------------------------------------------------------------ groups


@requires(MANAGE_COMPETENCE)
def group_rounds(request: ProgramRequest) -> HttpResponse:
    form = GroupRoundForm(request.POST or None, program=request.program)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.group_round_build(
                program=request.program, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Groups built."))
            return redirect("competence:round", request.program.slug, round_.pk)
    return render(
        request,
        "competence/group_rounds.html",
        {"rounds": selectors.rounds_of_program(request.program), "form": form},
    )


@requires(MANAGE_COMPETENCE)
def round_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_of_program(request.program, pk)
    return render(
        request,
        "competence/round_detail.html",
        {"round": round_, "move_form": MoveForm(round_=round_)},
    )


@require_POST
@requires(MANAGE_COMPETENCE)
def round_rebuild(request: ProgramRequest, pk: int) -> HttpResponse:
    round_ = selectors.round_of_program(request.program, pk)
    try:
        services.group_round_rebuild(round_=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Groups rebuilt; pinned trainees kept their groups."))
    return redirect("competence:round", request.program.slug, round_.pk)


@require_POST
@requires(MANAGE_COMPETENCE)
def member_move(request: ProgramRequest, pk: int) -> HttpResponse:
    member = selectors.member_of_program(request.program, pk)
    form = MoveForm(request.POST, round_=member.round)
    if form.is_valid():
        services.group_member_move(
            member=member,
            group=form.cleaned_data["group"],
            pinned=form.cleaned_data["pinned"],
            actor=request.user,
        )
        messages.success(request, _("%(name)s moved.") % {"name": member.trainee.full_name})
    else:
        messages.error(request, _("Choose a group to move to."))
    return redirect("competence:round", request.program.slug, member.round_id)


@requires(VIEW_COMPETENCE)
def group_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.access, pk)
    form = NotesForm(request.POST or None, initial={"notes": group.notes})
    if request.method == "POST" and form.is_valid():
        services.group_notes_update(
            group=group, notes=form.cleaned_data["notes"], actor=request.user
        )
        messages.success(request, _("Notes saved."))
        return redirect("competence:group", request.program.slug, group.pk)
    return render(
        request,
        "competence/group_detail.html",
        {
            "group": group,
            "members": group.members.select_related("trainee", "trainee__cohort").order_by(
                "trainee__last_name"
            ),
            "tasks": group.tasks.all(),
            "form": form,
            "task_form": TaskForm() if selectors.is_coordinator(request.access) else None,
        },
    )


@requires(MANAGE_COMPETENCE)
def task_create(request: ProgramRequest, pk: int) -> HttpResponse:
    group = selectors.group_for(request.access, pk)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_task_create(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Task added."))
            return redirect("competence:group", request.program.slug, group.pk)
    return render(request, "competence/task_form.html", {"form": form, "group": group})


@require_POST
@requires(VIEW_COMPETENCE)
def task_toggle(request: ProgramRequest, pk: int) -> HttpResponse:
    task = selectors.task_for(request.access, pk)
    services.group_task_toggle(task=task, actor=request.user)
    return redirect("competence:group", request.program.slug, task.group_id)
