"""Fee schedules, and adapting them and the placements to the pure fee calculation."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traineenett.cohorts.models import Placement
from traineenett.core.audit import audit
from traineenett.core.models import Program
from traineenett.finance import fees
from traineenett.finance.models import (
    FeeKind,
    FeeRule,
    FeeSchedule,
)
from traineenett.finance.services.common import short_date as _short
from traineenett.members.models import Membership, Organisation

# ------------------------------------------------------------------------- fee schedules


@transaction.atomic
def fee_schedule_create(
    *, program: Program, name: str, starts_on: date, ends_on: date, actor: Any = None
) -> FeeSchedule:
    """A fee schedule for a span of dates. Schedules of a programme may not overlap."""
    Program.objects.select_for_update().filter(pk=program.pk).first()
    schedule = FeeSchedule(program=program, name=name, starts_on=starts_on, ends_on=ends_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date must be on or after the start date.")})
    schedule.full_clean()
    clash = FeeSchedule.objects.filter(
        program=program, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).first()
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": _(
                    "This period overlaps the fee schedule “%(name)s” (%(start)s–%(end)s); "
                    "fee schedules of a programme may not overlap."
                )
                % {
                    "name": clash.name,
                    "start": _short(clash.starts_on),
                    "end": _short(clash.ends_on),
                }
            }
        )
    schedule.save()
    audit(
        action="finance.fee_schedule.created",
        obj=schedule,
        actor=actor,
        program=program,
        changes={"name": name, "starts_on": starts_on, "ends_on": ends_on},
    )
    return schedule


@transaction.atomic
def fee_rule_add(*, schedule: FeeSchedule, data: dict[str, Any], actor: Any = None) -> FeeRule:
    """Add a fee to a schedule. Amounts are never negative; a tier and a condition only
    make sense for an annual fee."""
    amount = data.get("amount")
    if amount is not None and Decimal(amount) < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    rule = FeeRule(schedule=schedule, **data)
    if rule.kind != FeeKind.ANNUAL:
        rule.tier = ""
        rule.condition = "any"
    rule.full_clean()
    rule.save()
    audit(
        action="finance.fee.added",
        obj=rule,
        actor=actor,
        program=schedule.program,
        changes={"schedule": schedule.name, "kind": rule.kind, "amount": rule.amount},
    )
    return rule


@transaction.atomic
def fee_rule_delete(*, rule: FeeRule, actor: Any = None) -> None:
    audit(
        action="finance.fee.deleted",
        obj=rule,
        actor=actor,
        program=rule.schedule.program,
        changes={"schedule": rule.schedule.name, "amount": rule.amount},
    )
    rule.delete()


# ---------------------------------------------------------------------- fee calculation


def _pure_schedules(program: Program, period: tuple[date, date]) -> list[fees.Schedule]:
    schedules = FeeSchedule.objects.filter(
        program=program, starts_on__lte=period[1], ends_on__gte=period[0]
    ).prefetch_related("rules")
    return [
        fees.Schedule(
            schedule.starts_on,
            schedule.ends_on,
            tuple(
                fees.FeeRule(
                    kind=rule.kind,
                    amount=rule.amount,
                    vat_percent=Decimal(rule.vat_rate),
                    description=rule.description,
                    tier=rule.tier,
                    condition=rule.condition,
                )
                for rule in schedule.rules.all()
            ),
        )
        for schedule in schedules
    ]


def placements_in(
    program: Program, period: tuple[date, date], organisation_ids: Iterable[int] | None = None
) -> list[Placement]:
    placements = Placement.objects.filter(
        trainee__program=program,
        period__starts_on__lte=period[1],
        period__ends_on__gte=period[0],
    ).select_related("trainee", "trainee__cohort", "trainee__employer", "period", "organisation")
    if organisation_ids is not None:
        placements = placements.filter(organisation_id__in=list(organisation_ids))
    return list(placements.order_by("period__starts_on", "trainee__last_name", "pk"))


def fee_lines_for(
    program: Program, organisation: Organisation, period: tuple[date, date]
) -> list[fees.Line]:
    """Adapt the ORM rows to ``fees.fee_lines`` for one member and period."""
    terms = [
        fees.MemberTerm(m.fee_tier, m.starts_on, m.ends_on)
        for m in Membership.objects.filter(program=program, organisation=organisation)
    ]
    schedules = _pure_schedules(program, period)
    # The annual "with/without trainee" condition looks at the whole schedule span.
    widest = (
        min([period[0], *(s.starts_on for s in schedules)]),
        max([period[1], *(s.ends_on for s in schedules)]),
    )
    stays = [
        fees.Stay(p.trainee.full_name, p.period.starts_on, p.period.ends_on, p.share_percent)
        for p in placements_in(program, widest, [organisation.pk])
    ]
    return fees.fee_lines(schedules=schedules, terms=terms, stays=stays, period=period)
