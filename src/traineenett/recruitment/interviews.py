"""Recruitment days: slots, the scheduler instance, running it and storing the result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.core.audit import audit
from traineenett.core.ical import OSLO, CalendarEvent
from traineenett.members.models import Organisation
from traineenett.recruitment.models import (
    Application,
    Interview,
    InterviewDay,
    InterviewPlan,
    InterviewRequest,
    Round,
    Unavailability,
)


@dataclass(frozen=True)
class SlotInfo:
    id: str
    day: date
    start: time
    starts_at: datetime
    ends_at: datetime


def slots_of(plan: InterviewPlan, days: list[InterviewDay] | None = None) -> list[SlotInfo]:
    """Every slot of the plan's days, in time order (ids like ``20270310-0900``)."""
    slots = []
    length = timedelta(minutes=plan.slot_minutes)
    for day in days if days is not None else plan.days.order_by("date"):
        moment = datetime.combine(day.date, day.starts_at, tzinfo=OSLO)
        end = datetime.combine(day.date, day.ends_at, tzinfo=OSLO)
        while moment + length <= end:
            slots.append(
                SlotInfo(
                    id=f"{day.date:%Y%m%d}-{moment:%H%M}",
                    day=day.date,
                    start=moment.time(),
                    starts_at=moment,
                    ends_at=moment + length,
                )
            )
            moment += length
    return slots


def plan_ensure(round_: Round) -> InterviewPlan:
    plan, _created = InterviewPlan.objects.get_or_create(round=round_)
    return plan


@transaction.atomic
def plan_update(*, plan: InterviewPlan, data: dict[str, Any], actor: Any = None) -> None:
    for name, value in data.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    audit(
        action="recruitment.interviews.configured",
        obj=plan,
        actor=actor,
        program=plan.round.program,
        changes=data,
    )


@transaction.atomic
def day_add(
    *, plan: InterviewPlan, day: date, starts_at: time, ends_at: time, actor: Any = None
) -> InterviewDay:
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The day must end after its first slot starts.")})
    if plan.days.filter(date=day).exists():
        raise ValidationError({"date": _("This day is already a recruitment day.")})
    interview_day = InterviewDay.objects.create(
        plan=plan, date=day, starts_at=starts_at, ends_at=ends_at
    )
    if not slots_of(plan, [interview_day]):
        raise ValidationError({"ends_at": _("The day is shorter than one slot.")})
    audit(
        action="recruitment.interviews.day_added",
        obj=interview_day,
        actor=actor,
        program=plan.round.program,
        changes={"date": day, "from": starts_at, "to": ends_at},
    )
    return interview_day


@transaction.atomic
def day_delete(*, day: InterviewDay, actor: Any = None) -> None:
    plan = day.plan
    removed = {slot.id for slot in slots_of(plan, [day])}
    Interview.objects.filter(
        request__application__cohort=plan.round.cohort, slot__in=removed
    ).delete()
    Unavailability.objects.filter(plan=plan, slot__in=removed).delete()
    audit(
        action="recruitment.interviews.day_removed",
        obj=day,
        actor=actor,
        program=plan.round.program,
    )
    day.delete()


@transaction.atomic
def unavailability_set(
    *,
    plan: InterviewPlan,
    slot_ids: list[str],
    organisation: Organisation | None = None,
    application: Application | None = None,
    actor: Any = None,
) -> None:
    """Replace one party's unavailable slots."""
    if (organisation is None) == (application is None):
        raise ValidationError({"party": _("Choose a host or a candidate.")})
    known = {slot.id for slot in slots_of(plan)}
    unknown = [slot for slot in slot_ids if slot not in known]
    if unknown:
        raise ValidationError({"slots": _("Unknown slot: %(slot)s") % {"slot": unknown[0]}})
    party: dict[str, Any] = (
        {"organisation": organisation} if organisation else {"application": application}
    )
    Unavailability.objects.filter(plan=plan, **party).delete()
    Unavailability.objects.bulk_create(
        Unavailability(plan=plan, slot=slot, **party) for slot in sorted(set(slot_ids))
    )
    audit(
        action="recruitment.interviews.unavailability_set",
        obj=plan,
        actor=actor,
        program=plan.round.program,
        changes={"party": str(organisation or application), "slots": len(slot_ids)},
    )


