"""Writes for rotation planning: places, wishes, ratings, conflicts, weights and plans."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from traineenett.cohorts import services as cohort_services
from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.core.audit import audit, changed_fields
from traineenett.core.models import Municipality, Program
from traineenett.members.models import Organisation
from traineenett.members.selectors import member_organisations
from traineenett.rotation import selectors
from traineenett.rotation.building import (
    KEEP_STARTED,
    BuildOptions,
    cohort_instance,
    period_id,
    pk_of,
    trainee_id,
)
from traineenett.rotation.models import (
    MAX_RATING,
    MAX_WISHES,
    ForbiddenPair,
    HostOffer,
    Rating,
    RotationPlan,
    RotationSettings,
    Wish,
)

# Cohorts with more trainees than this are solved in a background thread.
DEFAULT_INLINE_TRAINEES = 40


def inline_limit() -> int:
    return int(getattr(django_settings, "ROTATION_INLINE_TRAINEES", DEFAULT_INLINE_TRAINEES))


# ---------------------------------------------------------------------------- settings


@transaction.atomic
def settings_update(
    *,
    program: Program,
    data: dict[str, Any],
    district_municipalities: list[Municipality],
    actor: Any = None,
) -> RotationSettings:
    """Change the weights of the utility formula, the move penalty and the districts."""
    found = selectors.settings_for(program)
    changes = changed_fields(found, data)
    found.full_clean(exclude=["program"])
    found.save()
    before = set(found.district_municipalities.values_list("number", flat=True))
    after = {m.number for m in district_municipalities}
    if before != after:
        found.district_municipalities.set(district_municipalities)
        changes["district_municipalities"] = [sorted(before), sorted(after)]
    if changes:
        audit(
            action="rotation.settings.updated",
            obj=found,
            actor=actor,
            program=program,
            changes=changes,
        )
    return found


# ------------------------------------------------------------------------------ places


@transaction.atomic
def offers_set(
    *,
    cohort: Cohort,
    rows: dict[int, tuple[dict[int, int], str]],
    actor: Any = None,
) -> int:
    """Set hosts' places per period (organisation id → ({period number: places},
    disciplines)). A host with no places and no disciplines is removed. Returns the
    number of hosts with places."""
    members = set(member_organisations(cohort.program).values_list("pk", flat=True))
    numbers = set(cohort.periods.values_list("number", flat=True))
    errors: dict[str, list[str]] = {}
    for organisation_pk, (places, _disciplines) in rows.items():
        if organisation_pk not in members:
            errors.setdefault("__all__", []).append(
                _("Organisation %(id)s is not a member of the programme.") % {"id": organisation_pk}
            )
        for number, count in places.items():
            if number not in numbers:
                errors.setdefault("__all__", []).append(
                    _("The cohort has no period P%(number)s.") % {"number": number}
                )
            if count < 0:
                errors.setdefault(f"places_{organisation_pk}_{number}", []).append(
                    _("Places cannot be negative.")
                )
    if errors:
        raise ValidationError(errors)
    existing = selectors.offers_of_cohort(cohort)
    offered = 0
    for organisation_pk, (places, disciplines) in rows.items():
        clean = {str(n): int(c) for n, c in sorted(places.items()) if c}
        offer = existing.get(organisation_pk)
        if not clean and not disciplines.strip():
            if offer is not None:
                offer.delete()
            continue
        offered += bool(clean)
        if offer is None:
            HostOffer.objects.create(
                cohort=cohort,
                organisation_id=organisation_pk,
                places=clean,
                disciplines=disciplines.strip(),
            )
        elif offer.places != clean or offer.disciplines != disciplines.strip():
            offer.places, offer.disciplines = clean, disciplines.strip()
            offer.source = HostOffer.Source.MANUAL
            offer.save(update_fields=["places", "disciplines", "source", "updated_at"])
    audit(
        action="rotation.places.updated",
        obj=cohort,
        actor=actor,
        program=cohort.program,
        changes={"hosts_with_places": offered},
    )
    return offered


def host_needs_available() -> bool:
    try:
        from traineenett.recruitment.selectors import host_needs  # noqa: F401
    except ImportError:
        return False
    return True


@transaction.atomic
def offers_import(*, cohort: Cohort, actor: Any = None) -> int:
    """Replace the cohort's places with the hosts' needs from the competence-needs round.
    Returns the number of hosts imported."""
    try:
        from traineenett.recruitment.selectors import host_needs
    except ImportError as error:
        raise ValidationError(_("The competence-needs round is not available.")) from error
    needs = list(host_needs(cohort))
    if not needs:
        raise ValidationError(_("The competence-needs round has no needs for this cohort."))
    numbers = set(cohort.periods.values_list("number", flat=True))
    members = set(member_organisations(cohort.program).values_list("pk", flat=True))
    merged: dict[int, tuple[dict[str, int], list[str]]] = {}
    for need in needs:
        if need.organisation_id not in members:
            continue
        places, disciplines = merged.setdefault(need.organisation_id, ({}, []))
        for number in need.period_numbers:
            if number in numbers:
                places[str(number)] = places.get(str(number), 0) + int(need.places)
        for discipline in need.disciplines:
            if discipline not in disciplines:
                disciplines.append(discipline)
    HostOffer.objects.filter(cohort=cohort, organisation_id__in=list(merged)).delete()
    HostOffer.objects.bulk_create(
        HostOffer(
            cohort=cohort,
            organisation_id=organisation_pk,
            places=dict(sorted(places.items())),
            disciplines=", ".join(disciplines),
            source=HostOffer.Source.IMPORTED,
        )
        for organisation_pk, (places, disciplines) in merged.items()
    )
    audit(
        action="rotation.places.imported",
        obj=cohort,
        actor=actor,
        program=cohort.program,
        changes={"hosts": len(merged)},
    )
    return len(merged)


# ------------------------------------------------------------------- wishes and ratings


@transaction.atomic
def wishes_set(
    *, trainee: Trainee, organisations: list[Organisation | None], actor: Any = None
) -> None:
    """Replace a trainee's ranked wishes (first entry = first choice; ``None`` = no wish
    at that rank). A host may be wished once; the hosts must be members."""
    if len(organisations) > MAX_WISHES:
        raise ValidationError(_("At most %(count)s wishes.") % {"count": MAX_WISHES})
    members = set(member_organisations(trainee.program).values_list("pk", flat=True))
    seen: set[int] = set()
    for rank, organisation in enumerate(organisations, start=1):
        if organisation is None:
            continue
        if organisation.pk not in members:
            raise ValidationError(
                {f"wish_{rank}": _("Choose a member organisation of the programme.")}
            )
        if organisation.pk in seen:
            raise ValidationError(
                {
                    f"wish_{rank}": _("%(host)s is already among the wishes.")
                    % {"host": organisation}
                }
            )
        seen.add(organisation.pk)
    Wish.objects.filter(trainee=trainee).delete()
    chosen = [(r, o) for r, o in enumerate(organisations, start=1) if o is not None]
    Wish.objects.bulk_create(Wish(trainee=trainee, organisation=o, rank=r) for r, o in chosen)
    audit(
        action="rotation.wishes.updated",
        obj=trainee,
        actor=actor,
        program=trainee.program,
        changes={f"wish_{r}": o.name for r, o in chosen},
    )


@transaction.atomic
def ratings_set(
    *,
    organisation: Organisation,
    cohort: Cohort,
    scores: dict[int, int | None],
    actor: Any = None,
) -> int:
    """Set a host's ratings (1–5; ``None`` removes a rating) of a cohort's trainees."""
    allowed = set(cohort.trainees.values_list("pk", flat=True))
    for trainee_pk, score in scores.items():
        if trainee_pk not in allowed:
            raise ValidationError(_("A trainee of another cohort cannot be rated here."))
        if score is not None and not 1 <= score <= MAX_RATING:
            raise ValidationError(
                {
                    f"rating_{trainee_pk}": _("Choose a rating from 1 to %(max)s.")
                    % {"max": MAX_RATING}
                }
            )
    existing = {
        r.trainee_id: r
        for r in Rating.objects.filter(organisation=organisation, trainee_id__in=allowed)
    }
    changed = 0
    for trainee_pk, score in scores.items():
        rating = existing.get(trainee_pk)
        if score is None:
            if rating is not None:
                rating.delete()
                changed += 1
        elif rating is None:
            Rating.objects.create(
                trainee_id=trainee_pk, organisation=organisation, score=score, rated_by=actor
            )
            changed += 1
        elif rating.score != score:
            rating.score, rating.rated_by = score, actor
            rating.save(update_fields=["score", "rated_by", "updated_at"])
            changed += 1
    if changed:
        audit(
            action="rotation.ratings.updated",
            obj=cohort,
            actor=actor,
            program=cohort.program,
            changes={"organisation": organisation.name, "changed": changed},
        )
    return changed


@transaction.atomic
def forbidden_add(
    *, trainee: Trainee, organisation: Organisation, reason: str, actor: Any = None
) -> ForbiddenPair:
    """Record a conflict of interest: ``trainee`` is never placed at ``organisation``."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the conflict of interest.")})
    if not member_organisations(trainee.program).filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("Choose a member organisation of the programme.")})
    if ForbiddenPair.objects.filter(trainee=trainee, organisation=organisation).exists():
        raise ValidationError({"organisation": _("This conflict of interest is already recorded.")})
    pair = ForbiddenPair.objects.create(
        trainee=trainee, organisation=organisation, reason=reason.strip(), created_by=actor
    )
    audit(
        action="rotation.conflict.created",
        obj=pair,
        actor=actor,
        program=trainee.program,
        changes={"trainee": trainee.full_name, "organisation": organisation.name},
    )
    return pair


