"""Writes for the competence programme: each runs in a transaction and is audited."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.competence import checkin, groups, rules
from traineenett.competence.models import (
    DEFAULT_MODULES,
    AbsenceWarningSent,
    Assignment,
    Attendance,
    AttendanceSource,
    AttendanceStatus,
    CalendarFeed,
    CompetenceSettings,
    Group,
    GroupMember,
    GroupRound,
    GroupTask,
    Material,
    Module,
    Reflection,
    ReflectionReminder,
    Session,
    SessionDay,
)
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Program, Role, RoleKind

# ---------------------------------------------------------------------------- settings


def competence_settings(program: Program) -> CompetenceSettings:
    """The programme's settings, created with the defaults on first use."""
    found, _created = CompetenceSettings.objects.get_or_create(program=program)
    return found


@transaction.atomic
def settings_update(
    *, program: Program, data: dict[str, Any], actor: Any = None
) -> CompetenceSettings:
    current = competence_settings(program)
    changes = changed_fields(current, data)
    current.full_clean()
    current.save()
    if changes:
        audit(
            action="competence.settings.updated",
            obj=current,
            actor=actor,
            program=program,
            changes=changes,
        )
    return current


# ----------------------------------------------------------------------------- modules


@transaction.atomic
def modules_ensure_defaults(*, program: Program) -> list[Module]:
    """Communication, leadership and change work, if the programme has no modules yet."""
    if not Module.objects.filter(program=program).exists():
        Module.objects.bulk_create(
            Module(program=program, name=str(label), position=index)
            for index, (_key, label) in enumerate(DEFAULT_MODULES, start=1)
        )
    return list(Module.objects.filter(program=program))


def _check_module_name(program: Program, name: str, exclude: int | None) -> None:
    if Module.objects.filter(program=program, name__iexact=name).exclude(pk=exclude or 0).exists():
        raise ValidationError(
            {"name": _("A module called “%(name)s” already exists.") % {"name": name}}
        )


@transaction.atomic
def module_create(
    *, program: Program, name: str, description: str = "", position: int = 0, actor: Any = None
) -> Module:
    name = name.strip()
    _check_module_name(program, name, None)
    module = Module(program=program, name=name, description=description, position=position)
    module.full_clean()
    module.save()
    audit(
        action="competence.module.created",
        obj=module,
        actor=actor,
        program=program,
        changes={"name": name},
    )
    return module


@transaction.atomic
def module_update(*, module: Module, data: dict[str, Any], actor: Any = None) -> Module:
    if "name" in data:
        data = {**data, "name": data["name"].strip()}
        _check_module_name(module.program, data["name"], module.pk)
    changes = changed_fields(module, data)
    module.full_clean()
    module.save()
    if changes:
        audit(
            action="competence.module.updated",
            obj=module,
            actor=actor,
            program=module.program,
            changes=changes,
        )
    return module


# ---------------------------------------------------------------------------- sessions


def day_value(start: datetime, end: datetime) -> Decimal:
    """A day of at most 4.5 hours is half a day."""
    hours = (end - start).total_seconds() / 3600
    return Decimal("0.5") if hours <= SessionDay.HALF_DAY_HOURS else Decimal("1")


def _validate_days(
    *,
    program: Program,
    days: Sequence[tuple[datetime, datetime]],
    cohorts: Iterable[Cohort],
    exclude: int | None,
) -> None:
    errors: dict[str, list[str]] = {}
    if not days:
        raise ValidationError({"date_1": _("A session needs at least one day.")})
    for number, (start, end) in enumerate(days, start=1):
        if end <= start:
            errors.setdefault(f"end_{number}", []).append(
                _("Day %(number)s ends before it starts.") % {"number": number}
            )
    if errors:
        raise ValidationError(errors)
    ordered = sorted(enumerate(days, start=1), key=lambda item: item[1][0])
    for (_a, (_s, first_end)), (number, (second_start, _e)) in itertools.pairwise(ordered):
        if second_start < first_end:
            errors.setdefault(f"date_{number}", []).append(
                _("Day %(number)s overlaps another day of this session.") % {"number": number}
            )
    if errors:
        raise ValidationError(errors)
    cohort_list = list(cohorts)
    for number, (start, end) in enumerate(days, start=1):
        clash = (
            SessionDay.objects.filter(
                session__program=program,
                session__cohorts__in=cohort_list,
                starts_at__lt=end,
                ends_at__gt=start,
            )
            .exclude(session_id=exclude or 0)
            .select_related("session")
            .first()
        )
        if clash is not None:
            shared = ", ".join(
                c.label for c in clash.session.cohorts.filter(pk__in=[c.pk for c in cohort_list])
            )
            errors.setdefault(f"date_{number}", []).append(
                _(
                    "Day %(number)s overlaps the session “%(other)s” (%(when)s) for "
                    "%(cohorts)s. A cohort cannot be in two sessions at once."
                )
                % {
                    "number": number,
                    "other": clash.session.title,
                    "when": date_format(
                        timezone.localtime(clash.starts_at), "SHORT_DATETIME_FORMAT"
                    ),
                    "cohorts": shared,
                }
            )
    if errors:
        raise ValidationError(errors)