def requests_of(round_: Round) -> list[InterviewRequest]:
    return list(
        InterviewRequest.objects.filter(
            application__cohort=round_.cohort,
            application__withdrawn_at__isnull=True,
            application__closed_at__isnull=True,
        )
        .select_related("application", "organisation")
        .order_by("pk")
    )


def host_key(organisation_id: int) -> str:
    return f"h{organisation_id}"


def candidate_key(application_id: int) -> str:
    return f"c{application_id}"


def instance_of(plan: InterviewPlan) -> dict[str, Any]:
    """The scheduler instance (the JSON contract of ``schedule-interviews``)."""
    slots = slots_of(plan)
    requests = [
        {
            "id": f"r{request.pk}",
            "host": host_key(request.organisation_id),
            "candidate": candidate_key(request.application_id),
        }
        for request in requests_of(plan.round)
    ]
    # The scheduler refuses unknown parties and slots (a typo in a file must not pass);
    # here a stored unavailability may outlive its request or a removed day, so only the
    # rows that still concern this instance go in.
    parties = {request[role] for request in requests for role in ("host", "candidate")}
    slot_ids = {slot.id for slot in slots}
    unavailable: dict[str, list[str]] = {}
    for row in Unavailability.objects.filter(plan=plan).order_by("slot"):
        key = (
            host_key(row.organisation_id)
            if row.organisation_id
            else candidate_key(row.application_id or 0)
        )
        if key in parties and row.slot in slot_ids:
            unavailable.setdefault(key, []).append(row.slot)
    instance: dict[str, Any] = {
        "slots": [
            {"id": slot.id, "day": slot.day.isoformat(), "start": slot.start.strftime("%H:%M")}
            for slot in slots
        ],
        "requests": requests,
        "unavailable": unavailable,
        "rules": {
            "candidate_break_slots": plan.candidate_break_slots,
            "max_per_candidate_per_day": plan.max_per_candidate_per_day,
        },
    }
    if plan.rooms is not None:
        instance["rooms"] = plan.rooms
    return instance


@transaction.atomic
def schedule_run(
    *, plan: InterviewPlan, time_limit: float = 10.0, actor: Any = None
) -> dict[str, Any]:
    """Run the scheduler and replace the stored interviews with its result."""
    from traineenett.recruitment.scheduler import InstanceError, solve

    slots = {slot.id: slot for slot in slots_of(plan)}
    if not slots:
        raise ValidationError({"days": _("Add at least one recruitment day first.")})
    instance = instance_of(plan)
    if not instance["requests"]:
        raise ValidationError({"days": _("No host has asked to interview anyone yet.")})
    try:
        result = solve(instance, time_limit=time_limit)
    except InstanceError as error:
        raise ValidationError({"days": error.messages}) from error
    Interview.objects.filter(request__application__cohort=plan.round.cohort).delete()
    requests = {f"r{r.pk}": r for r in requests_of(plan.round)}
    Interview.objects.bulk_create(
        Interview(
            request=requests[request_id],
            slot=slot_id,
            starts_at=slots[slot_id].starts_at,
            ends_at=slots[slot_id].ends_at,
        )
        for request_id, slot_id in result["schedule"].items()
    )
    plan.last_status = result["status"]
    plan.last_seconds = result["seconds"]
    plan.last_run_at = timezone.now()
    plan.save(update_fields=["last_status", "last_seconds", "last_run_at"])
    audit(
        action="recruitment.interviews.scheduled",
        obj=plan,
        actor=actor,
        program=plan.round.program,
        changes={"status": result["status"], "placed": result["placed"]},
    )
    return result


def unplaced_reasons(
    plan: InterviewPlan, result: dict[str, Any]
) -> list[tuple[InterviewRequest, str]]:
    requests = {f"r{r.pk}": r for r in requests_of(plan.round)}
    return [
        (requests[item["request"]], item["reason"])
        for item in result.get("unplaced", [])
        if item["request"] in requests
    ]


def calendar_events(
    interviews: list[Interview], *, for_candidate: bool, location: str
) -> list[CalendarEvent]:
    events = []
    for interview in interviews:
        request = interview.request
        summary = (
            _("Interview with %(organisation)s") % {"organisation": request.organisation.name}
            if for_candidate
            else _("Interview: %(candidate)s") % {"candidate": request.application.full_name}
        )
        events.append(
            CalendarEvent(
                uid=f"interview-{request.pk}@traineenett",
                start=interview.starts_at,
                end=interview.ends_at,
                summary=summary,
                location=location,
            )
        )
    return events
