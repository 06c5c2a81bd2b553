"""Pages for the landing page, the programme dashboard, people and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from traineenett.core import selectors, services
from traineenett.core.dashboard import panels as dashboard_panels
from traineenett.core.forms import (
    InvitationAcceptForm,
    InvitationForm,
    ProgramSettingsForm,
    add_service_errors,
)
from traineenett.core.permissions import (
    MANAGE_PEOPLE,
    MANAGE_PROGRAM,
    VIEW_AUDIT,
    VIEW_DASHBOARD,
    ProgramRequest,
    requires,
)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request, "core/home.html", {"programs": selectors.programs_for_user(request.user)}
    )


@requires(VIEW_DASHBOARD)
def dashboard(request: ProgramRequest) -> HttpResponse:
    figures = selectors.program_figures(request.program, timezone.localdate())
    return render(
        request, "core/dashboard.html", {"figures": figures, "panels": dashboard_panels(request)}
    )


@requires(MANAGE_PEOPLE)
def people(request: ProgramRequest) -> HttpResponse:
    program = request.program
    return render(
        request,
        "core/people.html",
        {
            "roles": selectors.roles_of_program(program),
            "invitations": selectors.open_invitations(program, timezone.now()),
        },
    )


@requires(MANAGE_PEOPLE)
def invite(request: ProgramRequest) -> HttpResponse:
    program = request.program
    form = InvitationForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                program=program,
                invited_by=request.user,
                accept_url_builder=request.build_absolute_uri,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("core:people", program.slug)
    return render(request, "core/invite.html", {"form": form})


@require_POST
@requires(MANAGE_PEOPLE)
def role_revoke(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    role = selectors.role_of_program(program, pk)
    if role is None:
        raise Http404
    if role.user_id == request.user.pk and role.kind == "coordinator":
        messages.error(request, _("You cannot remove your own coordinator role."))
    else:
        services.role_revoke(role=role, actor=request.user)
        messages.success(request, _("Role removed."))
    return redirect("core:people", program.slug)


@requires(MANAGE_PROGRAM)
def program_settings(request: ProgramRequest) -> HttpResponse:
    program = request.program
    form = ProgramSettingsForm(
        request.POST or None, initial=model_to_dict(program, fields=ProgramSettingsForm.Meta.fields)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=program, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("core:settings", program.slug)
    return render(request, "core/program_settings.html", {"form": form})


@requires(VIEW_AUDIT)
def audit_log(request: ProgramRequest) -> HttpResponse:
    entries = selectors.audit_entries(request.program)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(
        request.POST or None,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation=invitation,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your account is ready. Log in with your e-mail address."))
            return redirect("login")
    return render(request, "core/invitation_accept.html", {"form": form, "invitation": invitation})