def _check_session_fields(program: Program, module: Module, cohorts: Sequence[Cohort]) -> None:
    if module.program_id != program.pk:
        raise ValidationError({"module": _("Choose one of the programme's modules.")})
    if not cohorts:
        raise ValidationError({"cohorts": _("Choose at least one cohort.")})
    if any(c.program_id != program.pk for c in cohorts):
        raise ValidationError({"cohorts": _("Choose the programme's own cohorts.")})


def _write_days(session: Session, days: Sequence[tuple[datetime, datetime]]) -> None:
    session.session_days.all().delete()
    SessionDay.objects.bulk_create(
        SessionDay(session=session, starts_at=start, ends_at=end, value=day_value(start, end))
        for start, end in sorted(days)
    )


@transaction.atomic
def session_create(
    *,
    program: Program,
    module: Module,
    title: str,
    cohorts: Sequence[Cohort],
    days: Sequence[tuple[datetime, datetime]],
    place: str = "",
    facilitator: Any = None,
    description: str = "",
    actor: Any = None,
) -> Session:
    """Plan a session for one or several cohorts. Raises ValidationError naming the field
    (``end_N`` for a day that ends before it starts, ``date_N`` for an overlap)."""
    cohorts = list(cohorts)
    _check_session_fields(program, module, cohorts)
    _validate_days(program=program, days=days, cohorts=cohorts, exclude=None)
    session = Session(
        program=program,
        module=module,
        title=title,
        place=place,
        facilitator=facilitator,
        description=description,
        starts_at=min(start for start, _ in days),
        ends_at=max(end for _, end in days),
        days=sum((day_value(s, e) for s, e in days), Decimal("0")),
    )
    session.full_clean()
    session.save()
    session.cohorts.set(cohorts)
    _write_days(session, days)
    audit(
        action="competence.session.created",
        obj=session,
        actor=actor,
        program=program,
        changes={
            "title": title,
            "cohorts": [c.label for c in cohorts],
            "starts_at": session.starts_at.isoformat(),
            "days": str(session.days),
        },
    )
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    data: dict[str, Any],
    cohorts: Sequence[Cohort],
    days: Sequence[tuple[datetime, datetime]],
    actor: Any = None,
) -> Session:
    program = session.program
    cohorts = list(cohorts)
    _check_session_fields(program, data.get("module", session.module), cohorts)
    _validate_days(program=program, days=days, cohorts=cohorts, exclude=session.pk)
    data = {
        **data,
        "starts_at": min(start for start, _ in days),
        "ends_at": max(end for _, end in days),
        "days": sum((day_value(s, e) for s, e in days), Decimal("0")),
    }
    changes = changed_fields(session, data)
    session.full_clean()
    session.save()
    session.cohorts.set(cohorts)
    _write_days(session, days)
    audit(
        action="competence.session.updated",
        obj=session,
        actor=actor,
        program=program,
        changes=changes,
    )
    return session


def session_delete_blockers(session: Session) -> list[str]:
    """Why a session cannot be deleted (empty: it can). Attendance that counts (present,
    late, absent or registered as excused by the facilitator) and written reflections are
    part of trainees' records; apologies in advance for a cancelled session are not."""
    reasons = []
    recorded = session.attendances.exclude(source=AttendanceSource.APOLOGY).count()
    if recorded:
        reasons.append(
            ngettext(
                "%(count)s attendance record is registered for it.",
                "%(count)s attendance records are registered for it.",
                recorded,
            )
            % {"count": recorded}
        )
    written = Reflection.objects.filter(assignment__session=session).count()
    if written:
        reasons.append(
            ngettext(
                "%(count)s reflection has been written for it.",
                "%(count)s reflections have been written for it.",
                written,
            )
            % {"count": written}
        )
    return reasons


