"""Writes for recruitment: rounds, needs, positions, applications, pipeline, offers."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from traineenett.cohorts import services as cohort_services
from traineenett.cohorts.models import Cohort
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import EmploymentModel, Program
from traineenett.core.tokens import hash_token
from traineenett.members.models import Organisation
from traineenett.recruitment import eligibility
from traineenett.recruitment.models import (
    Application,
    Choice,
    CompetenceNeed,
    Criterion,
    Document,
    Education,
    Interview,
    InterviewRequest,
    Note,
    Offer,
    OfferStatus,
    Position,
    PositionHost,
    RecruitmentSettings,
    Round,
    Score,
    Stage,
    StageChange,
    StageOutcome,
)

# The default pipeline (issue 3): key, name, outcome.
DEFAULT_STAGES: list[tuple[str, Any, str]] = [
    ("received", gettext_lazy("Received"), StageOutcome.OPEN),
    ("screened", gettext_lazy("Screened"), StageOutcome.OPEN),
    ("first_interview", gettext_lazy("First interview"), StageOutcome.OPEN),
    ("recruitment_days", gettext_lazy("Recruitment days"), StageOutcome.OPEN),
    ("offer", gettext_lazy("Offer"), StageOutcome.OFFER),
    ("accepted", gettext_lazy("Accepted"), StageOutcome.ACCEPTED),
    ("declined", gettext_lazy("Declined"), StageOutcome.DECLINED),
    ("rejected", gettext_lazy("Rejected"), StageOutcome.REJECTED),
]
FIXED_STAGE_KEYS = {"received", "offer", "accepted", "declined", "rejected"}
DEFAULT_CRITERIA = [
    gettext_lazy("Professional fit"),
    gettext_lazy("Motivation for the region"),
    gettext_lazy("Cooperation and communication"),
]


# ------------------------------------------------------------------------ settings


def settings_for(program: Program) -> RecruitmentSettings:
    """The programme's recruitment settings, created with defaults on first use."""
    found, _created = RecruitmentSettings.objects.get_or_create(program=program)
    return found


def stages_ensure(program: Program) -> list[Stage]:
    """The programme's stages in order, creating the default pipeline on first use."""
    stages = list(Stage.objects.filter(program=program).order_by("order"))
    if stages:
        return stages
    # Stage names are data: stored in the installation's language, whoever asked first.
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for order, (key, name, outcome) in enumerate(DEFAULT_STAGES, start=1):
            Stage.objects.get_or_create(
                program=program,
                key=key,
                defaults={"name": str(name), "order": order * 10, "outcome": outcome},
            )
    return list(Stage.objects.filter(program=program).order_by("order"))


def criteria_ensure(program: Program) -> list[Criterion]:
    criteria = list(Criterion.objects.filter(program=program))
    if criteria:
        return criteria
    with translation.override(settings.LANGUAGE_CODE):
        Criterion.objects.bulk_create(
            Criterion(program=program, name=str(name), order=index)
            for index, name in enumerate(DEFAULT_CRITERIA)
        )
    return list(Criterion.objects.filter(program=program))


def stage_by_key(program: Program, key: str) -> Stage:
    stages_ensure(program)
    return Stage.objects.get(program=program, key=key)


