"""Writes for the alumni survey: settings, waves, invitations, reminders, answers, opt-outs.

Links: the token in an alumnus's link is an HMAC (under the secret key) of a random salt
kept with the invitation; only the SHA-256 of the token is stored and looked up. A leaked
database therefore opens no survey, and a reminder can repeat the very link of the
invitation. E-mails go out after the transaction commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Municipality, Program
from traineenett.core.tokens import hash_token
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.followup.models import Alumnus, ObservationSource
from traineenett.followup.services import alumni_sync, employment_record, residence_record
from traineenett.members.selectors import memberships_of_program
from traineenett.surveys.models import Answer, Invitation, OptOut, SurveySettings, Wave
from traineenett.surveys.schedule import reminders_passed, wave_dates

LinkBuilder = Callable[[str], str]


def default_link_builder(path: str) -> str:
    """Absolute links for e-mails sent outside a request (cron): ``settings.SITE_URL``."""
    return settings.SITE_URL.rstrip("/") + path


# ---------------------------------------------------------------------------- settings


def survey_settings_of(program: Program) -> SurveySettings:
    """The programme's survey settings, created with the defaults on first use."""
    survey_settings, _created = SurveySettings.objects.get_or_create(program=program)
    return survey_settings


@transaction.atomic
def survey_settings_update(
    *, program: Program, data: dict[str, Any], actor: Any = None
) -> SurveySettings:
    """Change how the programme runs its survey. Waves already created keep their dates."""
    survey_settings = survey_settings_of(program)
    changes = changed_fields(survey_settings, data)
    survey_settings.full_clean()
    survey_settings.save()
    if changes:
        audit(
            action="surveys.settings.updated",
            obj=survey_settings,
            actor=actor,
            program=program,
            changes=changes,
        )
    return survey_settings


# ------------------------------------------------------------------------------- waves


@transaction.atomic
def waves_sync(program: Program, *, actor: Any = None) -> int:
    """Create the missing waves of every cohort of the programme (one per horizon).

    Idempotent: a wave that exists keeps its dates, also when the settings change later.
    Runs in a fixed number of queries. Returns the number of waves created."""
    survey_settings = survey_settings_of(program)
    existing = set(Wave.objects.filter(program=program).values_list("cohort_id", "horizon_years"))
    new_waves = [
        Wave(
            program=program,
            cohort_id=cohort_id,
            horizon_years=dates.horizon_years,
            opens_on=dates.opens_on,
            closes_on=dates.closes_on,
        )
        for cohort_id, ends_on in Cohort.objects.filter(program=program).values_list(
            "pk", "ends_on"
        )
        for dates in wave_dates(
            ends_on, survey_settings.horizon_years, survey_settings.wave_open_days
        )
        if (cohort_id, dates.horizon_years) not in existing
    ]
    Wave.objects.bulk_create(new_waves, ignore_conflicts=True)
    if new_waves:
        audit(
            action="surveys.waves.created",
            obj=None,
            actor=actor,
            program=program,
            changes={"created": len(new_waves)},
        )
    return len(new_waves)


def wave_is_open(wave: Wave, today: date) -> bool:
    return wave.opens_on <= today <= wave.closes_on


# ------------------------------------------------------------------------- invitations


def _token_from_salt(salt: str) -> str:
    return salted_hmac("traineenett.surveys.link", salt, algorithm="sha256").hexdigest()


def invitation_token(invitation: Invitation) -> str:
    """The token of the invitation's link (re-derived; the database holds only its hash).

    When the secret key has changed since the invitation, the old link cannot be derived
    again: a new salt is drawn, the new hash stored, and the new link is what is sent."""
    token = _token_from_salt(invitation.link_salt)
    if hash_token(token) != invitation.token_hash:
        invitation.link_salt = secrets.token_hex(16)
        token = _token_from_salt(invitation.link_salt)
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["link_salt", "token_hash"])
    return token


def survey_link(invitation: Invitation, link_builder: LinkBuilder | None = None) -> str:
    path = reverse("survey_answer", kwargs={"token": invitation_token(invitation)})
    return (link_builder or default_link_builder)(path)


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


