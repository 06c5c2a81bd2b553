"""Rotation-planning objects for tests, made lazily around the shared ``World``."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory
from traineenett.cohorts.models import Cohort, Trainee
from traineenett.members.models import Organisation, Sector
from traineenett.rotation import services
from traineenett.rotation.building import KEEP_NONE, BuildOptions
from traineenett.rotation.models import ForbiddenPair, HostOffer, RotationPlan


def offer(
    cohort: Cohort, organisation: Organisation, places: list[int], disciplines: str = ""
) -> HostOffer:
    found, _ = HostOffer.objects.update_or_create(
        cohort=cohort,
        organisation=organisation,
        defaults={
            "places": {str(n): p for n, p in enumerate(places, start=1) if p},
            "disciplines": disciplines,
        },
    )
    return found


def public_host(w: World) -> Organisation:
    """A third member of programme A, in the public sector (Hamar kommune)."""
    found = Organisation.objects.filter(name="Hamar kommune").first()
    if found is None:
        found = OrganisationFactory(
            name="Hamar kommune", sector=Sector.PUBLIC, municipality_id="3403"
        )
        MembershipFactory(program=w.program, organisation=found)
    return found


def rotation_setup(w: World) -> list[Organisation]:
    """Places for three hosts (A, B private; a public one), one place each per period."""
    hosts = [w.organisation_a, w.organisation_b, public_host(w)]
    for host in hosts:
        offer(w.cohort, host, [1, 1, 1])
    return hosts


def solved_plan(w: World, **options: Any) -> RotationPlan:
    """A solved draft plan for the world's cohort (built once per world)."""
    found = RotationPlan.objects.filter(cohort=w.cohort, status=RotationPlan.Status.DRAFT).first()
    if found is not None:
        return found
    rotation_setup(w)
    plan = services.plan_create(
        cohort=w.cohort, options=BuildOptions(keep=KEEP_NONE, **options), actor=None
    )
    return services.plan_solve(plan=plan)


def forbidden_pair(w: World) -> ForbiddenPair:
    found = ForbiddenPair.objects.filter(trainee=w.trainee).first()
    return found or ForbiddenPair.objects.create(
        trainee=w.trainee, organisation=w.organisation_b, reason="Sister works there"
    )


def other_plan(w: World) -> RotationPlan:
    found = RotationPlan.objects.filter(cohort=w.other_cohort).first()
    return found or RotationPlan.objects.create(
        program=w.other_program, cohort=w.other_cohort, instance={"periods": []}
    )


def other_forbidden_pair(w: World) -> ForbiddenPair:
    found = ForbiddenPair.objects.filter(trainee=w.other_trainee).first()
    return found or ForbiddenPair.objects.create(
        trainee=w.other_trainee,
        organisation=w.other_membership.organisation,
        reason="Conflict",
    )


def trainee_in(cohort: Cohort, **fields: Any) -> Trainee:
    from tests.factories import TraineeFactory

    return TraineeFactory(cohort=cohort, **fields)
