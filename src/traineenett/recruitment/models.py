"""Recruitment: competence needs, positions, applications, review, interviews, offers."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Trainee
from traineenett.core.models import Municipality, Program
from traineenett.members.models import Organisation

DEFAULT_RETENTION_DAYS = 365


class RecruitmentSettings(models.Model):
    """Per-programme recruitment settings, created on demand with defaults."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="recruitment_settings"
    )
    retention_days = models.PositiveIntegerField(
        _("retention period for unsuccessful applications (days)"),
        default=DEFAULT_RETENTION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    rejection_template = models.TextField(
        _("rejection e-mail"),
        blank=True,
        help_text=_("{name} is replaced by the applicant's name and {reason} by the reason."),
    )

    class Meta:
        verbose_name = _("recruitment settings")
        verbose_name_plural = _("recruitment settings")

    def __str__(self) -> str:
        return str(self.program)


class StageOutcome(models.TextChoices):
    OPEN = "", _("In progress")
    OFFER = "offer", _("Offer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REJECTED = "rejected", _("Rejected")


class Stage(models.Model):
    """A pipeline stage of a programme. ``key`` names the stages the code relies on."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(max_length=50)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"))
    outcome = models.CharField(max_length=10, choices=StageOutcome.choices, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "key"], name="unique_stage_key"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.outcome in {
            StageOutcome.ACCEPTED,
            StageOutcome.DECLINED,
            StageOutcome.REJECTED,
        }


class Criterion(models.Model):
    """A scorecard criterion of a programme (rated 1–5)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    """The recruitment round of one cohort, opened with a competence-needs round."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="rounds")
    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, related_name="round", verbose_name=_("cohort")
    )
    needs_deadline = models.DateField(_("deadline for competence needs"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recruitment round")
        verbose_name_plural = _("recruitment rounds")
        ordering = ["-cohort__starts_on"]

    def __str__(self) -> str:
        return str(self.cohort)


class CompetenceNeed(models.Model):
    """A host organisation's needs for the round's cohort."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="needs")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    disciplines = models.JSONField(_("disciplines"), default=list)
    places = models.PositiveSmallIntegerField(
        _("number of trainees"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    period_numbers = models.JSONField(_("periods it can host"), default=list)
    description = models.TextField(_("description"), blank=True)
    place_of_work = models.CharField(_("place of work"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("competence need")
        verbose_name_plural = _("competence needs")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_need_per_host"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.round})"


class Position(models.Model):
    """A trainee position: a track through 1–3 host organisations."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    disciplines = models.JSONField(_("disciplines wanted"), default=list)
    deadline = models.DateField(_("application deadline"))
    published_on = models.DateField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class PositionHost(models.Model):
    """One period of a position's track; no organisation means "decided later"."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="hosts")
    period_number = models.PositiveSmallIntegerField(
        _("period"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )

    class Meta:
        ordering = ["period_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "period_number"], name="one_host_per_position_period"
            ),
        ]

    def __str__(self) -> str:
        return f"P{self.period_number}: {self.organisation or '–'}"


class Source(models.TextChoices):
    WEBSITE = "website", _("The programme's website")
    SOCIAL = "social", _("Social media")
    FAIR = "fair", _("Career fair or campus visit")
    FRIEND = "friend", _("Friends, family or a former trainee")
    JOB_BOARD = "job_board", _("A job board (e.g. Finn, NAV)")
    EMPLOYER = "employer", _("A member organisation")
    OTHER = "other", _("Other")


class Application(models.Model):
    """One person's application to one cohort, ranking positions of interest."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="applications")
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=20)
    home_municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home municipality"),
    )
    relevant_work_months = models.PositiveSmallIntegerField(
        _("months of relevant work after graduation"), default=0
    )
    cover_letter = models.TextField(_("cover letter"), blank=True)
    source = models.CharField(_("how you heard about us"), max_length=20, choices=Source.choices)
    consent_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    stage_entered_at = models.DateTimeField()
    eligible = models.BooleanField(default=False)
    eligibility_reasons = models.JSONField(default=list)
    eligibility_override = models.BooleanField(null=True, blank=True)
    eligibility_note = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "email"], name="one_application_per_person_per_cohort"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_eligible(self) -> bool:
        """The coordinator's override wins over the computed screening."""
        if self.eligibility_override is not None:
            return self.eligibility_override
        return self.eligible


class Choice(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="choices")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="choices")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="unique_choice"),
            models.UniqueConstraint(fields=["application", "rank"], name="unique_choice_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.position}"


class Education(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="educations"
    )
    degree = models.CharField(_("degree"), max_length=150)
    institution = models.CharField(_("institution"), max_length=150)
    field = models.CharField(_("field of study"), max_length=150)
    years = models.DecimalField(
        _("years"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("12"))],
    )
    ects = models.PositiveSmallIntegerField(
        _("ECTS credits"), null=True, blank=True, validators=[MaxValueValidator(720)]
    )
    graduated_on = models.DateField(_("graduation date"))

    class Meta:
        ordering = ["-graduated_on"]

    def __str__(self) -> str:
        return f"{self.degree}, {self.institution}"


class DocumentKind(models.TextChoices):
    CV = "cv", _("CV")
    DIPLOMA = "diploma", _("Diploma")


def document_path(instance: Document, filename: str) -> str:
    # Not under any public URL: documents are only served through an authorising view.
    import secrets

    return f"private/recruitment/{instance.application.cohort_id}/{secrets.token_hex(16)}.pdf"


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class StageChange(models.Model):
    """The history of an application's stages (time in stage, funnel conversion)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.stage}"


class Note(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:50]


class Score(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "reviewer"], name="one_score_per_reviewer"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=1) & models.Q(value__lte=5),
                name="score_between_1_and_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class InterviewRequest(models.Model):
    """A host asks to interview a candidate at the recruitment days."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interview_requests"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="one_request_per_host_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.application}"


class InterviewPlan(models.Model):
    """The recruitment days of a round: rules for the scheduler and the last result."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="interview_plan")
    rooms = models.PositiveSmallIntegerField(
        _("rooms or video links"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=20, validators=[MinValueValidator(5)]
    )
    candidate_break_slots = models.PositiveSmallIntegerField(
        _("free slots between a candidate's interviews"), default=1
    )
    max_per_candidate_per_day = models.PositiveSmallIntegerField(
        _("interviews per candidate and day, at most"), default=4, validators=[MinValueValidator(1)]
    )
    location = models.CharField(_("place or video link"), max_length=300, blank=True, default="")
    last_status = models.CharField(max_length=20, blank=True)
    last_seconds = models.FloatField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recruitment days")
        verbose_name_plural = _("recruitment days")

    def __str__(self) -> str:
        return str(self.round)


class InterviewDay(models.Model):
    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("first slot"))
    ends_at = models.TimeField(_("end of the last slot"))

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date"], name="one_interview_day_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class Unavailability(models.Model):
    """A slot in which a host organisation or a candidate cannot take an interview."""

    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="unavailable")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    slot = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=True, application__isnull=False)
                | models.Q(organisation__isnull=False, application__isnull=True),
                name="unavailability_of_one_party",
            ),
        ]

    def __str__(self) -> str:
        return self.slot


class Interview(models.Model):
    """A request placed in a slot by the scheduler."""

    request = models.OneToOneField(
        InterviewRequest, on_delete=models.CASCADE, related_name="interview"
    )
    slot = models.CharField(max_length=30)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.request} {self.slot}"


class OfferStatus(models.TextChoices):
    MADE = "made", _("Awaiting answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Offer(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="offer")
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="offers", verbose_name=_("position")
    )
    salary = models.DecimalField(_("salary (NOK per year)"), max_digits=10, decimal_places=2)
    starts_on = models.DateField(_("start date"))
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.MADE)
    made_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    trainee = models.ForeignKey(
        Trainee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.application} – {self.position}"