@dataclass(frozen=True)
class Outgoing:
    """One e-mail to send after commit."""

    to: str
    subject: str
    body: str


def _send_after_commit(outgoing: list[Outgoing]) -> None:
    if not outgoing:
        return

    def send() -> None:
        messages = [
            mail.EmailMessage(item.subject, item.body, None, [item.to]) for item in outgoing
        ]
        with mail.get_connection() as connection:
            connection.send_messages(messages)

    transaction.on_commit(send)


def _email(invitation: Invitation, link: str, *, reminder: bool) -> Outgoing:
    # Alumni have no account and no language setting: they are written to in the
    # installation's language (Bokmål).
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "program": invitation.program,
            "wave": invitation.wave,
            "link": link,
            "opt_out_link": link + "opt-out/",
        }
        if reminder:
            subject = _("Reminder: how are you doing after %(program)s?")
        else:
            subject = _("How are you doing after %(program)s?")
        subject %= {"program": invitation.program.name}
        template = "surveys/email/reminder.txt" if reminder else "surveys/email/invitation.txt"
        return Outgoing(invitation.email, subject, render_to_string(template, context))


def _alumni_to_invite(wave: Wave) -> list[Alumnus]:
    return list(
        Alumnus.objects.filter(program=wave.program, cohort=wave.cohort)
        .exclude(email="")
        .exclude(survey_opt_out__isnull=False)
        .exclude(survey_invitations__wave=wave)
        .select_related("program")
        .order_by("pk")
    )