@transaction.atomic
def session_delete(*, session: Session, actor: Any = None) -> None:
    """Delete a session that nobody has attended yet (a cancelled or mistaken one), with
    its days, materials, assignments and apologies. A session with attendance or
    reflections is refused: edit it instead, so no trainee loses credited days."""
    blockers = session_delete_blockers(session)
    if blockers:
        raise ValidationError(
            " ".join([_("The session cannot be deleted."), *blockers, _("Edit it instead.")])
        )
    apologies = session.attendances.count()
    audit(
        action="competence.session.deleted",
        obj=session,
        actor=actor,
        program=session.program,
        changes={
            "title": session.title,
            "starts_at": session.starts_at.isoformat(),
            "cohorts": [c.label for c in session.cohorts.all()],
            "apologies": apologies,
        },
    )
    session.delete()


@transaction.atomic
def material_add(
    *, session: Session, title: str, url: str = "", file: Any = None, actor: Any = None
) -> Material:
    if not url and not file:
        raise ValidationError({"url": _("Give a link or upload a file.")})
    material = Material(session=session, title=title, url=url)
    if file:
        material.file = file
    material.full_clean()
    material.save()
    audit(
        action="competence.material.added",
        obj=material,
        actor=actor,
        program=session.program,
        changes={"session": session.pk, "title": title},
    )
    return material


# -------------------------------------------------------------------------- attendance


def session_trainees(session: Session) -> list[Trainee]:
    return list(
        Trainee.objects.filter(cohort__in=session.cohorts.all()).order_by("last_name", "first_name")
    )


@transaction.atomic
def attendance_register(*, session: Session, statuses: dict[int, str], actor: Any = None) -> int:
    """Set the status of the session's trainees (``{trainee_id: status}``); an empty status
    leaves a trainee unregistered. Returns how many records changed."""
    allowed = {t.pk for t in session_trainees(session)}
    unknown = set(statuses) - allowed
    if unknown:
        raise ValidationError(_("Some trainees are not in this session's cohorts."))
    valid = set(AttendanceStatus.values)
    existing = {a.trainee_id: a for a in session.attendances.all()}
    changed = 0
    for trainee_id, status in statuses.items():
        if not status:
            continue
        if status not in valid:
            raise ValidationError({f"trainee_{trainee_id}": _("Unknown status.")})
        current = existing.get(trainee_id)
        if current is not None and current.status == status:
            continue
        if current is None:
            Attendance.objects.create(
                session=session,
                trainee_id=trainee_id,
                status=status,
                source=AttendanceSource.REGISTERED,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        else:
            current.status = status
            current.source = AttendanceSource.REGISTERED
            current.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
            current.save(update_fields=["status", "source", "recorded_by", "updated_at"])
        changed += 1
    if changed:
        audit(
            action="competence.attendance.registered",
            obj=session,
            actor=actor,
            program=session.program,
            changes={"changed": changed},
        )
    return changed


def session_is_open(session: Session, moment: datetime, grace_minutes: int) -> bool:
    grace = timedelta(minutes=grace_minutes)
    return any(
        day.starts_at - grace <= moment <= day.ends_at + grace for day in session.session_days.all()
    )


def current_code(session: Session, moment: datetime | None = None) -> str:
    rules_ = competence_settings(session.program)
    moment = moment or timezone.now()
    return checkin.code_for(
        settings.SECRET_KEY,
        session.pk,
        checkin.window_of(moment, rules_.checkin_code_seconds),
    )


@transaction.atomic
def check_in(
    *, program: Program, trainee: Trainee, code: str, moment: datetime | None = None
) -> Attendance:
    """Record a trainee's own check-in with a code shown by the facilitator.

    The code must be the current (or previous) code of a session running now; the trainee
    must belong to one of its cohorts and not be checked in already. Nothing changes when
    any of that fails (ValidationError on ``code``)."""
    moment = moment or timezone.now()
    rules_ = competence_settings(program)
    typed = checkin.normalise(code)
    if len(typed) != checkin.LENGTH:
        raise ValidationError(
            {"code": _("The code has %(length)s characters.") % {"length": checkin.LENGTH}}
        )
    grace = timedelta(minutes=rules_.checkin_grace_minutes)
    candidates = (
        Session.objects.filter(
            program=program, starts_at__lte=moment + grace, ends_at__gte=moment - grace
        )
        .prefetch_related("session_days", "cohorts")
        .order_by("starts_at")
    )
    matched = next(
        (
            s
            for s in candidates
            if checkin.code_matches(
                settings.SECRET_KEY, s.pk, typed, moment, rules_.checkin_code_seconds
            )
            and session_is_open(s, moment, rules_.checkin_grace_minutes)
        ),
        None,
    )
    if matched is None:
        raise ValidationError(
            {
                "code": _(
                    "The code is wrong or has expired. Codes change every %(seconds)s seconds "
                    "and only work while the session runs: type the code on the screen now."
                )
                % {"seconds": rules_.checkin_code_seconds}
            }
        )
    if trainee.cohort_id not in {c.pk for c in matched.cohorts.all()}:
        raise ValidationError(
            {"code": _("You are not in a cohort taking part in “%(title)s”.") % {"title": matched}}
        )
    current = (
        Attendance.objects.select_for_update().filter(session=matched, trainee=trainee).first()
    )
    if current is not None and current.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):
        raise ValidationError(
            {"code": _("You are already checked in to “%(title)s”.") % {"title": matched}}
        )
    today = [
        day
        for day in matched.session_days.all()
        if day.starts_at - grace <= moment <= day.ends_at + grace
    ]
    late = bool(today) and moment > today[0].starts_at + timedelta(
        minutes=rules_.late_after_minutes
    )
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    if current is None:
        current = Attendance(session=matched, trainee=trainee)
    current.status = status
    current.source = AttendanceSource.CHECK_IN
    current.checked_in_at = moment
    current.reason = ""
    current.save()
    audit(
        action="competence.attendance.checked_in",
        obj=current,
        actor=trainee.user,
        program=program,
        changes={"session": matched.pk, "status": status},
    )
    return current


