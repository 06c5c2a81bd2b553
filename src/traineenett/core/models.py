"""The tenant (Program), people and their roles, the municipality register, the audit log."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person who can log in. The e-mail address is the user name."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


class County(models.Model):
    number = models.CharField(_("county number"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class Municipality(models.Model):
    """A municipality current after the 2024 reform (the shipped register)."""

    number = models.CharField(_("municipality number"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class MunicipalityChange(models.Model):
    """One row of Statistics Norway's KLASS change table for classification 131."""

    old_code = models.CharField(max_length=4, db_index=True)
    old_name = models.CharField(max_length=100)
    new_code = models.CharField(max_length=4)
    new_name = models.CharField(max_length=100)
    changed_on = models.DateField()

    class Meta:
        verbose_name = _("municipality change")
        verbose_name_plural = _("municipality changes")
        ordering = ["changed_on", "old_code", "new_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_code", "new_code", "changed_on"], name="unique_municipality_change"
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_code} → {self.new_code} ({self.changed_on:%Y-%m-%d})"


class EmploymentModel(models.TextChoices):
    MEMBER_EMPLOYS = "member_employs", _("A member employs the trainee")
    PROGRAM_EMPLOYS = "program_employs", _("The programme employs and bills hosts")
    SHARED = "shared", _("Trainees shared between members")


class Program(models.Model):
    """A regional trainee programme: the tenant every programme-scoped row belongs to."""

    slug = models.SlugField(_("short name (in addresses)"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region_name = models.CharField(_("region"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded"), null=True, blank=True, validators=[MinValueValidator(1900)]
    )
    catchment = models.ManyToManyField(
        Municipality, related_name="programs", blank=True, verbose_name=_("catchment")
    )
    rotation_period_count = models.PositiveSmallIntegerField(
        _("rotation periods"), default=3, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    rotation_period_months = models.PositiveSmallIntegerField(
        _("months per period"), default=8, validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    competence_days_required = models.PositiveSmallIntegerField(
        _("competence days required"), default=20
    )
    min_higher_education_years = models.PositiveSmallIntegerField(
        _("minimum years of higher education"), default=4
    )
    max_years_since_graduation = models.PositiveSmallIntegerField(
        _("maximum years since graduation or of relevant work"), default=2
    )
    employment_model = models.CharField(
        _("employment model"),
        max_length=20,
        choices=EmploymentModel.choices,
        default=EmploymentModel.MEMBER_EMPLOYS,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rotation_period_count__gte=1), name="program_has_periods"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    BOARD = "board", _("Board member")
    HOST = "host", _("Host contact")
    TRAINEE = "trainee", _("Trainee")
    ANALYST = "analyst", _("Analyst")
    FACILITATOR = "facilitator", _("Facilitator")


class Role(models.Model):
    """A user's role in one programme. A host role is tied to one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="host_roles",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "kind"],
                condition=models.Q(organisation__isnull=True),
                name="unique_role_without_organisation",
            ),
            models.UniqueConstraint(
                fields=["user", "program", "kind", "organisation"],
                name="unique_role_with_organisation",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="host", organisation__isnull=False)
                    | (~models.Q(kind="host") & models.Q(organisation__isnull=True))
                ),
                name="host_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_kind_display()} ({self.program.slug})"


class Invitation(models.Model):
    """An e-mailed link that lets a person set a password and take a role."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_kind_display()})"


class AuditEntry(models.Model):
    """One state change: who did what (a dotted action code) to which object."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"
