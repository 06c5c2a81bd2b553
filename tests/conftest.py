"""Shared personas (as in healthchecks' alice/bob/charlie) and a small world around them.

Programme A has organisations A and B (members), a cohort with one trainee placed at
organisation A. Programme B is another tenant with its own coordinator and objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import (
    CohortFactory,
    MembershipFactory,
    OrganisationFactory,
    PlacementFactory,
    ProgramFactory,
    RoleFactory,
    TraineeFactory,
    UserFactory,
)
from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.core.models import Program, Role, RoleKind, User
from traineenett.members.models import Membership, Organisation

PERSONAS = (
    "anonymous",
    "outsider",
    "coordinator",
    "board",
    "host_a",
    "host_b",
    "trainee",
    "analyst",
    "other_coordinator",
    "facilitator",
)


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters (in the cache) start at zero in every test."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    program: Program
    other_program: Program
    organisation_a: Organisation
    organisation_b: Organisation
    membership_a: Membership
    membership_b: Membership
    cohort: Cohort
    trainee: Trainee
    placement: Placement
    spare_role: Role
    other_membership: Membership
    other_cohort: Cohort
    other_trainee: Trainee
    other_placement: Placement
    other_role: Role
    users: dict[str, User | None]

    def client_for(self, persona: str) -> Client:
        client = Client()
        user = self.users[persona]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def world(db: None) -> World:
    program = ProgramFactory(slug="innlandet", name="Trainee Innlandet")
    other_program = ProgramFactory(slug="salten", name="Trainee Salten", catchment=["1804"])
    organisation_a = OrganisationFactory(name="Mjøskraft AS")
    organisation_b = OrganisationFactory(name="Opplandsbanken ASA")
    membership_a = MembershipFactory(program=program, organisation=organisation_a)
    membership_b = MembershipFactory(program=program, organisation=organisation_b)
    cohort = CohortFactory(program=program, label="Kull 2025")
    trainee = TraineeFactory(cohort=cohort, first_name="Ingrid", last_name="Haugen")
    placement = PlacementFactory(trainee=trainee, organisation=organisation_a)

    other_org = OrganisationFactory(name="Salten Havbruk AS", municipality_id="1804")
    other_membership = MembershipFactory(program=other_program, organisation=other_org)
    other_cohort = CohortFactory(program=other_program, label="Kull 2025")
    other_trainee = TraineeFactory(cohort=other_cohort)
    other_placement = PlacementFactory(trainee=other_trainee, organisation=other_org)

    users: dict[str, User | None] = {
        "anonymous": None,
        "outsider": UserFactory(email="outsider@example.org"),
    }
    for persona, kind, organisation in [
        ("coordinator", RoleKind.COORDINATOR, None),
        ("board", RoleKind.BOARD, None),
        ("host_a", RoleKind.HOST, organisation_a),
        ("host_b", RoleKind.HOST, organisation_b),
        ("trainee", RoleKind.TRAINEE, None),
        ("analyst", RoleKind.ANALYST, None),
        ("facilitator", RoleKind.FACILITATOR, None),
    ]:
        user = UserFactory(email=f"{persona}@example.org")
        RoleFactory(user=user, program=program, kind=kind, organisation=organisation)
        users[persona] = user
    trainee.user = users["trainee"]
    trainee.save(update_fields=["user"])
    other_coordinator = UserFactory(email="other_coordinator@example.org")
    other_role = RoleFactory(
        user=other_coordinator, program=other_program, kind=RoleKind.COORDINATOR
    )
    users["other_coordinator"] = other_coordinator
    return World(
        program=program,
        other_program=other_program,
        organisation_a=organisation_a,
        organisation_b=organisation_b,
        membership_a=membership_a,
        membership_b=membership_b,
        cohort=cohort,
        trainee=trainee,
        placement=placement,
        spare_role=RoleFactory(
            user=UserFactory(email="spare@example.org"), program=program, kind="board"
        ),
        other_membership=other_membership,
        other_cohort=other_cohort,
        other_trainee=other_trainee,
        other_placement=other_placement,
        other_role=other_role,
        users=users,
    )


@pytest.fixture
def coordinator_client(world: World) -> Client:
    return world.client_for("coordinator")


@pytest.fixture
def english() -> Any:
    """Service messages in English (the UI default is Bokmål)."""
    from django.utils import translation

    with translation.override("en"):
        yield