@transaction.atomic
def apology_submit(
    *, session: Session, trainee: Trainee, reason: str, moment: datetime | None = None
) -> Attendance:
    """A trainee says in advance they cannot come: excused, with the reason."""
    moment = moment or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly why you cannot come.")})
    if session.starts_at <= moment:
        raise ValidationError(
            {"reason": _("The session has started; ask the coordinator to register you.")}
        )
    if not session.cohorts.filter(pk=trainee.cohort_id).exists():
        raise ValidationError({"reason": _("You are not in a cohort taking part in this session.")})
    attendance, _created = Attendance.objects.update_or_create(
        session=session,
        trainee=trainee,
        defaults={
            "status": AttendanceStatus.EXCUSED,
            "source": AttendanceSource.APOLOGY,
            "reason": reason,
            "checked_in_at": None,
        },
    )
    audit(
        action="competence.attendance.apology",
        obj=attendance,
        actor=trainee.user,
        program=session.program,
        changes={"session": session.pk},
    )
    return attendance


# ------------------------------------------------------------------------ calendar feeds


def _new_token() -> str:
    return secrets.token_urlsafe(24)


def feed_for_trainee(trainee: Trainee) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(trainee=trainee).first()
    return feed or CalendarFeed.objects.create(
        program=trainee.program, trainee=trainee, token=_new_token()
    )


def feed_for_cohort(cohort: Cohort) -> CalendarFeed:
    feed = CalendarFeed.objects.filter(cohort=cohort).first()
    return feed or CalendarFeed.objects.create(
        program=cohort.program, cohort=cohort, token=_new_token()
    )


@transaction.atomic
def feed_regenerate(*, feed: CalendarFeed, actor: Any = None) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed.token = _new_token()
    feed.save(update_fields=["token", "created_at"])
    audit(
        action="competence.calendar_feed.regenerated", obj=feed, actor=actor, program=feed.program
    )
    return feed


# ------------------------------------------------------------------------- reflections


@transaction.atomic
def assignment_create(
    *, session: Session, title: str, prompt: str, due_at: datetime, actor: Any = None
) -> Assignment:
    if due_at <= session.starts_at:
        raise ValidationError({"due_at": _("The deadline must be after the session starts.")})
    assignment = Assignment(session=session, title=title, prompt=prompt, due_at=due_at)
    assignment.full_clean()
    assignment.save()
    audit(
        action="competence.assignment.created",
        obj=assignment,
        actor=actor,
        program=session.program,
        changes={"session": session.pk, "due_at": due_at.isoformat()},
    )
    return assignment