@transaction.atomic
def pipeline_configure(
    *,
    program: Program,
    intermediate_stages: list[str],
    criteria: list[str],
    retention_days: int,
    rejection_template: str,
    actor: Any = None,
) -> None:
    """Set the stages between "received" and "offer", the scorecard criteria and the
    retention period. A stage that still holds applications cannot be removed."""
    stages = stages_ensure(program)
    criteria_ensure(program)
    names = [name.strip() for name in intermediate_stages if name.strip()]
    lowered = [name.lower() for name in names]
    if len(set(lowered)) != len(lowered):
        raise ValidationError({"stages": _("Each stage may be listed only once.")})
    if not criteria or not any(name.strip() for name in criteria):
        raise ValidationError({"criteria": _("The scorecard needs at least one criterion.")})
    current = {stage.name.lower(): stage for stage in stages if stage.key not in FIXED_STAGE_KEYS}
    for name_lower, stage in current.items():
        if name_lower not in lowered and stage.applications.exists():
            raise ValidationError(
                {
                    "stages": _("The stage “%(stage)s” still holds applications; move them first.")
                    % {"stage": stage.name}
                }
            )
    for name_lower, stage in current.items():
        if name_lower not in lowered:
            stage.delete()
    fixed = {stage.key: stage for stage in stages if stage.key in FIXED_STAGE_KEYS}
    order = 10
    fixed["received"].order = order
    fixed["received"].save(update_fields=["order"])
    for name in names:
        order += 10
        existing_stage = current.get(name.lower())
        if existing_stage is None:
            key = slugify(name)[:40] or "stage"
            while Stage.objects.filter(program=program, key=key).exists():
                key = f"{key[:36]}-{secrets.token_hex(2)}"
            Stage.objects.create(program=program, key=key, name=name, order=order)
        else:
            existing_stage.name, existing_stage.order = name, order
            existing_stage.save(update_fields=["name", "order"])
    for key in ("offer", "accepted", "declined", "rejected"):
        order += 10
        fixed[key].order = order
        fixed[key].save(update_fields=["order"])
    kept = [name.strip() for name in criteria if name.strip()]
    existing = {
        criterion.name.lower(): criterion for criterion in Criterion.objects.filter(program=program)
    }
    for index, name in enumerate(kept):
        criterion = existing.pop(name.lower(), None)
        if criterion is None:
            Criterion.objects.create(program=program, name=name, order=index)
        else:
            criterion.name, criterion.order = name, index
            criterion.save(update_fields=["name", "order"])
    for criterion in existing.values():
        criterion.delete()
    recruitment_settings = settings_for(program)
    changes = changed_fields(
        recruitment_settings,
        {"retention_days": retention_days, "rejection_template": rejection_template},
    )
    recruitment_settings.full_clean()
    recruitment_settings.save()
    audit(
        action="recruitment.pipeline.configured",
        obj=recruitment_settings,
        actor=actor,
        program=program,
        changes={**changes, "stages": names, "criteria": kept},
    )


# ------------------------------------------------------------- rounds, needs, positions


@transaction.atomic
def round_create(
    *, program: Program, cohort: Cohort, needs_deadline: date, actor: Any = None
) -> Round:
    """Open the recruitment round (and its competence-needs round) for a cohort."""
    if cohort.program_id != program.pk:
        raise ValidationError({"cohort": _("Choose a cohort of this programme.")})
    if Round.objects.filter(cohort=cohort).exists():
        raise ValidationError({"cohort": _("This cohort already has a recruitment round.")})
    round_ = Round.objects.create(program=program, cohort=cohort, needs_deadline=needs_deadline)
    stages_ensure(program)
    criteria_ensure(program)
    audit(
        action="recruitment.round.created",
        obj=round_,
        actor=actor,
        program=program,
        changes={"cohort": cohort.label, "needs_deadline": needs_deadline},
    )
    return round_


@transaction.atomic
def need_submit(
    *,
    round_: Round,
    organisation: Organisation,
    disciplines: list[str],
    places: int,
    period_numbers: list[int],
    description: str = "",
    place_of_work: str = "",
    actor: Any = None,
) -> CompetenceNeed:
    """Submit (or replace) a host organisation's competence needs for a round."""
    if not disciplines:
        raise ValidationError({"disciplines": _("Name at least one discipline.")})
    if not period_numbers:
        raise ValidationError({"period_numbers": _("Choose at least one period.")})
    need, created = CompetenceNeed.objects.update_or_create(
        round=round_,
        organisation=organisation,
        defaults={
            "disciplines": sorted({d.strip().lower() for d in disciplines if d.strip()}),
            "places": places,
            "period_numbers": sorted(set(period_numbers)),
            "description": description,
            "place_of_work": place_of_work,
        },
    )
    need.full_clean()
    audit(
        action="recruitment.need.submitted" if created else "recruitment.need.updated",
        obj=need,
        actor=actor,
        program=round_.program,
        changes={"places": places, "disciplines": need.disciplines, "periods": period_numbers},
    )
    return need


