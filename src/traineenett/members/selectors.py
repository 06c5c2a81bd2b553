"""Reads for organisations and memberships, always starting from the programme."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404

from traineenett.core.models import Program
from traineenett.members.models import Membership, Organisation, OrganisationKind


def memberships_of_program(
    program: Program, *, today: date, status: str = "active", query: str = ""
) -> QuerySet[Membership]:
    memberships = Membership.objects.filter(program=program).select_related(
        "organisation", "organisation__municipality", "organisation__parent_cluster"
    )
    active = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    if status == "active":
        memberships = memberships.filter(active)
    elif status == "ended":
        memberships = memberships.filter(ends_on__lt=today)
    elif status == "upcoming":
        memberships = memberships.filter(starts_on__gt=today)
    if query:
        memberships = memberships.filter(
            Q(organisation__name__icontains=query)
            | Q(organisation__organisation_number=query.replace(" ", ""))
        )
    return memberships.order_by("organisation__name", "-starts_on")


def membership_of_program(program: Program, pk: int) -> Membership:
    """The membership with this id in this programme; 404 for another programme's."""
    membership = (
        Membership.objects.filter(program=program, pk=pk)
        .select_related(
            "organisation", "organisation__municipality", "organisation__parent_cluster"
        )
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def member_organisations(program: Program) -> QuerySet[Organisation]:
    """Organisations with any membership of the programme (past, present or future)."""
    return Organisation.objects.filter(memberships__program=program).distinct().order_by("name")


def member_clusters(program: Program) -> QuerySet[Organisation]:
    return member_organisations(program).filter(kind=OrganisationKind.CLUSTER)


def organisations_of_host(
    program: Program, organisation_ids: frozenset[int]
) -> QuerySet[Organisation]:
    return (
        member_organisations(program)
        .filter(pk__in=organisation_ids)
        .select_related("municipality", "parent_cluster")
    )