def current_placement(trainee: Trainee, on: date) -> Placement | None:
    """The trainee's placement in the rotation period that contains ``on`` (the latest
    one started, between periods)."""
    placements = Placement.objects.filter(trainee=trainee).select_related("period", "organisation")
    inside = placements.filter(period__starts_on__lte=on, period__ends_on__gte=on).first()
    return (
        inside
        or placements.filter(period__starts_on__lte=on).order_by("-period__starts_on").first()
    )


@transaction.atomic
def reflection_submit(
    *,
    assignment: Assignment,
    trainee: Trainee,
    text: str,
    moment: datetime | None = None,
) -> Reflection:
    """Write (or rewrite) the trainee's reflection; the current placement is linked."""
    moment = moment or timezone.now()
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write your reflection before you submit it.")})
    if not assignment.session.cohorts.filter(pk=trainee.cohort_id).exists():
        raise ValidationError(_("This assignment is not for your cohort."))
    placement = current_placement(trainee, timezone.localdate(moment))
    reflection, created = Reflection.objects.update_or_create(
        assignment=assignment,
        trainee=trainee,
        defaults={"text": text, "submitted_at": moment, "placement": placement},
    )
    audit(
        action="competence.reflection.submitted" if created else "competence.reflection.revised",
        obj=reflection,
        actor=trainee.user,
        program=trainee.program,
        changes={"assignment": assignment.pk, "placement": placement},
    )
    return reflection


@transaction.atomic
def reflection_comment(*, reflection: Reflection, comment: str, actor: Any = None) -> Reflection:
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Write a comment first.")})
    reflection.comment = comment
    reflection.commented_by = actor if getattr(actor, "is_authenticated", False) else None
    reflection.commented_at = timezone.now()
    reflection.save(update_fields=["comment", "commented_by", "commented_at", "updated_at"])
    audit(
        action="competence.reflection.commented",
        obj=reflection,
        actor=actor,
        program=reflection.trainee.program,
    )
    return reflection


# ------------------------------------------------------------- warnings and reminders


def _coordinator_emails(program: Program) -> list[str]:
    return sorted(
        set(
            Role.objects.filter(program=program, kind=RoleKind.COORDINATOR).values_list(
                "user__email", flat=True
            )
        )
    )


def _mail(
    subject: str, template: str, context: dict[str, Any], to: list[str], connection: Any = None
) -> None:
    body = render_to_string(template, context)
    transaction.on_commit(lambda: send_mail(subject, body, None, to, connection=connection))


def absence_warnings_send(
    *, program: Program, moment: datetime | None = None, connection: Any = None
) -> int:
    """E-mail every warning due (to the trainee and the coordinators), each only once.

    ``connection``: an e-mail connection to send through (the demo passes a dummy one)."""
    from traineenett.competence.selectors import records_for_trainees

    moment = moment or timezone.now()
    rules_ = competence_settings(program).warning_rules()
    trainees = list(
        Trainee.objects.filter(
            program=program, cohort__ends_on__gte=timezone.localdate(moment)
        ).select_related("cohort", "program")
    )
    records = records_for_trainees(trainees, moment)
    already = set(
        AbsenceWarningSent.objects.filter(trainee__in=trainees).values_list(
            "trainee_id", "kind", "reference"
        )
    )
    coordinators = _coordinator_emails(program)
    sent = 0
    for trainee in trainees:
        for warning in rules.absence_warnings(records[trainee.pk], rules_):
            if (trainee.pk, warning.kind, warning.reference) in already:
                continue
            with transaction.atomic():
                AbsenceWarningSent.objects.create(
                    trainee=trainee,
                    kind=warning.kind,
                    reference=warning.reference,
                    missed_days=warning.missed_days,
                    held_days=warning.held_days,
                )
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("Absence from the competence programme: %(name)s") % {
                        "name": trainee.full_name
                    }
                    _mail(
                        subject,
                        "competence/email/absence_warning.txt",
                        {
                            "trainee": trainee,
                            "warning": warning,
                            "program": program,
                            "limit": rules_.consecutive_limit,
                            "share": int(rules_.absence_share * 100),
                        },
                        [trainee.email, *coordinators],
                        connection,
                    )
                audit(
                    action="competence.absence_warning.sent",
                    obj=trainee,
                    program=program,
                    changes={"kind": warning.kind, "reference": warning.reference},
                )
            sent += 1
    return sent