@transaction.atomic
def position_save(
    *,
    round_: Round,
    data: dict[str, Any],
    hosts: list[Organisation | None],
    position: Position | None = None,
    actor: Any = None,
) -> Position:
    """Create or change a position: its text, deadline and track of 1–3 hosts (the last
    may be None, "decided later")."""
    if not hosts or hosts[0] is None:
        raise ValidationError({"host_1": _("A track starts at a host organisation.")})
    if len(hosts) > round_.cohort.periods.count() and round_.cohort.periods.exists():
        raise ValidationError({"host_1": _("The track is longer than the cohort's periods.")})
    named = [host for host in hosts if host is not None]
    if len({host.pk for host in named}) != len(named):
        raise ValidationError(
            {"host_2": _("A track visits each organisation once; choose different hosts.")}
        )
    if any(host is None for host in hosts[:-1]):
        raise ValidationError({"host_2": _("Only the last period may be decided later.")})
    creating = position is None
    position = position or Position(round=round_)
    data = {**data, "disciplines": sorted({d.strip().lower() for d in data["disciplines"]})}
    changes = changed_fields(position, data)
    position.full_clean()
    position.save()
    position.hosts.all().delete()
    PositionHost.objects.bulk_create(
        PositionHost(position=position, period_number=number, organisation=host)
        for number, host in enumerate(hosts, start=1)
    )
    audit(
        action="recruitment.position.created" if creating else "recruitment.position.updated",
        obj=position,
        actor=actor,
        program=round_.program,
        changes={**changes, "hosts": [host.name if host else "-" for host in hosts]},
    )
    return position


# --------------------------------------------------------------------- applications


def screen_application(application: Application) -> eligibility.Screening:
    program = application.program
    entries = [
        eligibility.EducationEntry(years=e.years, ects=e.ects, graduated_on=e.graduated_on)
        for e in application.educations.all()
    ]
    return eligibility.screen(
        entries,
        application.relevant_work_months,
        eligibility.Rules(program.min_higher_education_years, program.max_years_since_graduation),
        application.cohort.starts_on,
    )


def _apply_screening(application: Application) -> None:
    screening = screen_application(application)
    application.eligible = screening.eligible
    application.eligibility_reasons = [
        {"code": reason.code, **reason.params} for reason in screening.reasons
    ]
    application.save(update_fields=["eligible", "eligibility_reasons"])


StoredFiles = list[tuple[Storage, str]]


def _delete_files(files: StoredFiles) -> None:
    for storage, name in files:
        storage.delete(name)


def _store_documents(
    application: Application,
    documents: Iterable[tuple[str, UploadedFile]],
    stored: StoredFiles,
) -> None:
    """Store the uploads, noting each new file in ``stored`` so that the caller can remove
    them if the transaction fails. A replaced file is only removed once the replacement
    is committed (a rollback brings its row back, and the row must keep its file)."""
    for kind, upload in documents:
        for old in application.documents.filter(kind=kind):
            transaction.on_commit(partial(_delete_files, [(old.file.storage, old.file.name or "")]))
            old.delete()
        document = Document.objects.create(
            application=application,
            kind=kind,
            file=upload,
            original_name=(upload.name or "document.pdf")[:200],
            size=upload.size or 0,
        )
        stored.append((document.file.storage, document.file.name or ""))


def _send_after_commit(subject: str, body: str, to: str) -> None:
    transaction.on_commit(lambda: send_mail(subject, body, None, [to]))


