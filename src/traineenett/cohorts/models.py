"""Cohorts (kull), their rotation periods, trainees and placements."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from traineenett.core.models import Municipality, Program
from traineenett.members.models import Organisation


class Cohort(models.Model):
    """One year's intake. Every trainee in a cohort earns the same salary."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts")
    label = models.CharField(_("label"), max_length=50)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    common_salary = models.DecimalField(
        _("common salary (NOK per year)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        ordering = ["-starts_on", "label"]
        constraints = [
            models.UniqueConstraint(fields=["program", "label"], name="unique_cohort_label"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="cohort_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Period(models.Model):
    """A rotation period (modul) of a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="unique_period_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"P{self.number}"

    @property
    def label(self) -> str:
        return f"P{self.number}"


class Trainee(models.Model):
    """A trainee of a cohort; optionally linked to the user account they log in with."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="trainees")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="trainees", verbose_name=_("cohort")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee_records",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    discipline = models.CharField(_("discipline"), max_length=100)
    degree = models.CharField(_("degree"), max_length=100, blank=True)
    institution = models.CharField(_("institution"), max_length=150, blank=True)
    higher_education_years = models.DecimalField(
        _("years of higher education"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("15"))],
    )
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home municipality before the programme"),
    )
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employed_trainees",
        verbose_name=_("employer of record"),
    )

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"], name="unique_trainee_email_in_cohort"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Placement(models.Model):
    """A trainee's work at one host organisation in one rotation period."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="placements")
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="placements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="placements", verbose_name=_("host")
    )
    mentor = models.CharField(_("mentor"), max_length=150, blank=True)
    share_percent = models.PositiveSmallIntegerField(
        _("share %"), default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["period__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "organisation"], name="one_placement_per_host_per_trainee"
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gte=1) & Q(share_percent__lte=100),
                name="placement_share_between_1_and_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.organisation} ({self.period})"
