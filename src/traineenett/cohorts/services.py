"""Writes for cohorts, periods, trainees and placements."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from traineenett.cohorts.calendar import add_months, overlaps, rotation_periods
from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import EmploymentModel, Program
from traineenett.members.models import Membership, Organisation


def default_cohort_end(program: Program, starts_on: date) -> date:
    months = program.rotation_period_count * program.rotation_period_months
    return add_months(starts_on, months) - timedelta(days=1)


@transaction.atomic
def cohort_create(
    *,
    program: Program,
    label: str,
    starts_on: date,
    common_salary: Decimal,
    ends_on: date | None = None,
    actor: Any = None,
) -> Cohort:
    """Create a cohort with its rotation periods derived from the programme's settings."""
    cohort = Cohort(
        program=program,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on or default_cohort_end(program, starts_on),
        common_salary=common_salary,
    )
    if cohort.ends_on <= cohort.starts_on:
        raise ValidationError({"ends_on": _("The end must be after the start.")})
    cohort.full_clean()
    cohort.save()
    spans = rotation_periods(
        starts_on, program.rotation_period_count, program.rotation_period_months
    )
    Period.objects.bulk_create(
        Period(cohort=cohort, number=number, starts_on=start, ends_on=min(end, cohort.ends_on))
        for number, (start, end) in enumerate(spans, start=1)
        if start <= cohort.ends_on
    )
    audit(
        action="cohorts.cohort.created",
        obj=cohort,
        actor=actor,
        program=program,
        changes={"label": label, "starts_on": starts_on, "ends_on": cohort.ends_on},
    )
    return cohort


@transaction.atomic
def cohort_update(*, cohort: Cohort, data: dict[str, Any], actor: Any = None) -> Cohort:
    changes = changed_fields(cohort, data)
    if cohort.ends_on <= cohort.starts_on:
        raise ValidationError({"ends_on": _("The end must be after the start.")})
    cohort.full_clean()
    cohort.save()
    if changes:
        audit(
            action="cohorts.cohort.updated",
            obj=cohort,
            actor=actor,
            program=cohort.program,
            changes=changes,
        )
    return cohort


@transaction.atomic
def periods_update(
    *, cohort: Cohort, spans: dict[int, tuple[date, date]], actor: Any = None
) -> None:
    """Set the start and end of the cohort's periods (by number). Periods may not overlap,
    end before they start, or lie outside the cohort."""
    errors: dict[str, list[str]] = {}
    ordered = sorted(spans.items())
    for number, (start, end) in ordered:
        if end < start:
            errors.setdefault(f"period_{number}", []).append(_("The period ends before it starts."))
        if start < cohort.starts_on or end > cohort.ends_on:
            errors.setdefault(f"period_{number}", []).append(
                _("The period must lie within the cohort.")
            )
    for (number, span), (_next_number, next_span) in pairwise(ordered):
        if overlaps(span, next_span):
            errors.setdefault(f"period_{number}", []).append(_("The period overlaps the next one."))
    if errors:
        raise ValidationError(errors)
    periods = {period.number: period for period in cohort.periods.all()}
    changes = {}
    for number, (start, end) in ordered:
        period = periods[number]
        if (period.starts_on, period.ends_on) != (start, end):
            changes[f"P{number}"] = [f"{period.starts_on}–{period.ends_on}", f"{start}–{end}"]
            period.starts_on, period.ends_on = start, end
            period.save(update_fields=["starts_on", "ends_on"])
    if changes:
        audit(
            action="cohorts.periods.updated",
            obj=cohort,
            actor=actor,
            program=cohort.program,
            changes=changes,
        )


@transaction.atomic
def trainee_create(*, cohort: Cohort, data: dict[str, Any], actor: Any = None) -> Trainee:
    trainee = Trainee(program=cohort.program, cohort=cohort, **data)
    trainee.email = trainee.email.strip().lower()
    _check_trainee(trainee)
    trainee.save()
    audit(
        action="cohorts.trainee.created",
        obj=trainee,
        actor=actor,
        program=cohort.program,
        changes={"cohort": cohort.label, "discipline": trainee.discipline},
    )
    return trainee


@transaction.atomic
def trainee_update(*, trainee: Trainee, data: dict[str, Any], actor: Any = None) -> Trainee:
    changes = changed_fields(trainee, data)
    _check_trainee(trainee)
    trainee.save()
    if changes:
        audit(
            action="cohorts.trainee.updated",
            obj=trainee,
            actor=actor,
            program=trainee.program,
            changes=changes,
        )
    return trainee


