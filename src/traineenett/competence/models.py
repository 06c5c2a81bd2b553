"""The competence programme: modules, sessions, attendance, reflections and groups."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.competence import rules
from traineenett.core.models import Program

DEFAULT_MODULES = (
    ("communication", _("Communication")),
    ("leadership", _("Leadership")),
    ("change", _("Change work")),
)


class CompetenceSettings(models.Model):
    """Per-programme rules of the competence programme (created on demand with defaults).

    The days required are the programme's own setting (``competence_days_required``)."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="competence_settings"
    )
    credit_present = models.DecimalField(
        _("days credited per session day when present"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    credit_late = models.DecimalField(
        _("days credited per session day when late"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    credit_excused = models.DecimalField(
        _("days credited per session day when excused"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    credit_absent = models.DecimalField(
        _("days credited per session day when absent"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("check-in counts as late after (minutes)"), default=15
    )
    absence_warning_percent = models.PositiveSmallIntegerField(
        _("warn at this share of days missed (%)"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    consecutive_absence_limit = models.PositiveSmallIntegerField(
        _("warn after this many missed sessions in a row (0: never)"), default=2
    )
    checkin_code_seconds = models.PositiveSmallIntegerField(
        _("check-in code changes every (seconds)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(3600)],
    )
    checkin_grace_minutes = models.PositiveSmallIntegerField(
        _("check-in open before and after the session (minutes)"),
        default=30,
        validators=[MaxValueValidator(240)],
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("remind about reflections this many days before the deadline"), default=2
    )

    class Meta:
        verbose_name = _("competence programme settings")
        verbose_name_plural = _("competence programme settings")

    def __str__(self) -> str:
        return str(self.program)

    def credit_rules(self) -> rules.CreditRules:
        return rules.CreditRules(
            present=self.credit_present,
            late=self.credit_late,
            excused=self.credit_excused,
            absent=self.credit_absent,
        )

    def warning_rules(self) -> rules.WarningRules:
        return rules.WarningRules(
            absence_share=Decimal(self.absence_warning_percent) / 100,
            consecutive_limit=self.consecutive_absence_limit,
        )


class Module(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="modules")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="unique_module_name")
        ]

    def __str__(self) -> str:
        return self.name


class Session(models.Model):
    """A gathering (samling) of one or several cohorts, over one or several days."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    module = models.ForeignKey(
        Module, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200)
    cohorts = models.ManyToManyField(Cohort, related_name="sessions", verbose_name=_("cohorts"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    description = models.TextField(_("description"), blank=True)
    # The first day's start and the last day's end, kept by the service for ordering.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1, default=Decimal("1"))

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class SessionDay(models.Model):
    """One day of a session; a day of at most HALF_DAY_HOURS counts as half a day."""

    HALF_DAY_HOURS = 4.5

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="session_days")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    value = models.DecimalField(_("days"), max_digits=2, decimal_places=1, default=Decimal("1"))

    class Meta:
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_day_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.starts_at:%Y-%m-%d}"

    @property
    def is_half(self) -> bool:
        return self.value < 1


class Material(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="competence/materials/%Y/", blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = rules.PRESENT, _("Present")
    LATE = rules.LATE, _("Late")
    EXCUSED = rules.EXCUSED, _("Excused")
    ABSENT = rules.ABSENT, _("Absent")


class AttendanceSource(models.TextChoices):
    CHECK_IN = "check_in", _("Self check-in")
    APOLOGY = "apology", _("Apology in advance")
    REGISTERED = "registered", _("Registered by facilitator or coordinator")


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    source = models.CharField(max_length=12, choices=AttendanceSource.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="one_attendance_per_session_and_trainee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.session}: {self.status}"


class AbsenceWarningSent(models.Model):
    """A warning e-mailed to a trainee and the coordinator(s), so it goes out only once."""

    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="absence_warnings")
    kind = models.CharField(max_length=20)
    reference = models.CharField(max_length=50)
    missed_days = models.DecimalField(max_digits=5, decimal_places=1)
    held_days = models.DecimalField(max_digits=5, decimal_places=1)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("absence warning")
        verbose_name_plural = _("absence warnings")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "kind", "reference"], name="one_absence_warning_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee}: {self.kind}"


class CalendarFeed(models.Model):
    """A secret calendar address for one trainee or one cohort (regenerable)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    trainee = models.OneToOneField(
        Trainee, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    cohort = models.OneToOneField(
        Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(trainee__isnull=True, cohort__isnull=False)
                | Q(trainee__isnull=False, cohort__isnull=True),
                name="calendar_feed_for_trainee_or_cohort",
            )
        ]

    def __str__(self) -> str:
        return str(self.trainee or self.cohort)


class Assignment(models.Model):
    """A reflection assignment tied to a session: how does the theory apply at work?"""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(_("title"), max_length=200)
    prompt = models.TextField(_("what to reflect on"))
    due_at = models.DateTimeField(_("deadline"))

    class Meta:
        verbose_name = _("reflection assignment")
        verbose_name_plural = _("reflection assignments")
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Reflection(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reflections")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="reflections")
    placement = models.ForeignKey(
        Placement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placement"),
    )
    text = models.TextField(_("reflection"))
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    comment = models.TextField(_("comment"), blank=True)
    commented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee"], name="one_reflection_per_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.assignment}"


class ReflectionReminder(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "trainee"], name="one_reflection_reminder_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.assignment}"


class GroupRound(models.Model):
    """One division of one or several cohorts into cross-disciplinary groups."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="group_rounds")
    name = models.CharField(_("name"), max_length=200)
    cohorts = models.ManyToManyField(Cohort, related_name="+", verbose_name=_("cohorts"))
    group_size = models.PositiveSmallIntegerField(
        _("group size"), validators=[MinValueValidator(2)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    score = models.IntegerField(default=0)
    repeated_pairs = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("group round")
        verbose_name_plural = _("group rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    round = models.ForeignKey(GroupRound, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("number"))
    notes = models.TextField(_("shared notes"), blank=True)
    notes_updated_at = models.DateTimeField(null=True, blank=True)
    notes_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="unique_group_number")
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.number}"


class GroupMember(models.Model):
    round = models.ForeignKey(GroupRound, on_delete=models.CASCADE, related_name="members")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="group_members")
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        constraints = [
            models.UniqueConstraint(fields=["round", "trainee"], name="one_group_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.trainee} in {self.group}"


class GroupTask(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group task")
        verbose_name_plural = _("group tasks")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title