@transaction.atomic
def wave_invite(
    *,
    wave: Wave,
    now: datetime | None = None,
    link_builder: LinkBuilder | None = None,
    deliver: bool = True,
    actor: Any = None,
) -> int:
    """Give every alumnus of the wave's cohort who has an e-mail address, has not opted out
    and has no link for this wave yet a personal link, and e-mail it.

    The wave must be open. ``deliver=False`` issues the links without e-mailing them (the
    demo). Returns the number of invitations created."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not wave_is_open(wave, today):
        raise ValidationError(
            _("The wave is open from %(opens)s to %(closes)s; invitations go out only then.")
            % {
                "opens": wave.opens_on.strftime("%d.%m.%Y"),
                "closes": wave.closes_on.strftime("%d.%m.%Y"),
            }
        )
    alumni_sync(wave.program, today=today)
    survey_settings = survey_settings_of(wave.program)
    expires_at = min(
        now + timedelta(days=survey_settings.link_valid_days), _end_of_day(wave.closes_on)
    )
    invitations = []
    for alumnus in _alumni_to_invite(wave):
        salt = secrets.token_hex(16)
        invitations.append(
            Invitation(
                program=wave.program,
                wave=wave,
                alumnus=alumnus,
                email=alumnus.email,
                link_salt=salt,
                token_hash=hash_token(_token_from_salt(salt)),
                invited_at=now,
                expires_at=expires_at,
            )
        )
    Invitation.objects.bulk_create(invitations)
    if deliver:
        _send_after_commit(
            [
                _email(invitation, survey_link(invitation, link_builder), reminder=False)
                for invitation in invitations
            ]
        )
    if invitations:
        audit(
            action="surveys.wave.invited",
            obj=wave,
            actor=actor,
            program=wave.program,
            changes={"invited": len(invitations)},
        )
    return len(invitations)


def _awaiting_answer(wave: Wave, now: datetime) -> Iterable[Invitation]:
    """Invitations of the wave with a live link, no answer and no opt-out."""
    return (
        Invitation.objects.filter(wave=wave, answered_at__isnull=True, expires_at__gt=now)
        .exclude(alumnus__survey_opt_out__isnull=False)
        .select_related("program", "wave")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


@transaction.atomic
def wave_remind(
    *,
    wave: Wave,
    now: datetime | None = None,
    link_builder: LinkBuilder | None = None,
    due_only: bool = True,
    actor: Any = None,
) -> int:
    """E-mail a reminder to those invited to the wave who have not answered or opted out.

    ``due_only``: only those whose next reminder day (the programme's reminder schedule,
    days after the invitation) has come — what the daily cron does. Otherwise (the
    coordinator's button) everyone still awaited. Returns the number of reminders sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not wave_is_open(wave, today):
        raise ValidationError(_("The wave is not open; no reminders can be sent."))
    schedule = survey_settings_of(wave.program).reminder_schedule
    outgoing = []
    for invitation in _awaiting_answer(wave, now):
        passed = reminders_passed(
            invited_on=timezone.localdate(invitation.invited_at), schedule=schedule, today=today
        )
        if due_only and passed <= invitation.reminders_sent:
            continue
        invitation.reminders_sent = max(passed, invitation.reminders_sent + 1)
        invitation.last_reminded_at = now
        invitation.save(update_fields=["reminders_sent", "last_reminded_at"])
        outgoing.append(_email(invitation, survey_link(invitation, link_builder), reminder=True))
    _send_after_commit(outgoing)
    if outgoing:
        audit(
            action="surveys.wave.reminded",
            obj=wave,
            actor=actor,
            program=wave.program,
            changes={"reminded": len(outgoing)},
        )
    return len(outgoing)


@dataclass(frozen=True)
class SendResult:
    waves_created: int
    invited: int
    reminded: int


def surveys_send(
    *, now: datetime | None = None, link_builder: LinkBuilder | None = None
) -> SendResult:
    """The daily job: create missing waves, invite to every open wave, send due reminders."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    created = invited = reminded = 0
    for program in Program.objects.order_by("slug"):
        created += waves_sync(program)
        for wave in Wave.objects.filter(
            program=program, opens_on__lte=today, closes_on__gte=today
        ).select_related("program", "cohort"):
            invited += wave_invite(wave=wave, now=now, link_builder=link_builder)
            reminded += wave_remind(wave=wave, now=now, link_builder=link_builder)
    return SendResult(created, invited, reminded)


# ---------------------------------------------------------------------- the answer page


class LinkState:
    OPEN = "open"
    ANSWERED = "answered"
    OPTED_OUT = "opted_out"


def invitation_by_token(token: str, *, now: datetime | None = None) -> Invitation | None:
    """The invitation a link belongs to while the link is live, else None (a wrong token,
    an expired link, or any link of a closed wave)."""
    now = now or timezone.now()
    if not token or len(token) > 128:
        return None
    invitation = (
        Invitation.objects.select_related("program", "wave", "wave__cohort", "alumnus")
        .filter(token_hash=hash_token(token), expires_at__gt=now)
        .first()
    )
    if invitation is None or timezone.localdate(now) > invitation.wave.closes_on:
        return None
    return invitation


def alumnus_opted_out(invitation: Invitation) -> bool:
    return OptOut.objects.filter(alumnus_id=invitation.alumnus_id).exists()


def link_state(invitation: Invitation) -> str:
    if invitation.answered_at is not None:
        return LinkState.ANSWERED
    if alumnus_opted_out(invitation):
        return LinkState.OPTED_OUT
    return LinkState.OPEN


def municipality_from_input(text: str) -> Municipality:
    """A current municipality from the picker's text: "3403", "3403 Hamar" or "Hamar".

    Raises ValidationError on the field ``municipality`` for anything else."""
    text = " ".join((text or "").split())
    number, _space, rest = text.partition(" ")
    found: Municipality | None = None
    if len(number) == 4 and number.isdigit():
        found = Municipality.objects.filter(number=number).first()
        if found is not None and rest and rest.casefold() != found.name.casefold():
            found = None
    elif text:
        matches = list(Municipality.objects.filter(name__iexact=text)[:2])
        found = matches[0] if len(matches) == 1 else None
    if found is None:
        raise ValidationError(
            {
                "municipality": _(
                    "“%(text)s” is not a current Norwegian municipality. Choose one from the "
                    "list, by name or by its 4-digit number."
                )
                % {"text": text}
                if text
                else _("Choose the municipality you live in.")
            }
        )
    return found


def _employer_is_member(program: Program, organisation_number: str, today: date) -> bool | None:
    if not organisation_number:
        return None
    return (
        memberships_of_program(program, today=today)
        .filter(organisation__organisation_number=organisation_number)
        .exists()
    )


@transaction.atomic
def survey_answer_submit(
    *,
    invitation: Invitation,
    municipality: str,
    employer_name: str = "",
    organisation_number: str = "",
    relevant_to_education: bool | None = None,
    programme_mattered: int | None = None,
    email: str = "",
    now: datetime | None = None,
) -> Answer:
    """Store an alumnus's answer to a wave and record what it tells the follow-up: a
    residence observation and, when an employer is given, an employment observation
    (source "survey"). All or nothing; errors are keyed by the form's field names."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("program", "wave", "alumnus")
        .get(pk=invitation.pk)
    )
    if invitation.answered_at is not None:
        raise ValidationError(_("This wave has already been answered with this link."))
    if invitation.expires_at <= now or today > invitation.wave.closes_on:
        raise ValidationError(_("This link has expired."))
    if alumnus_opted_out(invitation):
        raise ValidationError(_("You have opted out of the survey."))
    errors: dict[str, list[str]] = {}
    municipality_found: Municipality | None = None
    try:
        municipality_found = municipality_from_input(municipality)
    except ValidationError as error:
        errors.update(error.message_dict)
    employer_name = (employer_name or "").strip()
    organisation_number = normalise_organisation_number(organisation_number)
    if organisation_number:
        try:
            validate_organisation_number(organisation_number)
        except ValidationError as error:
            errors["organisation_number"] = error.messages
        if not employer_name:
            errors["employer_name"] = [_("Give the employer's name with its organisation number.")]
    if programme_mattered is not None and not 1 <= programme_mattered <= 5:
        errors["programme_mattered"] = [_("Choose a value from 1 to 5.")]
    if errors:
        raise ValidationError(errors)
    assert municipality_found is not None
    alumnus = invitation.alumnus
    residence_record(
        alumnus,
        observed_on=today,
        municipality_number=municipality_found.number,
        source=ObservationSource.SURVEY,
    )
    is_member = _employer_is_member(invitation.program, organisation_number, today)
    if employer_name:
        employment_record(
            alumnus,
            observed_on=today,
            employer_name=employer_name,
            organisation_number=organisation_number,
            employer_is_member=is_member,
            relevant_to_education=relevant_to_education,
            source=ObservationSource.SURVEY,
        )
    answer = Answer(
        program=invitation.program,
        wave=invitation.wave,
        invitation=invitation,
        panel_id=alumnus.panel_id,
        answered_on=today,
        municipality_number=municipality_found.number,
        employer_name=employer_name,
        organisation_number=organisation_number,
        employer_is_member=is_member if employer_name else None,
        relevant_to_education=relevant_to_education,
        programme_mattered=programme_mattered,
    )
    answer.full_clean(exclude=["invitation"])
    answer.save()
    invitation.answered_at = now
    invitation.save(update_fields=["answered_at"])
    email = (email or "").strip().lower()
    email_changed = bool(email) and email != alumnus.email.lower()
    if email_changed:
        alumnus.email = email
        alumnus.save(update_fields=["email"])
    audit(
        action="surveys.answer.submitted",
        obj=answer,
        program=invitation.program,
        changes={"wave": invitation.wave_id, "email_updated": email_changed},
    )
    return answer


@transaction.atomic
def survey_opt_out(*, invitation: Invitation) -> OptOut:
    """The alumnus asks never to be invited again (idempotent)."""
    opt_out, created = OptOut.objects.get_or_create(
        alumnus_id=invitation.alumnus_id, defaults={"program": invitation.program}
    )
    if created:
        audit(
            action="surveys.alumnus.opted_out",
            obj=opt_out,
            program=invitation.program,
            changes={"wave": invitation.wave_id},
        )
    return opt_out