def reflection_reminders_send(*, program: Program, moment: datetime | None = None) -> int:
    """Remind trainees of reflections due within the programme's reminder window."""
    moment = moment or timezone.now()
    days = competence_settings(program).reminder_days_before
    assignments = list(
        Assignment.objects.filter(
            session__program=program,
            due_at__gt=moment,
            due_at__lte=moment + timedelta(days=days),
        )
        .select_related("session")
        .prefetch_related("session__cohorts")
    )
    sent = 0
    for assignment in assignments:
        done = set(assignment.reflections.values_list("trainee_id", flat=True))
        reminded = set(
            ReflectionReminder.objects.filter(assignment=assignment).values_list(
                "trainee_id", flat=True
            )
        )
        for trainee in Trainee.objects.filter(cohort__in=assignment.session.cohorts.all()):
            if trainee.pk in done or trainee.pk in reminded:
                continue
            with transaction.atomic():
                ReflectionReminder.objects.create(assignment=assignment, trainee=trainee)
                with translation.override(settings.LANGUAGE_CODE):
                    subject = _("Reminder: reflection “%(title)s” is due %(when)s") % {
                        "title": assignment.title,
                        "when": date_format(
                            timezone.localtime(assignment.due_at), "SHORT_DATETIME_FORMAT"
                        ),
                    }
                    _mail(
                        subject,
                        "competence/email/reflection_reminder.txt",
                        {"trainee": trainee, "assignment": assignment, "program": program},
                        [trainee.email],
                    )
            sent += 1
    return sent


# ------------------------------------------------------------------------------ groups


def _people_for(cohorts: Sequence[Cohort], on: date) -> list[groups.Person]:
    trainees = Trainee.objects.filter(cohort__in=cohorts).select_related("cohort")
    hosts = dict(
        Placement.objects.filter(
            trainee__in=trainees, period__starts_on__lte=on, period__ends_on__gte=on
        ).values_list("trainee_id", "organisation_id")
    )
    return [
        groups.Person(
            id=t.pk,
            discipline=t.discipline.strip().lower(),
            host=str(hosts[t.pk]) if t.pk in hosts else None,
            cohort=str(t.cohort_id),
        )
        for t in trainees
    ]


def previous_pairs(program: Program, exclude_round: int | None = None) -> set[frozenset[int]]:
    members: dict[int, list[int]] = {}
    for group_id, trainee_id in (
        GroupMember.objects.filter(round__program=program)
        .exclude(round_id=exclude_round)
        .values_list("group_id", "trainee_id")
    ):
        members.setdefault(group_id, []).append(trainee_id)
    return groups.pairs_of(members.values())


def _solve(
    round_: GroupRound, cohorts: Sequence[Cohort], size: int, pins: dict[int, int]
) -> groups.Grouping:
    people = _people_for(cohorts, timezone.localdate())
    present = {p.id for p in people}
    pins = {trainee: group for trainee, group in pins.items() if trainee in present}
    try:
        return groups.build_groups(
            people,
            size,
            previous_pairs=previous_pairs(round_.program, exclude_round=round_.pk),
            pins=pins,
            seed=round_.program_id,
        )
    except groups.GroupingError as error:
        if error.field == "group_size" and len(people) < size:
            raise ValidationError(
                {
                    "group_size": _(
                        "The group size (%(size)s) is larger than the number of trainees in "
                        "the chosen cohorts (%(count)s)."
                    )
                    % {"size": size, "count": len(people)}
                }
            ) from error
        if error.field == "cohorts":
            raise ValidationError({"cohorts": _("The chosen cohorts have no trainees.")}) from error
        if error.field == "pins":
            raise ValidationError(
                _(
                    "Too many trainees are pinned to one group for groups of at most "
                    "%(size)s. Unpin some of them (move them with “pin” unticked) and "
                    "rebuild."
                )
                % {"size": size}
            ) from error
        raise ValidationError({error.field: str(error)}) from error