def application_submit(
    *,
    program: Program,
    cohort: Cohort,
    data: dict[str, Any],
    educations: list[dict[str, Any]],
    positions: list[Position],
    documents: list[tuple[str, UploadedFile]],
    idempotency_key: str,
    link_builder: Callable[[str], str] = lambda path: path,
    today: date | None = None,
    notify: bool = True,
) -> tuple[Application, str | None]:
    """Store an application, screen it and e-mail the personal link.

    Returns ``(application, token)``; ``token`` is None when the same form was already
    submitted (the idempotency key is known): a double submit never makes two
    applications. An e-mail that already applied to the cohort is a field error.
    """
    today = today or timezone.localdate()
    existing = Application.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing, None
    email = data["email"].strip().lower()
    if Application.objects.filter(cohort=cohort, email=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An application with this e-mail address has already been received for "
                    "this cohort. Use the link in the confirmation e-mail to see or complete it."
                )
            }
        )
    if not positions:
        raise ValidationError({"choice_1": _("Choose at least one position.")})
    for position in positions:
        if position.round.cohort_id != cohort.pk or position.published_on is None:
            raise ValidationError({"choice_1": _("Choose among the open positions.")})
        if position.deadline < today:
            raise ValidationError(
                {
                    "choice_1": _(
                        "The deadline for “%(position)s” was %(deadline)s; applications are closed."
                    )
                    % {
                        "position": position.title,
                        "deadline": position.deadline.strftime("%d.%m.%Y"),
                    }
                }
            )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    received = stage_by_key(program, "received")
    retention = settings_for(program).retention_days
    stored: StoredFiles = []
    try:
        with transaction.atomic():
            application = Application(
                program=program,
                cohort=cohort,
                **{**data, "email": email},
                consent_at=now,
                idempotency_key=idempotency_key,
                token_hash=hash_token(token),
                token_expires_at=now + timedelta(days=retention + 730),
                stage=received,
                stage_entered_at=now,
            )
            application.full_clean(exclude=["eligibility_reasons"], validate_unique=False)
            application.save()
            for entry in educations:
                Education.objects.create(application=application, **entry)
            Choice.objects.bulk_create(
                Choice(application=application, position=position, rank=rank)
                for rank, position in enumerate(positions, start=1)
            )
            _store_documents(application, documents, stored)
            StageChange.objects.create(application=application, stage=received, at=now)
            _apply_screening(application)
            audit(
                action="recruitment.application.submitted",
                obj=application,
                program=program,
                changes={"cohort": cohort.label, "positions": [p.pk for p in positions]},
            )
            link = link_builder(f"/apply/{token}/")
            subject = _("Your application to %(program)s") % {"program": program.name}
            body = _(
                "Hello %(name)s,\n\nthank you for applying to %(program)s (%(cohort)s). "
                "Your personal link, where you can see, complete or withdraw your application "
                "and download everything we store about you:\n\n%(link)s\n\n"
                "Keep the link to yourself; it is your key. We keep unsuccessful applications "
                "for %(days)s days after the round ends.\n"
            ) % {
                "name": application.first_name,
                "program": program.name,
                "cohort": cohort.label,
                "link": link,
                "days": retention,
            }
            if notify:
                _send_after_commit(subject, body, email)
    except BaseException as error:
        # Nothing is half-written: the rows are rolled back, so the files go too.
        _delete_files(stored)
        if not isinstance(error, IntegrityError):
            raise
        # Two requests with the same key raced: the other one won; return its result.
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise ValidationError(
                {
                    "email": _(
                        "An application with this e-mail address has already been received "
                        "for this cohort."
                    )
                }
            ) from None
        return existing, None
    return application, token


def application_by_token(token: str) -> Application | None:
    """The application of a personal link, or None if the link is wrong or expired."""
    if not token or len(token) > 100:
        return None
    return (
        Application.objects.select_related("program", "cohort", "stage")
        .filter(
            token_hash=hash_token(token),
            anonymised_at__isnull=True,
            token_expires_at__gt=timezone.now(),
        )
        .first()
    )


