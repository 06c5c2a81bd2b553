"""Member pages: the list, one member, create, edit, end; a host's own organisation."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.cohorts.selectors import placements_at_organisations
from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_MEMBERS,
    VIEW_MEMBERS,
    VIEW_OWN_ORGANISATION,
    ProgramRequest,
    requires,
)
from traineenett.members import selectors, services
from traineenett.members.forms import MembershipEndForm, MembershipForm, OrganisationForm
from traineenett.members.services import ORGANISATION_FIELDS

STATUSES = ("active", "upcoming", "ended", "all")


@requires(VIEW_MEMBERS)
def member_list(request: ProgramRequest) -> HttpResponse:
    status = request.GET.get("status", "active")
    status = status if status in STATUSES else "active"
    query = request.GET.get("q", "").strip()
    memberships = selectors.memberships_of_program(
        request.program,
        today=timezone.localdate(),
        status=status,
        query=query,
    )
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    template = "members/_member_rows.html" if request.htmx else "members/member_list.html"
    return render(
        request, template, {"page": page, "status": status, "query": query, "statuses": STATUSES}
    )


@requires(VIEW_MEMBERS)
def member_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    membership = selectors.membership_of_program(program, pk)
    placements = placements_at_organisations(program, [membership.organisation_id])
    return render(
        request,
        "members/member_detail.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "placements": placements,
        },
    )


@requires(MANAGE_MEMBERS)
def member_create(request: ProgramRequest) -> HttpResponse:
    program = request.program
    organisation_form = OrganisationForm(request.POST or None, program=program, prefix="org")
    membership_form = MembershipForm(
        request.POST or None, prefix="membership", initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and organisation_form.is_valid() and membership_form.is_valid():
        try:
            membership = services.membership_create(
                program=program,
                organisation_data=organisation_form.cleaned_data,
                actor=request.user,
                **membership_form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(error, organisation_form, membership_form)
        else:
            messages.success(
                request, _("%(name)s is now a member.") % {"name": membership.organisation.name}
            )
            return redirect("members:detail", program.slug, membership.pk)
    return render(
        request,
        "members/member_form.html",
        {
            "organisation_form": organisation_form,
            "membership_form": membership_form,
            "creating": True,
        },
    )


@requires(MANAGE_MEMBERS)
def member_edit(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    membership = selectors.membership_of_program(program, pk)
    organisation = membership.organisation
    organisation_form = OrganisationForm(
        request.POST or None, program=program, editing=organisation, prefix="org"
    )
    membership_form = MembershipForm(
        request.POST or None,
        prefix="membership",
        initial=model_to_dict(membership, fields=MembershipForm.Meta.fields),
    )
    if request.method == "POST" and organisation_form.is_valid() and membership_form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                organisation_data={
                    k: organisation_form.cleaned_data[k] for k in ORGANISATION_FIELDS
                },
                membership_data=membership_form.cleaned_data,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, organisation_form, membership_form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("members:detail", program.slug, membership.pk)
    return render(
        request,
        "members/member_form.html",
        {
            "organisation_form": organisation_form,
            "membership_form": membership_form,
            "membership": membership,
            "creating": False,
        },
    )


@requires(MANAGE_MEMBERS)
def member_end(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    membership = selectors.membership_of_program(program, pk)
    form = MembershipEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, ends_on=form.cleaned_data["ends_on"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("The membership ends on the date given."))
            return redirect("members:detail", program.slug, membership.pk)
    return render(request, "members/member_end.html", {"form": form, "membership": membership})


@requires(VIEW_OWN_ORGANISATION)
def own_organisation(request: ProgramRequest) -> HttpResponse:
    program = request.program
    access = request.access
    organisations = list(selectors.organisations_of_host(program, access.host_organisation_ids))
    placements = placements_at_organisations(program, [o.pk for o in organisations])
    return render(
        request,
        "members/own_organisation.html",
        {"organisations": organisations, "placements": placements},
    )
