"""Organisations (companies, public bodies, industry clusters) and their memberships."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from traineenett.core.models import Municipality, Program
from traineenett.core.validators import validate_organisation_number


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("Public body")
    CLUSTER = "cluster", _("Industry cluster")


class Sector(models.TextChoices):
    PRIVATE = "private", _("Private")
    PUBLIC = "public", _("Public")


class Organisation(models.Model):
    """An organisation known to the installation, identified by its organisation number."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=9,
        unique=True,
        validators=[validate_organisation_number],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    parent_cluster = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cluster_members",
        limit_choices_to={"kind": OrganisationKind.CLUSTER},
        verbose_name=_("industry cluster"),
    )
    sector = models.CharField(_("sector"), max_length=10, choices=Sector.choices)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cluster(self) -> bool:
        return self.kind == OrganisationKind.CLUSTER


class Membership(models.Model):
    """An organisation's membership of one programme, from a date and possibly to one."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    starts_on = models.DateField(_("member from"))
    ends_on = models.DateField(_("member until"), null=True, blank=True)
    fee_tier = models.CharField(_("fee tier"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.program.slug})"
