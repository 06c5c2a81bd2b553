"""Reads for rotation planning, always starting from the programme."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.core.models import Program
from traineenett.members.models import Organisation
from traineenett.rotation.building import host_id, period_id, pk_of, trainee_id
from traineenett.rotation.models import (
    ForbiddenPair,
    HostOffer,
    Rating,
    RotationPlan,
    RotationSettings,
    Wish,
)


def settings_for(program: Program) -> RotationSettings:
    """The programme's rotation settings, created with the defaults on first use."""
    found, _created = RotationSettings.objects.get_or_create(program=program)
    return found


def cohorts_for_planning(program: Program) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(program=program)
        .annotate(
            trainee_count=Count("trainees", distinct=True),
            plan_count=Count("rotation_plans", distinct=True),
        )
        .order_by("-starts_on")
    )


def plan_of_program(program: Program, pk: int) -> RotationPlan:
    plan = (
        RotationPlan.objects.filter(program=program, pk=pk)
        .select_related("cohort", "created_by", "previous_plan")
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def forbidden_pair_of_program(program: Program, pk: int) -> ForbiddenPair:
    pair = (
        ForbiddenPair.objects.filter(trainee__program=program, pk=pk)
        .select_related("trainee", "trainee__cohort", "organisation")
        .first()
    )
    if pair is None:
        raise Http404
    return pair


def plans_of_cohort(cohort: Cohort) -> QuerySet[RotationPlan]:
    return RotationPlan.objects.filter(cohort=cohort).select_related("created_by")


def published_plan(cohort: Cohort) -> RotationPlan | None:
    return (
        RotationPlan.objects.filter(cohort=cohort, status=RotationPlan.Status.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def offers_of_cohort(cohort: Cohort) -> dict[int, HostOffer]:
    return {
        offer.organisation_id: offer
        for offer in HostOffer.objects.filter(cohort=cohort).select_related("organisation")
    }


def offering_organisations(cohort: Cohort) -> list[Organisation]:
    """The organisations with at least one place for this cohort, by name."""
    return [
        offer.organisation
        for offer in offers_of_cohort(cohort).values()
        if any(int(v) > 0 for v in offer.places.values())
    ]


def forbidden_pairs_of_cohort(cohort: Cohort) -> QuerySet[ForbiddenPair]:
    return (
        ForbiddenPair.objects.filter(trainee__cohort=cohort)
        .select_related("trainee", "organisation")
        .order_by("trainee__last_name", "trainee__first_name", "organisation__name")
    )


def wishes_of(trainee: Trainee) -> dict[int, int]:
    """Rank → organisation id."""
    return dict(Wish.objects.filter(trainee=trainee).values_list("rank", "organisation_id"))


def wishes_by_trainee(cohort: Cohort) -> dict[int, list[Wish]]:
    found: dict[int, list[Wish]] = {}
    for wish in (
        Wish.objects.filter(trainee__cohort=cohort).select_related("organisation").order_by("rank")
    ):
        found.setdefault(wish.trainee_id, []).append(wish)
    return found


def own_trainee_records(program: Program, user_id: int | None) -> list[Trainee]:
    """A trainee user's own records in this programme, newest cohort first."""
    if user_id is None:
        return []
    return list(
        Trainee.objects.filter(program=program, user_id=user_id)
        .select_related("cohort")
        .order_by("-cohort__starts_on")
    )


@dataclass
class RatingSheet:
    """One host organisation's ratings of one cohort's trainees."""

    organisation: Organisation
    cohort: Cohort
    trainees: list[Trainee]
    scores: dict[int, int]


def rating_sheets(program: Program, organisation_ids: Iterable[int]) -> list[RatingSheet]:
    """The cohorts a host offers places to, with the trainees it may rate (in 3 queries)."""
    offers = list(
        HostOffer.objects.filter(
            cohort__program=program, organisation_id__in=list(organisation_ids)
        )
        .select_related("organisation", "cohort")
        .order_by("-cohort__starts_on", "organisation__name")
    )
    offers = [o for o in offers if any(int(v) > 0 for v in o.places.values())]
    cohort_ids = {o.cohort_id for o in offers}
    trainees: dict[int, list[Trainee]] = {}
    for trainee in Trainee.objects.filter(cohort_id__in=cohort_ids).order_by(
        "last_name", "first_name"
    ):
        trainees.setdefault(trainee.cohort_id, []).append(trainee)
    scores: dict[tuple[int, int], int] = {}
    for org, trainee_pk, score in Rating.objects.filter(
        organisation_id__in=[o.organisation_id for o in offers], trainee__cohort_id__in=cohort_ids
    ).values_list("organisation_id", "trainee_id", "score"):
        scores[(org, trainee_pk)] = score
    return [
        RatingSheet(
            organisation=offer.organisation,
            cohort=offer.cohort,
            trainees=trainees.get(offer.cohort_id, []),
            scores={
                t.pk: scores[(offer.organisation_id, t.pk)]
                for t in trainees.get(offer.cohort_id, [])
                if (offer.organisation_id, t.pk) in scores
            },
        )
        for offer in offers
    ]


def rating_sheet(
    program: Program, organisation_ids: Iterable[int], *, organisation_pk: int, cohort_pk: int
) -> RatingSheet:
    for sheet in rating_sheets(program, organisation_ids):
        if sheet.organisation.pk == organisation_pk and sheet.cohort.pk == cohort_pk:
            return sheet
    raise Http404


# ------------------------------------------------------------------------- plan review


@dataclass
class ReviewRow:
    trainee_id: str
    name: str
    discipline: str
    cells: list[str]  # host names per period
    host_ids: list[str]
    changed: list[bool]  # differs from the current placement
    utility: int
    wish_ranks: list[int]  # which of the trainee's wishes were met
    present: bool = True

    @property
    def cells_changed(self) -> list[tuple[str, bool]]:
        return list(zip(self.cells, self.changed, strict=True))


@dataclass
class PlanReview:
    periods: list[str]
    rows: list[ReviewRow]
    host_names: dict[str, str]
    trainee_names: dict[str, str]
    got_rank: dict[int, int] = field(default_factory=dict)  # rank → trainees who got it
    no_wish_met: int = 0
    differs: int = 0
    district_share: float | None = None
    district_placements: int = 0
    total_placements: int = 0
    objective: int = 0
    min_utility: int = 0

    @property
    def district_percent(self) -> int | None:
        if self.district_share is None:
            return None
        return round(100 * self.district_share)


def names_for(instance: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Display names of the instance's hosts and trainees (two queries)."""
    host_pks = [pk_of(h["id"]) for h in instance.get("hosts", [])]
    trainee_pks = [pk_of(t["id"]) for t in instance.get("trainees", [])]
    host_names = {
        host_id(pk): name
        for pk, name in Organisation.objects.filter(pk__in=host_pks).values_list("pk", "name")
    }
    trainee_names = {
        trainee_id(pk): f"{first} {last}"
        for pk, first, last in Trainee.objects.filter(pk__in=trainee_pks).values_list(
            "pk", "first_name", "last_name"
        )
    }
    for host in instance.get("hosts", []):
        host_names.setdefault(host["id"], host["id"])
    for trainee in instance.get("trainees", []):
        trainee_names.setdefault(trainee["id"], trainee["id"])
    return host_names, trainee_names


def plan_totals(instance: dict[str, Any], assignment: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Objective, smallest per-trainee utility and district share of an assignment."""
    utilities = {t["id"]: t.get("utility", {}) for t in instance.get("trainees", [])}
    district = {h["id"] for h in instance.get("hosts", []) if h.get("district")}
    sums = [
        sum(int(utilities.get(tid, {}).get(h, 0)) for h in row.values())
        for tid, row in assignment.items()
    ]
    cells = [h for row in assignment.values() for h in row.values()]
    return {
        "objective": sum(sums),
        "min_trainee_utility": min(sums) if sums else 0,
        "district_share": (sum(1 for h in cells if h in district) / len(cells)) if cells else 0.0,
    }


def current_assignment(cohort: Cohort) -> dict[str, dict[str, str]]:
    """The cohort's placements now, as an assignment (first placement per period)."""
    found: dict[str, dict[str, str]] = {}
    for trainee_pk, number, organisation_pk in (
        Placement.objects.filter(trainee__cohort=cohort, period__cohort=cohort)
        .order_by("period__number", "-share_percent", "pk")
        .values_list("trainee_id", "period__number", "organisation_id")
    ):
        found.setdefault(trainee_id(trainee_pk), {}).setdefault(
            period_id(number), host_id(organisation_pk)
        )
    return found


def plan_review(plan: RotationPlan) -> PlanReview:
    """What the plan gives each trainee, compared with the cohort's current placements."""
    instance = plan.instance
    periods = list(instance.get("periods", []))
    host_names, trainee_names = names_for(instance)
    assignment: dict[str, dict[str, str]] = (plan.plan or {}).get("assignment") or {}
    current = current_assignment(plan.cohort)
    trainee_pks = [pk_of(t["id"]) for t in instance.get("trainees", [])]
    disciplines = dict(Trainee.objects.filter(pk__in=trainee_pks).values_list("pk", "discipline"))
    wishes: dict[str, dict[str, int]] = {}
    for trainee_pk, organisation_pk, rank in Wish.objects.filter(
        trainee_id__in=trainee_pks
    ).values_list("trainee_id", "organisation_id", "rank"):
        wishes.setdefault(trainee_id(trainee_pk), {})[host_id(organisation_pk)] = rank
    utilities = {t["id"]: t.get("utility", {}) for t in instance.get("trainees", [])}
    review = PlanReview(
        periods=periods, rows=[], host_names=host_names, trainee_names=trainee_names
    )
    for trainee in instance.get("trainees", []):
        tid = trainee["id"]
        row = assignment.get(tid, {})
        hosts = [row.get(p, "") for p in periods]
        ranks = sorted(wishes.get(tid, {})[h] for h in set(hosts) if h in wishes.get(tid, {}))
        for rank in ranks:
            review.got_rank[rank] = review.got_rank.get(rank, 0) + 1
        if wishes.get(tid) and not ranks:
            review.no_wish_met += 1
        changed = [
            bool(h) and current.get(tid, {}).get(p) != h
            for p, h in zip(periods, hosts, strict=True)
        ]
        review.differs += sum(changed)
        review.rows.append(
            ReviewRow(
                trainee_id=tid,
                name=trainee_names[tid],
                discipline=disciplines.get(pk_of(tid), ""),
                cells=[host_names.get(h, "–") if h else "–" for h in hosts],
                host_ids=hosts,
                changed=changed,
                utility=sum(int(utilities[tid].get(h, 0)) for h in hosts if h),
                wish_ranks=ranks,
                present=pk_of(tid) in disciplines,
            )
        )
    review.rows.sort(key=lambda r: [*r.name.split(" ")[-1:], r.name])
    if assignment:
        totals = plan_totals(instance, assignment)
        review.objective = totals["objective"]
        review.min_utility = totals["min_trainee_utility"]
        district = {h["id"] for h in instance.get("hosts", []) if h.get("district")}
        cells = [h for row in assignment.values() for h in row.values()]
        review.total_placements = len(cells)
        review.district_placements = sum(1 for h in cells if h in district)
        review.district_share = totals["district_share"]
    return review


def organisations_by_pk(pks: Iterable[int]) -> dict[int, Organisation]:
    return {o.pk: o for o in Organisation.objects.filter(pk__in=list(pks))}


def placements_query(cohort: Cohort) -> QuerySet[Placement]:
    return Placement.objects.filter(Q(trainee__cohort=cohort) & Q(period__cohort=cohort))
