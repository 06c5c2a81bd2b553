"""The board: membership applications (public form and decisions), seats, meetings."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    DECIDE_MEMBERSHIP,
    MANAGE_MEMBERS,
    ProgramRequest,
    public,
    requires,
)
from traineenett.core.ratelimit import over_limit
from traineenett.finance import selectors, services
from traineenett.finance.forms import (
    AttachmentForm,
    BoardSeatForm,
    DecisionForm,
    MeetingForm,
    MembershipApplicationForm,
    SeatEndForm,
)
from traineenett.finance.models import ApplicationStatus

APPLICATION_LIMIT = 10  # public applications per address and hour


@public
def application_form(request: ProgramRequest) -> HttpResponse:
    """The public membership application of a programme (no log-in)."""
    program = request.program
    form = MembershipApplicationForm(
        request.POST or None, fee_tiers=selectors.fee_tiers_of_program(program)
    )
    known = None
    if request.method == "POST" and over_limit(
        request, "membership-application", limit=APPLICATION_LIMIT, window_seconds=3600
    ):
        form.is_valid()  # show the typed values back with the limit as the form's error
        form.add_error(None, _("Too many applications from your address. Try again in an hour."))
    elif request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.application_submit(program=program, data=data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            return redirect("finance:application_received", program.slug)
    if form.is_bound:
        known = selectors.organisation_by_number(form.data.get("organisation_number", ""))
    return render(
        request,
        "finance/application_form.html",
        {"form": form, "public_program": program, "known": known},
    )


@public
def application_lookup(request: ProgramRequest) -> HttpResponse:
    """htmx: the name of a known organisation for an organisation number, or nothing."""
    known = selectors.organisation_by_number(request.GET.get("organisation_number", ""))
    return render(request, "finance/_application_known.html", {"known": known})


@public
def application_received(request: ProgramRequest) -> HttpResponse:
    return render(request, "finance/application_received.html", {"public_program": request.program})


@requires(DECIDE_MEMBERSHIP)
def application_list(request: ProgramRequest) -> HttpResponse:
    status = request.GET.get("status", ApplicationStatus.PENDING)
    status = status if status in ApplicationStatus.values else ""
    return render(
        request,
        "finance/application_list.html",
        {
            "applications": selectors.applications_of_program(request.program, status),
            "status": status,
            "statuses": ApplicationStatus.choices,
        },
    )


@requires(DECIDE_MEMBERSHIP)
def application_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    application = selectors.application_of_program(program, pk)
    form = DecisionForm(
        request.POST or None,
        initial={"fee_tier": application.fee_tier, "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_decide(
                application=application,
                approve=data["decision"] == "approve",
                note=data["note"],
                starts_on=data["starts_on"],
                fee_tier=data["fee_tier"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The board's decision is recorded."))
            return redirect("finance:application_detail", program.slug, application.pk)
    return render(
        request, "finance/application_detail.html", {"application": application, "form": form}
    )


@requires(DECIDE_MEMBERSHIP)
def board(request: ProgramRequest) -> HttpResponse:
    program = request.program
    current, earlier = selectors.board_seats(program, timezone.localdate())
    return render(
        request,
        "finance/board.html",
        {
            "current": current,
            "earlier": earlier,
            "meetings": selectors.meetings_of_program(program),
            "pending": selectors.applications_of_program(
                program, ApplicationStatus.PENDING
            ).count(),
        },
    )


@requires(MANAGE_MEMBERS)
def seat_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    form = BoardSeatForm(
        request.POST or None, program=program, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.board_seat_create(program=program, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Board seat added."))
            return redirect("finance:board", program.slug)
    return render(
        request, "finance/seat_form.html", {"form": form, "page_title": _("Add board seat")}
    )


@requires(MANAGE_MEMBERS)
def seat_end(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    seat = selectors.board_seat_of_program(program, pk)
    form = SeatEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.board_seat_end(
                seat=seat, ends_on=form.cleaned_data["ends_on"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The term ends on the date given."))
            return redirect("finance:board", program.slug)
    return render(
        request,
        "finance/seat_end.html",
        {"form": form, "seat": seat, "page_title": _("End term")},
    )


@requires(DECIDE_MEMBERSHIP)
def meeting_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                program=program, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Meeting recorded."))
            return redirect("finance:meeting_detail", program.slug, meeting.pk)
    return render(
        request, "finance/meeting_form.html", {"form": form, "page_title": _("Record a meeting")}
    )


@requires(DECIDE_MEMBERSHIP)
def meeting_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    meeting = selectors.meeting_of_program(program, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                meeting=meeting,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Attachment added."))
            return redirect("finance:meeting_detail", program.slug, meeting.pk)
    return render(request, "finance/meeting_detail.html", {"meeting": meeting, "form": form})


@requires(DECIDE_MEMBERSHIP)
def attachment_download(request: ProgramRequest, pk: int) -> HttpResponse:
    """Serve a meeting attachment to the board only (uploads are never public; at most
    10 MB, so it is read whole)."""
    attachment = selectors.attachment_of_program(request.program, pk)
    try:
        with attachment.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404 from None
    name = PurePath(attachment.file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name) or ""
    response["X-Content-Type-Options"] = "nosniff"
    return response