@transaction.atomic
def forbidden_remove(*, pair: ForbiddenPair, actor: Any = None) -> None:
    audit(
        action="rotation.conflict.deleted",
        obj=pair,
        actor=actor,
        program=pair.trainee.program,
        changes={"trainee": pair.trainee.full_name, "organisation": pair.organisation.name},
    )
    pair.delete()


# ------------------------------------------------------------------------------- plans


@transaction.atomic
def plan_create(
    *,
    cohort: Cohort,
    options: BuildOptions,
    actor: Any = None,
    previous_plan: RotationPlan | None = None,
) -> RotationPlan:
    """Build the cohort's instance and store it as a new draft plan (not yet solved).
    With ``previous_plan`` (a published plan) this is a re-plan: its assignment becomes
    ``previous`` and every moved placement costs the programme's move penalty."""
    if options.objective not in ("total", "maximin"):
        raise ValidationError({"objective": _("Choose total or maximin.")})
    if options.min_district_share is not None and not 0 <= options.min_district_share <= 1:
        raise ValidationError({"min_district_share": _("Give a share between 0 and 100 %.")})
    previous = None
    if previous_plan is not None:
        if previous_plan.cohort_id != cohort.pk or not previous_plan.has_assignment:
            raise ValidationError(_("Re-plan from a solved plan of the same cohort."))
        previous = (previous_plan.plan or {}).get("assignment") or {}
    built = cohort_instance(
        cohort,
        selectors.settings_for(cohort.program),
        options,
        today=timezone.localdate(),
        previous=previous,
    )
    if built.trainee_count == 0:
        raise ValidationError(_("The cohort has no trainees to plan."))
    plan = RotationPlan.objects.create(
        program=cohort.program,
        cohort=cohort,
        instance=built.instance,
        options=options.as_json(),
        warnings=built.warnings,
        previous_plan=previous_plan,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(
        action="rotation.plan.replanned" if previous_plan else "rotation.plan.created",
        obj=plan,
        actor=actor,
        program=cohort.program,
        changes={
            "trainees": built.trainee_count,
            "hosts": built.host_count,
            "objective": options.objective,
        },
    )
    return plan


def plan_solve(*, plan: RotationPlan) -> RotationPlan:
    """Run the solver on the plan's instance and store the result (or the error)."""
    from traineenett.rotation.solver import InstanceError, solve

    RotationPlan.objects.filter(pk=plan.pk).update(
        solve_state=RotationPlan.SolveState.RUNNING, started_at=timezone.now()
    )
    plan.solve_state = RotationPlan.SolveState.RUNNING
    time_limit = float(plan.options.get("time_limit", 10.0))
    try:
        result = solve(plan.instance, time_limit=time_limit)
    except InstanceError as error:
        plan.solve_state, plan.error = RotationPlan.SolveState.FAILED, str(error)
    except Exception as error:
        plan.solve_state = RotationPlan.SolveState.FAILED
        plan.error = _("The solver stopped: %(error)s") % {"error": error}
    else:
        plan.plan, plan.solve_state = result, RotationPlan.SolveState.DONE
    plan.finished_at = timezone.now()
    plan.save(update_fields=["plan", "solve_state", "error", "finished_at"])
    return plan


def _solve_in_thread(plan_pk: int) -> None:
    close_old_connections()
    try:
        plan = RotationPlan.objects.get(pk=plan_pk)
        plan_solve(plan=plan)
    finally:
        connection.close()


def plan_start(*, plan: RotationPlan) -> threading.Thread | None:
    """Solve small cohorts now; start a background thread for large ones (returned, so
    a caller may wait for it). The plan row records the state either way."""
    if len(plan.instance.get("trainees", [])) <= inline_limit():
        plan_solve(plan=plan)
        return None
    thread = threading.Thread(target=_solve_in_thread, args=(plan.pk,), daemon=True)
    transaction.on_commit(thread.start)
    return thread


def _check(plan: RotationPlan, assignment: dict[str, dict[str, str]]) -> list[str]:
    from traineenett.rotation.solver import check

    return list(check(plan.instance, assignment))


def assignment_check(*, plan: RotationPlan, assignment: dict[str, dict[str, str]]) -> list[str]:
    """The rules an edited assignment breaks, in words (empty when it keeps them all)."""
    return _check(plan, assignment)


@transaction.atomic
def plan_assignment_update(
    *, plan: RotationPlan, assignment: dict[str, dict[str, str]], actor: Any = None
) -> RotationPlan:
    """Save a hand-edited assignment of a draft plan, if it keeps every rule."""
    plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != RotationPlan.Status.DRAFT or not plan.has_assignment:
        raise ValidationError(_("Only a solved draft plan can be edited."))
    problems = _check(plan, assignment)
    if problems:
        raise ValidationError(problems)
    before = (plan.plan or {}).get("assignment") or {}
    changed = sum(
        1
        for tid, row in assignment.items()
        for p, h in row.items()
        if before.get(tid, {}).get(p) != h
    )
    result = dict(plan.plan or {})
    result["assignment"] = assignment
    result.update(selectors.plan_totals(plan.instance, assignment))
    plan.plan, plan.edited = result, True
    plan.save(update_fields=["plan", "edited"])
    audit(
        action="rotation.plan.edited",
        obj=plan,
        actor=actor,
        program=plan.program,
        changes={"cells_changed": changed},
    )
    return plan


@transaction.atomic
def plan_publish(*, plan: RotationPlan, actor: Any = None) -> dict[str, int]:
    """Write the plan as the cohort's placements: unchanged placements are kept (with
    their mentors), changed ones replaced. All or nothing. Returns counts."""
    plan = RotationPlan.objects.select_for_update().select_related("cohort").get(pk=plan.pk)
    if plan.status != RotationPlan.Status.DRAFT or not plan.has_assignment:
        raise ValidationError(_("Only a solved draft plan can be published."))
    assignment: dict[str, dict[str, str]] = (plan.plan or {})["assignment"]
    problems = _check(plan, assignment)
    if problems:
        raise ValidationError(problems)
    cohort = plan.cohort
    periods = {period_id(p.number): p for p in cohort.periods.all()}
    trainees = {
        trainee_id(t.pk): t
        for t in Trainee.objects.filter(cohort=cohort, pk__in=[pk_of(tid) for tid in assignment])
    }
    organisations = selectors.organisations_by_pk(
        {pk_of(h) for row in assignment.values() for h in row.values()}
    )
    placements: dict[tuple[str, str], list[Placement]] = {}
    for placement in selectors.placements_query(cohort).select_related("period", "organisation"):
        key = (trainee_id(placement.trainee_id), period_id(placement.period.number))
        placements.setdefault(key, []).append(placement)
    kept = created = removed = 0
    to_create = []
    for tid, row in assignment.items():
        trainee = trainees.get(tid)
        if trainee is None:
            continue  # left the cohort since the plan was made
        for label, hid in row.items():
            existing = placements.get((tid, label), [])
            if len(existing) == 1 and existing[0].organisation_id == pk_of(hid):
                kept += 1
                continue
            for placement in existing:
                cohort_services.placement_delete(placement=placement, actor=actor)
                removed += 1
            to_create.append((trainee, periods[label], organisations[pk_of(hid)]))
    for trainee, period, organisation in to_create:
        try:
            cohort_services.placement_create(
                trainee=trainee, period=period, organisation=organisation, actor=actor
            )
        except ValidationError as error:
            raise ValidationError(
                _("%(name)s in %(period)s: %(problem)s")
                % {
                    "name": trainee.full_name,
                    "period": period.label,
                    "problem": " ".join(error.messages),
                }
            ) from error
        created += 1
    RotationPlan.objects.filter(cohort=cohort, status=RotationPlan.Status.PUBLISHED).update(
        status=RotationPlan.Status.SUPERSEDED
    )
    plan.status, plan.published_at = RotationPlan.Status.PUBLISHED, timezone.now()
    plan.save(update_fields=["status", "published_at"])
    counts = {"kept": kept, "created": created, "removed": removed}
    audit(
        action="rotation.plan.published",
        obj=plan,
        actor=actor,
        program=plan.program,
        changes=counts,
    )
    return counts


def replan_options(plan: RotationPlan, **overrides: Any) -> BuildOptions:
    """The options of a re-plan: those of ``plan``, keeping the periods that have begun."""
    base = BuildOptions.from_json(plan.options)
    data = base.as_json() | {"keep": KEEP_STARTED} | overrides
    return BuildOptions.from_json(data)