def application_complete(
    *,
    application: Application,
    data: dict[str, Any],
    documents: list[tuple[str, UploadedFile]],
) -> Application:
    """The applicant completes their application (phone, cover letter, work, documents)."""
    if application.withdrawn_at is not None or application.stage.is_closed:
        raise ValidationError(_("This application is closed and can no longer be changed."))
    stored: StoredFiles = []
    try:
        with transaction.atomic():
            changes = changed_fields(application, data)
            application.full_clean(exclude=["eligibility_reasons"], validate_unique=False)
            application.save()
            _store_documents(application, documents, stored)
            _apply_screening(application)
            audit(
                action="recruitment.application.completed",
                obj=application,
                program=application.program,
                changes={**changes, "documents": [kind for kind, _upload in documents]},
            )
    except BaseException:
        _delete_files(stored)
        raise
    return application


@transaction.atomic
def application_withdraw(*, application: Application) -> None:
    """The applicant withdraws; the application is closed (and purged on schedule)."""
    if application.withdrawn_at is not None:
        return
    now = timezone.now()
    application.withdrawn_at = now
    application.closed_at = now
    application.save(update_fields=["withdrawn_at", "closed_at"])
    audit(action="recruitment.application.withdrawn", obj=application, program=application.program)


def application_export(application: Application) -> dict[str, Any]:
    """Everything stored about an applicant, for the download on the personal page."""
    return {
        "programme": application.program.name,
        "cohort": application.cohort.label,
        "first_name": application.first_name,
        "last_name": application.last_name,
        "email": application.email,
        "phone": application.phone,
        "home_municipality": str(application.home_municipality or ""),
        "relevant_work_months": application.relevant_work_months,
        "cover_letter": application.cover_letter,
        "source": application.source,
        "consent_at": application.consent_at.isoformat(),
        "created_at": application.created_at.isoformat(),
        "stage": application.stage.name,
        "withdrawn_at": application.withdrawn_at.isoformat() if application.withdrawn_at else None,
        "eligible": application.is_eligible,
        "eligibility_reasons": application.eligibility_reasons,
        "educations": [
            {
                "degree": e.degree,
                "institution": e.institution,
                "field": e.field,
                "years": str(e.years) if e.years is not None else None,
                "ects": e.ects,
                "graduated_on": e.graduated_on.isoformat(),
            }
            for e in application.educations.all()
        ],
        "positions": [
            {"rank": c.rank, "title": c.position.title}
            for c in application.choices.select_related("position")
        ],
        "documents": [
            {"kind": d.kind, "name": d.original_name, "size": d.size}
            for d in application.documents.all()
        ],
        "stage_history": [
            {"stage": change.stage.name, "at": change.at.isoformat()}
            for change in application.stage_changes.select_related("stage")
        ],
        "scores": [
            {"criterion": s.criterion.name, "value": s.value}
            for s in application.scores.select_related("criterion")
        ],
        "notes": [
            {"text": note.text, "at": note.created_at.isoformat()}
            for note in application.notes.all()
        ],
        "interviews": [
            {
                "organisation": r.organisation.name,
                "starts_at": r.interview.starts_at.isoformat() if hasattr(r, "interview") else None,
            }
            for r in application.interview_requests.select_related("organisation", "interview")
        ],
        "offer": _offer_export(application),
    }


def _offer_export(application: Application) -> dict[str, Any] | None:
    offer = Offer.objects.filter(application=application).select_related("position").first()
    if offer is None:
        return None
    return {
        "position": offer.position.title,
        "salary": str(offer.salary),
        "starts_on": offer.starts_on.isoformat(),
        "status": offer.status,
    }


# ------------------------------------------------------------------------ pipeline


def _move(application: Application, stage: Stage, actor: Any, reason: str = "") -> bool:
    if application.stage_id == stage.pk:
        return False
    now = timezone.now()
    previous = application.stage
    application.stage = stage
    application.stage_entered_at = now
    fields = ["stage", "stage_entered_at"]
    if stage.is_closed and application.closed_at is None:
        application.closed_at = now
        fields.append("closed_at")
    elif not stage.is_closed and application.closed_at and application.withdrawn_at is None:
        application.closed_at = None
        fields.append("closed_at")
    application.save(update_fields=fields)
    StageChange.objects.create(
        application=application,
        stage=stage,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
    )
    audit(
        action="recruitment.application.moved",
        obj=application,
        actor=actor,
        program=application.program,
        changes={"stage": [previous.name, stage.name], "reason": reason},
    )
    return True