def _check_trainee(trainee: Trainee) -> None:
    trainee.full_clean()
    if trainee.cohort.program_id != trainee.program_id:
        raise ValidationError({"cohort": _("Choose a cohort of this programme.")})
    if (
        trainee.employer_id
        and not Membership.objects.filter(
            program_id=trainee.program_id, organisation_id=trainee.employer_id
        ).exists()
    ):
        raise ValidationError({"employer": _("The employer must be a member of the programme.")})


def _check_placement(placement: Placement) -> None:
    trainee, period, organisation = placement.trainee, placement.period, placement.organisation
    if period.cohort_id != trainee.cohort_id:
        raise ValidationError({"period": _("Choose one of the periods of the trainee's cohort.")})
    membership_in_period = Membership.objects.filter(
        program_id=trainee.program_id, organisation=organisation, starts_on__lte=period.ends_on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
    if not membership_in_period.exists():
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s is not a member of the programme during %(period)s."
                )
                % {"organisation": organisation.name, "period": period.label}
            }
        )
    others = (
        Placement.objects.filter(trainee=trainee)
        .exclude(pk=placement.pk)
        .select_related("period", "organisation")
    )
    for other in others:
        if other.organisation_id == organisation.pk:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s already hosts this trainee in %(period)s; "
                        "a rotation visits each organisation once."
                    )
                    % {"organisation": organisation.name, "period": other.period.label}
                }
            )
    overlapping = [
        other
        for other in others
        if overlaps(
            (other.period.starts_on, other.period.ends_on), (period.starts_on, period.ends_on)
        )
    ]
    if not overlapping:
        return
    shared = trainee.program.employment_model == EmploymentModel.SHARED
    share_total = placement.share_percent + sum(other.share_percent for other in overlapping)
    if shared and share_total <= 100:
        return
    other = overlapping[0]
    if shared:
        message = _(
            "Together with %(organisation)s in %(period)s the shares add up to %(total)s %%; at most 100 %%."
        ) % {
            "organisation": other.organisation.name,
            "period": other.period.label,
            "total": share_total,
        }
        raise ValidationError({"share_percent": message})
    raise ValidationError(
        {
            "period": _("This overlaps the trainee's placement at %(organisation)s in %(period)s.")
            % {"organisation": other.organisation.name, "period": other.period.label}
        }
    )


@transaction.atomic
def placement_create(
    *,
    trainee: Trainee,
    period: Period,
    organisation: Organisation,
    mentor: str = "",
    share_percent: int = 100,
    actor: Any = None,
) -> Placement:
    """Place a trainee at a host organisation for a period. Raises ValidationError on the
    field at fault: a period of another cohort, a host that is not a member then, the same
    host twice in one rotation, or an overlap with another placement."""
    # Lock the trainee so two coordinators cannot place them twice at the same moment.
    Trainee.objects.select_for_update().filter(pk=trainee.pk).first()
    placement = Placement(
        trainee=trainee,
        period=period,
        organisation=organisation,
        mentor=mentor,
        share_percent=share_percent,
    )
    placement.full_clean(validate_constraints=False)
    _check_placement(placement)
    placement.save()
    audit(
        action="cohorts.placement.created",
        obj=placement,
        actor=actor,
        program=trainee.program,
        changes={"organisation": organisation.name, "period": period.label},
    )
    return placement


@transaction.atomic
def placement_update(*, placement: Placement, data: dict[str, Any], actor: Any = None) -> Placement:
    Trainee.objects.select_for_update().filter(pk=placement.trainee_id).first()
    changes = changed_fields(placement, data)
    placement.full_clean(validate_constraints=False)
    _check_placement(placement)
    placement.save()
    if changes:
        audit(
            action="cohorts.placement.updated",
            obj=placement,
            actor=actor,
            program=placement.trainee.program,
            changes=changes,
        )
    return placement


@transaction.atomic
def placement_delete(*, placement: Placement, actor: Any = None) -> None:
    audit(
        action="cohorts.placement.deleted",
        obj=placement,
        actor=actor,
        program=placement.trainee.program,
        changes={"organisation": placement.organisation.name, "period": placement.period.label},
    )
    placement.delete()
