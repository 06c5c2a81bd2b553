"""Competence objects around the shared ``World``, created lazily (and once per world).

Programme A: a session running now for the world's cohort, facilitated by the
facilitator persona, with a link, an assignment, the trainee's reflection, a group round
(the trainee and a second trainee) with a task. Programme B gets the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tests.conftest import World
from tests.factories import TraineeFactory
from traineenett.cohorts.models import Cohort, Trainee
from traineenett.competence import services
from traineenett.competence.models import (
    Assignment,
    Group,
    GroupMember,
    GroupRound,
    GroupTask,
    Material,
    Module,
    Reflection,
    Session,
)
from traineenett.core.models import Program


@dataclass
class CompetenceObjects:
    module: Module
    session: Session
    material: Material
    assignment: Assignment
    reflection: Reflection
    round: GroupRound
    group: Group
    member: GroupMember
    task: GroupTask
    feed_token: str


def plan_session(
    program: Program,
    cohorts: list[Cohort],
    start: datetime,
    *,
    hours: float = 7,
    title: str = "Kommunikasjon i praksis",
    facilitator: Any = None,
    module: Module | None = None,
    days: int = 1,
) -> Session:
    module = module or services.modules_ensure_defaults(program=program)[0]
    return services.session_create(
        program=program,
        module=module,
        title=title,
        cohorts=cohorts,
        days=[
            (start + timedelta(days=d), start + timedelta(days=d, hours=hours)) for d in range(days)
        ],
        place="Scandic Hamar",
        facilitator=facilitator,
    )


def _objects(
    program: Program, cohort: Cohort, trainee: Trainee, facilitator: Any
) -> CompetenceObjects:
    now = timezone.now()
    session = plan_session(program, [cohort], now - timedelta(hours=1), facilitator=facilitator)
    material = services.material_add(
        session=session, title="Lysark", url="https://example.org/lysark.pdf"
    )
    assignment = services.assignment_create(
        session=session,
        title="Kommunikasjon på arbeidsplassen",
        prompt="Hvordan bruker du teorien i jobben din?",
        due_at=now + timedelta(days=7),
    )
    reflection = services.reflection_submit(
        assignment=assignment, trainee=trainee, text="Jeg bruker aktiv lytting i møter."
    )
    TraineeFactory(cohort=cohort, discipline="law")
    round_ = services.group_round_build(
        program=program, name="Task force høst", cohorts=[cohort], group_size=2
    )
    member = GroupMember.objects.get(round=round_, trainee=trainee)
    task = services.group_task_create(
        group=member.group, title="Markedsføring", due_on=timezone.localdate() + timedelta(days=14)
    )
    return CompetenceObjects(
        module=session.module,
        session=session,
        material=material,
        assignment=assignment,
        reflection=reflection,
        round=round_,
        group=member.group,
        member=member,
        task=task,
        feed_token=services.feed_for_trainee(trainee).token,
    )


def competence(w: World) -> CompetenceObjects:
    found = w.__dict__.get("_competence")
    if found is None:
        found = _objects(w.program, w.cohort, w.trainee, w.users["facilitator"])
        w.__dict__["_competence"] = found
    return found


def other_competence(w: World) -> CompetenceObjects:
    found = w.__dict__.get("_other_competence")
    if found is None:
        found = _objects(w.other_program, w.other_cohort, w.other_trainee, None)
        w.__dict__["_other_competence"] = found
    return found
