"""Rotation planning: hosts' places, wishes, ratings, conflicts, weights and plans."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Trainee
from traineenett.core.models import Municipality, Program
from traineenett.members.models import Organisation

MAX_WISHES = 3
MAX_RATING = 5


class RotationSettings(models.Model):
    """A programme's weights for the utility formula and its district municipalities.

    Created on demand with the defaults below (see ``selectors.settings_for``).
    """

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="rotation_settings"
    )
    wish_weight = models.PositiveSmallIntegerField(
        _("weight of the trainee's wish"), default=3, validators=[MaxValueValidator(100)]
    )
    rating_weight = models.PositiveSmallIntegerField(
        _("weight of the host's rating"), default=2, validators=[MaxValueValidator(100)]
    )
    fit_weight = models.PositiveSmallIntegerField(
        _("weight of discipline fit"), default=5, validators=[MaxValueValidator(100)]
    )
    travel_weight = models.PositiveSmallIntegerField(
        _("weight of travel (per 10 km)"), default=1, validators=[MaxValueValidator(100)]
    )
    move_penalty = models.PositiveSmallIntegerField(
        _("penalty per moved placement when re-planning"),
        default=30,
        validators=[MaxValueValidator(10_000)],
    )
    district_municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="+",
        verbose_name=_("district municipalities"),
    )

    class Meta:
        verbose_name = _("rotation settings")
        verbose_name_plural = _("rotation settings")

    def __str__(self) -> str:
        return f"{self.program.slug}"


class HostOffer(models.Model):
    """A host's places per period for one cohort, and the disciplines it needs."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by the coordinator")
        IMPORTED = "imported", _("Imported from the competence-needs round")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="host_offers")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="host_offers"
    )
    # Period number (as a string) → places, e.g. {"1": 2, "2": 1, "3": 2}.
    places = models.JSONField(_("places per period"), default=dict)
    disciplines = models.CharField(_("disciplines needed"), max_length=500, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("host's places")
        verbose_name_plural = _("hosts' places")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "organisation"], name="rotation_one_offer_per_host"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.cohort}"

    def places_in(self, number: int) -> int:
        return int(self.places.get(str(number), 0))

    @property
    def discipline_list(self) -> list[str]:
        return [part.strip() for part in self.disciplines.split(",") if part.strip()]


class Wish(models.Model):
    """A trainee's ranked wish for a host (rank 1 is the first choice)."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="rotation_wishes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField(
        _("rank"), validators=[MinValueValidator(1), MaxValueValidator(MAX_WISHES)]
    )

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["trainee", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "rank"], name="rotation_one_wish_per_rank"),
            models.UniqueConstraint(
                fields=["trainee", "organisation"], name="rotation_one_wish_per_host"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} #{self.rank}: {self.organisation}"


class Rating(models.Model):
    """A host's rating of a trainee (1 = poor fit, 5 = excellent fit)."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="rotation_ratings")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(MAX_RATING)]
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "organisation"], name="rotation_one_rating_per_host"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=MAX_RATING),
                name="rotation_rating_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.trainee}: {self.score}"


class ForbiddenPair(models.Model):
    """A trainee who must not be placed at a host (a conflict of interest)."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["trainee__last_name", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "organisation"], name="rotation_one_forbidden_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} ≠ {self.organisation}"


class RotationPlan(models.Model):
    """One computed (and possibly hand-edited) plan for a cohort."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    class SolveState(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Solving")
        DONE = "done", _("Solved")
        FAILED = "failed", _("Failed")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rotation_plans")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="rotation_plans")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    solve_state = models.CharField(
        max_length=10, choices=SolveState.choices, default=SolveState.QUEUED
    )
    instance = models.JSONField(default=dict)
    plan = models.JSONField(null=True, blank=True)
    options = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)
    error = models.TextField(blank=True)
    edited = models.BooleanField(default=False)
    previous_plan = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replans"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.cohort} #{self.pk}"

    @property
    def is_solved(self) -> bool:
        return self.solve_state == self.SolveState.DONE and bool(self.plan)

    @property
    def has_assignment(self) -> bool:
        return self.is_solved and bool((self.plan or {}).get("assignment"))