@transaction.atomic
def application_move(
    *, application: Application, stage: Stage, actor: Any = None, reason: str = ""
) -> None:
    """Move an application to a stage of its programme."""
    if stage.program_id != application.program_id:
        raise ValidationError({"stage": _("Choose a stage of this programme.")})
    if application.withdrawn_at is not None:
        raise ValidationError({"stage": _("The applicant has withdrawn the application.")})
    _move(application, stage, actor, reason)


def _rejection_body(program: Program, application: Application, reason: str) -> str:
    template = settings_for(program).rejection_template or _(
        "Hello {name},\n\nthank you for your application to the programme. We have decided "
        "not to take it further this time.\n\n{reason}\n\nBest regards"
    )
    return template.replace("{name}", application.first_name).replace("{reason}", reason)


@transaction.atomic
def applications_bulk(
    *,
    program: Program,
    application_ids: list[int],
    stage: Stage | None = None,
    reject_reason: str = "",
    actor: Any = None,
    notify: bool = True,
) -> int:
    """Move many applications to ``stage``, or reject them (``stage`` None) with a reason
    and the programme's templated e-mail. Returns how many changed."""
    applications = list(
        Application.objects.filter(
            program=program,
            pk__in=application_ids,
            withdrawn_at__isnull=True,
            anonymised_at__isnull=True,
        ).select_related("stage")
    )
    if stage is None:
        if not reject_reason.strip():
            raise ValidationError({"reason": _("Give a reason for the rejection.")})
        stage = stage_by_key(program, "rejected")
    elif stage.program_id != program.pk:
        raise ValidationError({"stage": _("Choose a stage of this programme.")})
    moved = 0
    for application in applications:
        if _move(application, stage, actor, reject_reason):
            moved += 1
            if notify and stage.outcome == StageOutcome.REJECTED:
                _send_after_commit(
                    _("Your application to %(program)s") % {"program": program.name},
                    _rejection_body(program, application, reject_reason),
                    application.email,
                )
    return moved


@transaction.atomic
def note_add(*, application: Application, text: str, actor: Any = None) -> Note:
    if not text.strip():
        raise ValidationError({"text": _("Write the note first.")})
    note = Note.objects.create(application=application, text=text.strip(), author=actor)
    audit(
        action="recruitment.note.added", obj=application, actor=actor, program=application.program
    )
    return note


@transaction.atomic
def eligibility_override_set(
    *, application: Application, eligible: bool | None, note: str, actor: Any = None
) -> None:
    """Override the computed screening (or clear the override with ``eligible=None``)."""
    if eligible is not None and not note.strip():
        raise ValidationError({"note": _("Explain the override in a note.")})
    old = application.eligibility_override
    application.eligibility_override = eligible
    application.eligibility_note = note.strip() if eligible is not None else ""
    application.save(update_fields=["eligibility_override", "eligibility_note"])
    audit(
        action="recruitment.eligibility.overridden",
        obj=application,
        actor=actor,
        program=application.program,
        changes={"override": [old, eligible], "note": note.strip()},
    )


@transaction.atomic
def scores_save(
    *,
    application: Application,
    values: dict[int, int],
    reviewer: Any,
    organisation: Organisation | None = None,
) -> None:
    """Save one reviewer's scorecard (criterion id → 1–5) for an application."""
    criteria = {c.pk: c for c in Criterion.objects.filter(program=application.program)}
    for criterion_id, value in values.items():
        if criterion_id not in criteria:
            raise ValidationError({"criterion": _("Unknown criterion.")})
        if not 1 <= value <= 5:
            raise ValidationError({f"criterion_{criterion_id}": _("Give a score from 1 to 5.")})
        Score.objects.update_or_create(
            application=application,
            criterion=criteria[criterion_id],
            reviewer=reviewer,
            defaults={"value": value, "organisation": organisation},
        )
    audit(
        action="recruitment.application.scored",
        obj=application,
        actor=reviewer,
        program=application.program,
        changes={criteria[k].name: v for k, v in values.items()},
    )


