"""Membership applications and the board: seats, meetings, attachments."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Cohort
from traineenett.core.audit import audit
from traineenett.core.models import Program
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.finance.models import (
    ApplicationStatus,
    BoardMeeting,
    BoardSeat,
    BoardSeatKind,
    MeetingAttachment,
    MembershipApplication,
)
from traineenett.finance.services.common import short_date as _short
from traineenett.finance.services.settings import billing_contact_save
from traineenett.members import services as member_services
from traineenett.members.models import Membership, Organisation

# ---------------------------------------------------------------- membership applications


@transaction.atomic
def application_submit(*, program: Program, data: dict[str, Any]) -> MembershipApplication:
    """A public membership application. A known organisation number is recognised (and
    its name used); an unknown one needs a name and a municipality."""
    number = normalise_organisation_number(data.get("organisation_number", ""))
    try:
        validate_organisation_number(number)
    except ValidationError as error:
        raise ValidationError({"organisation_number": error.messages}) from None
    known = Organisation.objects.filter(organisation_number=number).first()
    application = MembershipApplication(program=program, **{**data, "organisation_number": number})
    if known is not None:
        application.organisation = known
        application.organisation_name = known.name
        application.municipality = known.municipality
        application.kind, application.sector = known.kind, known.sector
        if Membership.objects.filter(
            program=program, organisation=known, ends_on__isnull=True
        ).exists():
            raise ValidationError(
                {
                    "organisation_number": _("%(name)s is already a member of %(program)s.")
                    % {"name": known.name, "program": program.name}
                }
            )
    else:
        missing = {}
        if not application.organisation_name.strip():
            missing["organisation_name"] = _(
                "We do not know this organisation number yet: give the organisation's name."
            )
        if application.municipality is None:
            missing["municipality"] = _(
                "We do not know this organisation number yet: choose its municipality."
            )
        if missing:
            raise ValidationError(missing)
    pending = MembershipApplication.objects.filter(
        program=program, organisation_number=number, status=ApplicationStatus.PENDING
    ).exists()
    if pending:
        raise ValidationError(
            {
                "organisation_number": _(
                    "An application for this organisation is already waiting for the board."
                )
            }
        )
    application.full_clean()
    application.save()
    audit(
        action="finance.application.submitted",
        obj=application,
        program=program,
        changes={"organisation_number": number, "fee_tier": application.fee_tier},
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: MembershipApplication,
    approve: bool,
    note: str = "",
    starts_on: date | None = None,
    fee_tier: str = "",
    actor: Any = None,
) -> MembershipApplication:
    """Record the board's decision. Approval starts the membership (members' services)
    with the fee tier and makes the invoice address the member's billing contact."""
    application = MembershipApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This application has already been decided."))
    if approve:
        if starts_on is None:
            raise ValidationError({"starts_on": _("Give the date the membership starts.")})
        known = application.organisation
        organisation_data: dict[str, Any] = {
            "organisation_number": application.organisation_number,
            "name": known.name if known else application.organisation_name,
            "kind": known.kind if known else application.kind,
            "sector": known.sector if known else application.sector,
            "municipality": known.municipality if known else application.municipality,
        }
        if known is None:
            organisation_data["employees"] = application.employees
        membership = member_services.membership_create(
            program=application.program,
            organisation_data=organisation_data,
            starts_on=starts_on,
            fee_tier=fee_tier or application.fee_tier,
            actor=actor,
        )
        application.membership = membership
        application.organisation = membership.organisation
        billing_contact_save(
            program=application.program,
            organisation=membership.organisation,
            invoice_email=application.invoice_email or application.contact_email,
            actor=actor,
        )
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.decision_note = note
    application.save()
    audit(
        action=f"finance.application.{application.status}",
        obj=application,
        actor=actor,
        program=application.program,
        changes={"note": note, "starts_on": starts_on},
    )
    return application


# ------------------------------------------------------------------------------- board


@transaction.atomic
def board_seat_create(*, program: Program, data: dict[str, Any], actor: Any = None) -> BoardSeat:
    """A term on the board. A member organisation has one representative at a time; a
    trainee representative represents a cohort of the programme."""
    seat = BoardSeat(program=program, **data)
    if seat.kind == BoardSeatKind.MEMBER:
        seat.cohort = None
        if seat.organisation is None:
            raise ValidationError(
                {"organisation": _("Choose the member organisation represented.")}
            )
        if not Membership.objects.filter(program=program, organisation=seat.organisation).exists():
            raise ValidationError({"organisation": _("The organisation must be a member.")})
        overlapping = BoardSeat.objects.filter(
            program=program, kind=BoardSeatKind.MEMBER, organisation=seat.organisation
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=seat.starts_on))
        if seat.ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=seat.ends_on)
        clash = overlapping.first()
        if clash is not None:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s is already represented by %(person)s in this term; "
                        "one representative per member."
                    )
                    % {"organisation": seat.organisation.name, "person": clash.person_name}
                }
            )
    else:
        seat.organisation = None
        if (
            seat.cohort is None
            or not Cohort.objects.filter(pk=seat.cohort.pk, program=program).exists()
        ):
            raise ValidationError({"cohort": _("Choose the cohort the trainee represents.")})
    if seat.ends_on is not None and seat.ends_on < seat.starts_on:
        raise ValidationError({"ends_on": _("The term must end on or after its start.")})
    seat.full_clean()
    seat.save()
    audit(
        action="finance.board_seat.created",
        obj=seat,
        actor=actor,
        program=program,
        changes={"kind": seat.kind, "person": seat.person_name},
    )
    return seat


@transaction.atomic
def board_seat_end(*, seat: BoardSeat, ends_on: date, actor: Any = None) -> BoardSeat:
    if ends_on < seat.starts_on:
        raise ValidationError(
            {
                "ends_on": _("The term cannot end before it started (%(start)s).")
                % {"start": _short(seat.starts_on)}
            }
        )
    old = seat.ends_on
    seat.ends_on = ends_on
    seat.save(update_fields=["ends_on"])
    audit(
        action="finance.board_seat.ended",
        obj=seat,
        actor=actor,
        program=seat.program,
        changes={"ends_on": [old, ends_on]},
    )
    return seat


@transaction.atomic
def meeting_create(*, program: Program, data: dict[str, Any], actor: Any = None) -> BoardMeeting:
    meeting = BoardMeeting(program=program, **data)
    meeting.full_clean()
    meeting.save()
    audit(
        action="finance.board_meeting.created",
        obj=meeting,
        actor=actor,
        program=program,
        changes={"held_on": meeting.held_on, "title": meeting.title},
    )
    return meeting


ATTACHMENT_SUFFIXES = frozenset({".pdf", ".docx", ".xlsx", ".odt", ".ods", ".txt", ".png", ".jpg"})
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(
    *, meeting: BoardMeeting, title: str, upload: Any, actor: Any = None
) -> MeetingAttachment:
    """Attach a file (PDF, office document, text or image; at most 10 MB) to a meeting."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise ValidationError(
            {
                "file": _("Files of type %(suffix)s cannot be attached; use %(allowed)s.")
                % {"suffix": suffix or "?", "allowed": ", ".join(sorted(ATTACHMENT_SUFFIXES))}
            }
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 10 MB.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the attachment a title.")})
    attachment = MeetingAttachment(meeting=meeting, title=title.strip()[:150])
    attachment.file.save(upload.name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit(
        action="finance.board_meeting.attachment_added",
        obj=attachment,
        actor=actor,
        program=meeting.program,
        changes={"meeting": meeting.title, "title": title},
    )
    return attachment
