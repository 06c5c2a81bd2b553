"""Writes for organisations and memberships."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Program
from traineenett.core.validators import normalise_organisation_number
from traineenett.members.models import Membership, Organisation

ORGANISATION_FIELDS = (
    "name",
    "organisation_number",
    "kind",
    "parent_cluster",
    "sector",
    "industry",
    "municipality",
    "employees",
)


def _check_no_overlap(membership: Membership) -> None:
    overlapping = Membership.objects.filter(
        program=membership.program, organisation=membership.organisation
    ).exclude(pk=membership.pk)
    if membership.ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=membership.ends_on)
    overlapping = overlapping.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=membership.starts_on))
    if overlapping.exists():
        raise ValidationError(
            {
                "starts_on": _("%(organisation)s is already a member in this time span.")
                % {"organisation": membership.organisation.name}
            }
        )


def _check_parent_cluster(organisation: Organisation) -> None:
    parent = organisation.parent_cluster
    if parent is not None and (not parent.is_cluster or parent.pk == organisation.pk):
        raise ValidationError(
            {"parent_cluster": _("Choose an industry cluster other than the organisation itself.")}
        )
    if parent is not None and organisation.is_cluster:
        raise ValidationError(
            {"parent_cluster": _("An industry cluster cannot belong to another cluster.")}
        )


@transaction.atomic
def membership_create(
    *,
    program: Program,
    organisation_data: dict[str, Any],
    starts_on: date,
    ends_on: date | None = None,
    fee_tier: str = "",
    actor: Any = None,
) -> Membership:
    """Make an organisation a member. A known organisation number reuses that organisation
    (its details are updated from the form); a new one creates it."""
    number = normalise_organisation_number(organisation_data.get("organisation_number", ""))
    organisation = (
        Organisation.objects.select_for_update().filter(organisation_number=number).first()
    )
    if organisation is None:
        organisation = Organisation()
    data = {**organisation_data, "organisation_number": number}
    changed_fields(organisation, {key: data[key] for key in ORGANISATION_FIELDS if key in data})
    organisation.full_clean()
    _check_parent_cluster(organisation)
    organisation.save()
    membership = Membership(
        program=program,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        fee_tier=fee_tier,
    )
    membership.full_clean()
    _check_no_overlap(membership)
    membership.save()
    audit(
        action="members.membership.created",
        obj=membership,
        actor=actor,
        program=program,
        changes={"organisation": organisation.name, "starts_on": starts_on, "fee_tier": fee_tier},
    )
    return membership


@transaction.atomic
def membership_update(
    *,
    membership: Membership,
    organisation_data: dict[str, Any],
    membership_data: dict[str, Any],
    actor: Any = None,
) -> Membership:
    organisation = membership.organisation
    if "organisation_number" in organisation_data:
        organisation_data = {
            **organisation_data,
            "organisation_number": normalise_organisation_number(
                organisation_data["organisation_number"]
            ),
        }
    changes = changed_fields(
        organisation, {k: v for k, v in organisation_data.items() if k in ORGANISATION_FIELDS}
    )
    changes |= changed_fields(membership, membership_data)
    organisation.full_clean()
    _check_parent_cluster(organisation)
    membership.full_clean()
    _check_no_overlap(membership)
    organisation.save()
    membership.save()
    if changes:
        audit(
            action="members.membership.updated",
            obj=membership,
            actor=actor,
            program=membership.program,
            changes=changes,
        )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ends_on: date, actor: Any = None) -> Membership:
    """End a membership on a date (the last day of membership)."""
    if ends_on < membership.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The end date cannot be before the membership started (%(start)s).")
                % {"start": date_format(membership.starts_on, "SHORT_DATE_FORMAT")}
            }
        )
    old = membership.ends_on
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit(
        action="members.membership.ended",
        obj=membership,
        actor=actor,
        program=membership.program,
        changes={"ends_on": [old, ends_on]},
    )
    return membership