@transaction.atomic
def interview_request(
    *, application: Application, organisation: Organisation, actor: Any = None
) -> InterviewRequest:
    """A host asks to interview a candidate at the recruitment days (asking twice is one
    request)."""
    if application.withdrawn_at is not None or application.closed_at is not None:
        raise ValidationError(
            {"organisation": _("The application is closed; no interview can be requested.")}
        )
    request, created = InterviewRequest.objects.get_or_create(
        application=application,
        organisation=organisation,
        defaults={"requested_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    if created:
        audit(
            action="recruitment.interview.requested",
            obj=application,
            actor=actor,
            program=application.program,
            changes={"organisation": organisation.name},
        )
    return request


@transaction.atomic
def interview_request_withdraw(*, request: InterviewRequest, actor: Any = None) -> None:
    """A host takes back its request, as long as the scheduler has not placed it."""
    if Interview.objects.filter(request=request).exists():
        raise ValidationError(
            _(
                "The interview is already scheduled; ask the coordinator to re-run the "
                "schedule without it."
            )
        )
    audit(
        action="recruitment.interview.withdrawn",
        obj=request.application,
        actor=actor,
        program=request.application.program,
        changes={"organisation": request.organisation.name},
    )
    request.delete()


# ------------------------------------------------------------------------- offers


@transaction.atomic
def offer_make(
    *,
    application: Application,
    position: Position,
    starts_on: date,
    actor: Any = None,
    link_builder: Callable[[str], str] | None = None,
    notify: bool = True,
) -> Offer:
    """Offer a position (at the cohort's common salary) and move to the offer stage."""
    if not application.choices.filter(position=position).exists():
        raise ValidationError({"position": _("Offer one of the positions the applicant chose.")})
    if application.withdrawn_at is not None:
        raise ValidationError({"position": _("The applicant has withdrawn the application.")})
    existing = Offer.objects.filter(application=application).first()
    if existing is not None and existing.status != OfferStatus.MADE:
        raise ValidationError({"position": _("The applicant has already answered an offer.")})
    offer, _created = Offer.objects.update_or_create(
        application=application,
        defaults={
            "position": position,
            "salary": application.cohort.common_salary,
            "starts_on": starts_on,
            "status": OfferStatus.MADE,
        },
    )
    _move(application, stage_by_key(application.program, "offer"), actor)
    audit(
        action="recruitment.offer.made",
        obj=offer,
        actor=actor,
        program=application.program,
        changes={"position": position.title, "starts_on": starts_on, "salary": offer.salary},
    )
    if notify:
        _send_after_commit(
            _("An offer from %(program)s") % {"program": application.program.name},
            _(
                "Hello %(name)s,\n\nwe are pleased to offer you the position “%(position)s” in "
                "%(program)s from %(start)s. Answer through your personal link from the "
                "confirmation e-mail.\n"
            )
            % {
                "name": application.first_name,
                "position": position.title,
                "program": application.program.name,
                "start": starts_on.strftime("%d.%m.%Y"),
            },
            application.email,
        )
    return offer


@transaction.atomic
def offer_answer(*, application: Application, accept: bool) -> Offer:
    """The applicant accepts or declines. Accepting creates the trainee in the cohort with
    placements pre-filled from the position's track (periods "decided later" stay empty;
    a host that cannot take the placement is left for the coordinator)."""
    offer = (
        Offer.objects.select_for_update()
        .select_related("position")
        .filter(application=application)
        .first()
    )
    if offer is None or offer.status != OfferStatus.MADE:
        raise ValidationError(_("There is no open offer to answer."))
    if application.withdrawn_at is not None:
        raise ValidationError(
            _("The application is withdrawn; the offer can no longer be answered.")
        )
    offer.answered_at = timezone.now()
    program = application.program
    if not accept:
        offer.status = OfferStatus.DECLINED
        offer.save(update_fields=["status", "answered_at"])
        _move(application, stage_by_key(program, "declined"), None)
        audit(action="recruitment.offer.declined", obj=offer, program=program)
        return offer
    education = application.educations.order_by("-graduated_on").first()
    hosts = list(offer.position.hosts.select_related("organisation"))
    first_host = hosts[0].organisation if hosts else None
    screening = screen_application(application)
    trainee = cohort_services.trainee_create(
        cohort=application.cohort,
        data={
            "first_name": application.first_name,
            "last_name": application.last_name,
            "email": application.email,
            "discipline": (education.field if education else "")[:100] or "-",
            "degree": (education.degree if education else "")[:100],
            "institution": (education.institution if education else "")[:150],
            "higher_education_years": min(screening.education_years, 15),
            "home_municipality": application.home_municipality,
            # The first host employs the trainee where members employ; otherwise the
            # programme does (no employer of record among the members).
            "employer": first_host
            if program.employment_model == EmploymentModel.MEMBER_EMPLOYS
            else None,
        },
    )
    periods = {period.number: period for period in application.cohort.periods.all()}
    skipped = []
    for host in hosts:
        period = periods.get(host.period_number)
        if host.organisation is None or period is None:
            continue
        try:
            with transaction.atomic():
                cohort_services.placement_create(
                    trainee=trainee, period=period, organisation=host.organisation
                )
        except ValidationError:
            skipped.append(host.organisation.name)
    offer.status = OfferStatus.ACCEPTED
    offer.trainee = trainee
    offer.save(update_fields=["status", "answered_at", "trainee"])
    _move(application, stage_by_key(program, "accepted"), None)
    audit(
        action="recruitment.offer.accepted",
        obj=offer,
        program=program,
        changes={"trainee": trainee.pk, "placements_skipped": skipped},
    )
    return offer


# ------------------------------------------------------------------- data protection


def _anonymise(application: Application, now: Any) -> None:
    files: StoredFiles = [(d.file.storage, d.file.name or "") for d in application.documents.all()]
    # The files go once the anonymisation is committed (a rollback keeps rows and files).
    transaction.on_commit(partial(_delete_files, files))
    application.documents.all().delete()
    application.educations.all().delete()
    application.notes.all().delete()
    Application.objects.filter(pk=application.pk).update(
        first_name="",
        last_name="",
        email=f"anonymised-{application.pk}@invalid",
        phone="",
        cover_letter="",
        eligibility_note="",
        token_hash=None,
        token_expires_at=None,
        anonymised_at=now,
    )


def applications_purge(*, now: Any = None, dry_run: bool = False) -> int:
    """Anonymise unsuccessful applications whose retention period has ended.

    An application is unsuccessful unless its offer was accepted. The clock starts when
    it was closed (rejected, declined, withdrawn), or else at the cohort's start. The
    documents are deleted; what is kept (stage, source, home municipality) feeds the
    recruitment figures without naming anyone.
    """
    now = now or timezone.now()
    count = 0
    candidates = (
        Application.objects.filter(anonymised_at__isnull=True)
        .exclude(stage__outcome=StageOutcome.ACCEPTED)
        .select_related("program", "cohort")
    )
    retention: dict[int, int] = {}
    for application in candidates.iterator():
        days = retention.get(application.program_id)
        if days is None:
            days = retention[application.program_id] = settings_for(
                application.program
            ).retention_days
        started = application.closed_at
        if started is None:
            cohort_start = application.cohort.starts_on
            started = datetime.combine(
                cohort_start, time(0), tzinfo=timezone.get_current_timezone()
            )
        if started + timedelta(days=days) > now:
            continue
        count += 1
        if not dry_run:
            with transaction.atomic():
                _anonymise(application, now)
                audit(
                    action="recruitment.application.anonymised",
                    obj=None,
                    program=application.program,
                    changes={"application": application.pk},
                )
    return count
