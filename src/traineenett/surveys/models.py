"""Alumni survey waves: settings per programme, waves per cohort, personal invitations,
answers and opt-outs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.surveys.schedule import MAX_HORIZON_YEARS, parse_number_list

MAX_REMINDER_DAYS = 365


def validate_horizons(value: str) -> None:
    try:
        numbers = parse_number_list(value, lowest=0, highest=MAX_HORIZON_YEARS)
    except ValueError as error:
        raise ValidationError(
            _("“%(item)s” is not a number of years between 0 and %(max)s."),
            code="invalid_horizon",
            params={"item": str(error), "max": MAX_HORIZON_YEARS},
        ) from None
    if not numbers:
        raise ValidationError(_("Give at least one horizon."), code="no_horizon")


def validate_reminder_days(value: str) -> None:
    try:
        parse_number_list(value, lowest=1, highest=MAX_REMINDER_DAYS)
    except ValueError as error:
        raise ValidationError(
            _("“%(item)s” is not a number of days between 1 and %(max)s."),
            code="invalid_reminder_day",
            params={"item": str(error), "max": MAX_REMINDER_DAYS},
        ) from None


class SurveySettings(models.Model):
    """How a programme runs its alumni survey; created with the defaults on first use."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="survey_settings"
    )
    horizons = models.CharField(
        _("horizons (years after the end of the programme)"),
        max_length=50,
        default="0,1,2,3",
        validators=[validate_horizons],
        help_text=_("Comma-separated whole years; 0 is the end of the programme."),
    )
    wave_open_days = models.PositiveSmallIntegerField(
        _("days a wave is open"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(364)],
        help_text=_("From its opening day; at most 364 so that a cohort's waves never overlap."),
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("days a personal link is valid"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(364)],
        help_text=_("From the invitation; never beyond the wave's closing day."),
    )
    reminder_days = models.CharField(
        _("reminders (days after the invitation)"),
        max_length=50,
        default="7,21",
        blank=True,
        validators=[validate_reminder_days],
        help_text=_("Comma-separated days; leave empty for no reminders."),
    )

    class Meta:
        verbose_name = _("survey settings")
        verbose_name_plural = _("survey settings")

    def __str__(self) -> str:
        return f"{self.program}"

    @property
    def horizon_years(self) -> list[int]:
        return parse_number_list(self.horizons, lowest=0, highest=MAX_HORIZON_YEARS)

    @property
    def reminder_schedule(self) -> list[int]:
        return parse_number_list(self.reminder_days, lowest=1, highest=MAX_REMINDER_DAYS)


class Wave(models.Model):
    """One round of the survey for one cohort, ``horizon_years`` after its end."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_waves")
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="survey_waves", verbose_name=_("cohort")
    )
    horizon_years = models.PositiveSmallIntegerField(_("years after the end"))
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")
        ordering = ["-opens_on", "cohort__label"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "horizon_years"], name="unique_wave"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="wave_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} +{self.horizon_years}"


class Invitation(models.Model):
    """An alumnus's personal link to one wave. Only the hash of the link's token is stored."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="survey_invitations"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    alumnus = models.ForeignKey(
        "followup.Alumnus", on_delete=models.CASCADE, related_name="survey_invitations"
    )
    email = models.EmailField(_("sent to"))
    # The token is an HMAC of this random salt under the secret key: the database alone
    # (a backup, a leak) cannot produce a working link, yet a reminder can repeat the link.
    link_salt = models.CharField(max_length=64)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_at = models.DateTimeField(_("invited"))
    expires_at = models.DateTimeField(_("link valid until"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "alumnus"], name="one_link_per_alumnus_and_wave"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave} – {self.email}"


class Answer(models.Model):
    """What an alumnus answered in one wave, linked across waves by the panel id."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_answers")
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="answers")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="answer")
    panel_id = models.CharField(_("panel id"), max_length=64, db_index=True)
    answered_on = models.DateField(_("answered"))
    municipality_number = models.CharField(_("municipality number"), max_length=4)
    employer_name = models.CharField(_("employer"), max_length=200, blank=True)
    organisation_number = models.CharField(_("organisation number"), max_length=9, blank=True)
    employer_is_member = models.BooleanField(_("employer is a member"), null=True, blank=True)
    relevant_to_education = models.BooleanField(
        _("job relevant to the education"), null=True, blank=True
    )
    programme_mattered = models.PositiveSmallIntegerField(
        _("how much the programme mattered for staying (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-answered_on", "panel_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(programme_mattered__isnull=True)
                | models.Q(programme_mattered__gte=1, programme_mattered__lte=5),
                name="answer_mattered_between_1_and_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave} – {self.panel_id}"


class OptOut(models.Model):
    """An alumnus who asked never to be invited again."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="survey_opt_outs")
    alumnus = models.OneToOneField(
        "followup.Alumnus", on_delete=models.CASCADE, related_name="survey_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return f"{self.alumnus_id}"