def _store_grouping(round_: GroupRound, grouping: groups.Grouping, pinned: set[int]) -> None:
    notes = {g.number: g for g in round_.groups.all()}
    GroupMember.objects.filter(round=round_).delete()
    for number, members in enumerate(grouping.groups, start=1):
        group = notes.get(number) or Group.objects.create(round=round_, number=number)
        GroupMember.objects.bulk_create(
            GroupMember(round=round_, group=group, trainee_id=t, pinned=t in pinned)
            for t in members
        )
    round_.groups.filter(number__gt=len(grouping.groups)).delete()
    round_.score = grouping.score
    round_.repeated_pairs = grouping.repeated_pairs
    round_.save(update_fields=["score", "repeated_pairs"])


@transaction.atomic
def group_round_build(
    *,
    program: Program,
    name: str,
    cohorts: Sequence[Cohort],
    group_size: int,
    actor: Any = None,
) -> GroupRound:
    """Split the cohorts' trainees into groups with the group builder."""
    cohorts = list(cohorts)
    if not cohorts:
        raise ValidationError({"cohorts": _("Choose at least one cohort.")})
    if any(c.program_id != program.pk for c in cohorts):
        raise ValidationError({"cohorts": _("Choose the programme's own cohorts.")})
    if group_size < 2:
        raise ValidationError({"group_size": _("A group has at least two people.")})
    round_ = GroupRound(program=program, name=name.strip(), group_size=group_size)
    round_.full_clean()
    round_.save()
    round_.cohorts.set(cohorts)
    grouping = _solve(round_, cohorts, group_size, {})
    _store_grouping(round_, grouping, set())
    audit(
        action="competence.groups.built",
        obj=round_,
        actor=actor,
        program=program,
        changes={"groups": len(grouping.groups), "score": grouping.score},
    )
    return round_


@transaction.atomic
def group_round_rebuild(*, round_: GroupRound, actor: Any = None) -> GroupRound:
    """Build the groups again, keeping everyone pinned where they are."""
    pinned = {
        m.trainee_id: m.group.number - 1
        for m in round_.members.filter(pinned=True).select_related("group")
    }
    grouping = _solve(round_, list(round_.cohorts.all()), round_.group_size, pinned)
    _store_grouping(round_, grouping, set(pinned))
    audit(
        action="competence.groups.rebuilt",
        obj=round_,
        actor=actor,
        program=round_.program,
        changes={"pinned": len(pinned), "score": grouping.score},
    )
    return round_


@transaction.atomic
def group_member_move(
    *, member: GroupMember, group: Group, pinned: bool = True, actor: Any = None
) -> GroupMember:
    """Move a trainee to another group of the same round by hand (and pin them there)."""
    if group.round_id != member.round_id:
        raise ValidationError({"group": _("Choose a group of the same round.")})
    old = member.group.number
    member.group = group
    member.pinned = pinned
    member.save(update_fields=["group", "pinned"])
    audit(
        action="competence.groups.member_moved",
        obj=member.round,
        actor=actor,
        program=member.round.program,
        changes={"trainee": member.trainee_id, "group": [old, group.number], "pinned": pinned},
    )
    return member


@transaction.atomic
def group_notes_update(*, group: Group, notes: str, actor: Any = None) -> Group:
    group.notes = notes
    group.notes_updated_at = timezone.now()
    group.notes_updated_by = actor if getattr(actor, "is_authenticated", False) else None
    group.save(update_fields=["notes", "notes_updated_at", "notes_updated_by"])
    audit(
        action="competence.group.notes_updated",
        obj=group,
        actor=actor,
        program=group.round.program,
    )
    return group


@transaction.atomic
def group_task_create(
    *, group: Group, title: str, due_on: date, description: str = "", actor: Any = None
) -> GroupTask:
    task = GroupTask(group=group, title=title, due_on=due_on, description=description)
    task.full_clean()
    task.save()
    audit(
        action="competence.group_task.created",
        obj=task,
        actor=actor,
        program=group.round.program,
        changes={"group": group.pk, "due_on": due_on},
    )
    return task


@transaction.atomic
def group_task_toggle(*, task: GroupTask, actor: Any = None) -> GroupTask:
    task.done_at = None if task.done_at else timezone.now()
    task.save(update_fields=["done_at"])
    audit(
        action="competence.group_task.done" if task.done_at else "competence.group_task.reopened",
        obj=task,
        actor=actor,
        program=task.group.round.program,
    )
    return task
