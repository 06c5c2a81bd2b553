"""Follow-up of former trainees: who they are and where they live and work over time.

Numbers are stored exactly as reported; mapping old municipality numbers to today's
happens when the statistics are computed (``followup/settlement.py``).
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Trainee
from traineenett.core.models import Program


def new_panel_id() -> str:
    """A random id that links one person's survey answers across waves (no personal data)."""
    return secrets.token_hex(10)


class Origin(models.TextChoices):
    MOVED = "moved", _("Moved to the region for the programme")
    LOCAL = "local", _("Came from the region")
    UNKNOWN = "", _("Unknown")


class ObservationSource(models.TextChoices):
    SURVEY = "survey", _("Survey")
    IMPORT = "import", _("Import")
    COORDINATOR = "coordinator", _("Coordinator")


class Alumnus(models.Model):
    """One person followed up by one programme after the end of their programme."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="alumni")
    person = models.CharField(
        _("person (pseudonymous id)"),
        max_length=64,
        help_text=_("A pseudonymous id, unique within the programme."),
    )
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="alumni", verbose_name=_("cohort")
    )
    trainee = models.OneToOneField(
        Trainee,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alumnus",
        verbose_name=_("trainee"),
    )
    program_end = models.DateField(_("end of the programme"))
    offered_job = models.BooleanField(
        _("offered a job at the end of the programme"), null=True, blank=True
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    panel_id = models.CharField(max_length=32, unique=True, default=new_panel_id, editable=False)
    origin = models.CharField(
        _("origin"), max_length=8, choices=Origin.choices, default=Origin.UNKNOWN, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alumnus")
        verbose_name_plural = _("alumni")
        ordering = ["-program_end", "person"]
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="unique_alumnus_person"),
        ]

    def __str__(self) -> str:
        return self.person


class ResidenceObservation(models.Model):
    """Where an alumnus lived on a date: a municipality number as reported then."""

    alumnus = models.ForeignKey(Alumnus, on_delete=models.CASCADE, related_name="residences")
    observed_on = models.DateField(_("observed on"))
    municipality_number = models.CharField(_("municipality number"), max_length=4)
    source = models.CharField(_("source"), max_length=12, choices=ObservationSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence observation")
        verbose_name_plural = _("residence observations")
        ordering = ["observed_on", "pk"]
        indexes = [models.Index(fields=["alumnus", "observed_on"], name="followup_residence_date")]

    def __str__(self) -> str:
        return f"{self.alumnus} {self.observed_on:%Y-%m-%d} {self.municipality_number}"


class EmploymentObservation(models.Model):
    """Where an alumnus worked on a date, and whether the job fits the programme's aims."""

    alumnus = models.ForeignKey(Alumnus, on_delete=models.CASCADE, related_name="employments")
    observed_on = models.DateField(_("observed on"))
    employer_name = models.CharField(_("employer"), max_length=200)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    employer_is_member = models.BooleanField(
        _("the employer is a member of the programme"), null=True, blank=True
    )
    relevant_to_education = models.BooleanField(
        _("the job is relevant to the education"), null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=12, choices=ObservationSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("employment observation")
        verbose_name_plural = _("employment observations")
        ordering = ["observed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.alumnus} {self.observed_on:%Y-%m-%d} {self.employer_name}"
