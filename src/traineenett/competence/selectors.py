"""Reads for the competence programme, always starting from the programme and the
user's access. Object-level limits answer 404: a trainee sees their own cohort's
sessions and their own reflections and groups; a facilitator their own sessions'
attendance and reflections; the coordinator everything in the programme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.competence import rules
from traineenett.competence.models import (
    AbsenceWarningSent,
    Assignment,
    Attendance,
    CalendarFeed,
    Group,
    GroupMember,
    GroupRound,
    GroupTask,
    Material,
    Module,
    Reflection,
    Session,
    SessionDay,
)
from traineenett.competence.services import competence_settings, current_placement
from traineenett.core.models import Program
from traineenett.core.permissions import (
    FACILITATE_COMPETENCE,
    MANAGE_COMPETENCE,
    TRAINEE_COMPETENCE,
    ProgramAccess,
)


def is_coordinator(access: ProgramAccess) -> bool:
    return access.can(MANAGE_COMPETENCE)


def my_trainee(access: ProgramAccess) -> Trainee | None:
    """The logged-in user's trainee record in this programme (the latest cohort)."""
    if access.user_id is None:
        return None
    return (
        Trainee.objects.filter(program=access.program, user_id=access.user_id)
        .select_related("cohort", "program")
        .order_by("-cohort__starts_on")
        .first()
    )


def modules_of_program(program: Program) -> QuerySet[Module]:
    return Module.objects.filter(program=program)


def module_of_program(program: Program, pk: int) -> Module:
    module = Module.objects.filter(program=program, pk=pk).first()
    if module is None:
        raise Http404
    return module


def _sessions(program: Program) -> QuerySet[Session]:
    return (
        Session.objects.filter(program=program)
        .select_related("module", "facilitator")
        .prefetch_related(
            "cohorts", Prefetch("session_days", queryset=SessionDay.objects.order_by("starts_at"))
        )
    )


def sessions_visible_to(access: ProgramAccess) -> QuerySet[Session]:
    """All the programme's sessions; a trainee only their cohort's."""
    sessions = _sessions(access.program)
    if is_coordinator(access) or access.can(FACILITATE_COMPETENCE):
        return sessions
    trainee = my_trainee(access)
    if trainee is None:
        return sessions.none()
    return sessions.filter(cohorts=trainee.cohort_id)


def session_for(access: ProgramAccess, pk: int) -> Session:
    session = sessions_visible_to(access).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


def session_facilitated_by(access: ProgramAccess, pk: int) -> Session:
    """A session the user runs: the coordinator any, a facilitator their own."""
    sessions = _sessions(access.program).filter(pk=pk)
    if not is_coordinator(access):
        sessions = sessions.filter(facilitator_id=access.user_id)
    session = sessions.first()
    if session is None:
        raise Http404
    return session


def material_for(access: ProgramAccess, pk: int) -> Material:
    material = Material.objects.filter(session__in=sessions_visible_to(access), pk=pk).first()
    if material is None:
        raise Http404
    return material


def feed_by_token(token: str) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(token=token).select_related("trainee", "cohort").first()


def feed_sessions(feed: CalendarFeed) -> QuerySet[Session]:
    cohort_id = feed.trainee.cohort_id if feed.trainee else feed.cohort_id
    return (
        Session.objects.filter(program_id=feed.program_id, cohorts=cohort_id)
        .select_related("module")
        .prefetch_related("session_days")
        .distinct()
    )


# ------------------------------------------------------------------ attendance, progress


def records_for_trainees(
    trainees: Sequence[Trainee], moment: datetime
) -> dict[int, list[rules.SessionRecord]]:
    """Each trainee's held sessions (ended by ``moment``) with their status, in 2 queries."""
    cohort_ids = {t.cohort_id for t in trainees}
    sessions = list(
        Session.objects.filter(cohorts__in=cohort_ids, ends_at__lte=moment)
        .select_related("module")
        .prefetch_related("cohorts")
        .distinct()
    )
    statuses = {
        (a.session_id, a.trainee_id): a.status
        for a in Attendance.objects.filter(
            trainee__in=[t.pk for t in trainees], session__in=[s.pk for s in sessions]
        ).only("session_id", "trainee_id", "status")
    }
    by_cohort: dict[int, list[Session]] = {}
    for session in sessions:
        for cohort in session.cohorts.all():
            by_cohort.setdefault(cohort.pk, []).append(session)
    return {
        t.pk: [
            rules.SessionRecord(
                session_id=s.pk,
                starts_at=s.starts_at,
                days=s.days,
                module=s.module.name,
                status=statuses.get((s.pk, t.pk)),
            )
            for s in sorted(by_cohort.get(t.cohort_id, []), key=lambda s: s.starts_at)
        ]
        for t in trainees
    }


@dataclass
class TraineeProgress:
    trainee: Trainee
    progress: rules.Progress
    reflections: int
    assignments: int
    warnings: list[AbsenceWarningSent] = field(default_factory=list)
    by_module: list[tuple[str, Decimal]] = field(default_factory=list)


def progress_of(trainees: Sequence[Trainee], moment: datetime) -> list[TraineeProgress]:
    if not trainees:
        return []
    program = trainees[0].program
    settings_ = competence_settings(program)
    credit = settings_.credit_rules()
    records = records_for_trainees(trainees, moment)
    written: dict[int, int] = {}
    for trainee_id in Reflection.objects.filter(trainee__in=trainees).values_list(
        "trainee_id", flat=True
    ):
        written[trainee_id] = written.get(trainee_id, 0) + 1
    assignments: dict[int, int] = {}
    for cohort_id in Assignment.objects.filter(
        session__cohorts__in={t.cohort_id for t in trainees}, session__program=program
    ).values_list("session__cohorts", flat=True):
        assignments[cohort_id] = assignments.get(cohort_id, 0) + 1
    # Modules in the programme's order (communication, leadership, change work…).
    order = {
        name: index
        for index, name in enumerate(
            Module.objects.filter(program=program).values_list("name", flat=True)
        )
    }
    warnings: dict[int, list[AbsenceWarningSent]] = {}
    for warning in AbsenceWarningSent.objects.filter(trainee__in=trainees):
        warnings.setdefault(warning.trainee_id, []).append(warning)
    result = []
    for trainee in trainees:
        own = records[trainee.pk]
        modules: dict[str, Decimal] = {}
        for record in own:
            modules[record.module] = modules.get(record.module, Decimal("0")) + credit.credit(
                record.status, record.days
            )
        result.append(
            TraineeProgress(
                trainee=trainee,
                progress=rules.progress(own, credit, program.competence_days_required),
                reflections=written.get(trainee.pk, 0),
                assignments=assignments.get(trainee.cohort_id, 0),
                warnings=warnings.get(trainee.pk, []),
                by_module=sorted(
                    modules.items(), key=lambda item: (order.get(item[0], len(order)), item[0])
                ),
            )
        )
    return result


def trainee_for_progress(access: ProgramAccess, pk: int) -> Trainee:
    """The coordinator any trainee of the programme; a trainee only themself."""
    trainees = Trainee.objects.filter(program=access.program, pk=pk).select_related(
        "cohort", "program"
    )
    if not is_coordinator(access):
        trainees = trainees.filter(user_id=access.user_id) if access.user_id else trainees.none()
    trainee = trainees.first()
    if trainee is None:
        raise Http404
    return trainee


@dataclass
class CohortOverview:
    cohort: Cohort
    sessions: list[Session]
    rows: list[tuple[TraineeProgress, list[Attendance | None]]]
    present_per_session: list[int]


def cohort_overview(cohort: Cohort, moment: datetime) -> CohortOverview:
    """Attendance per session and per trainee for a cohort (a fixed number of queries)."""
    sessions = list(
        Session.objects.filter(cohorts=cohort).select_related("module").order_by("starts_at")
    )
    trainees = list(
        Trainee.objects.filter(cohort=cohort)
        .select_related("cohort", "program")
        .order_by("last_name", "first_name")
    )
    attendance = {
        (a.session_id, a.trainee_id): a
        for a in Attendance.objects.filter(session__in=sessions, trainee__in=trainees)
    }
    progress = progress_of(trainees, moment)
    rows = [(p, [attendance.get((s.pk, p.trainee.pk)) for s in sessions]) for p in progress]
    present = [
        sum(
            1
            for t in trainees
            if (a := attendance.get((s.pk, t.pk))) and a.status in (rules.PRESENT, rules.LATE)
        )
        for s in sessions
    ]
    return CohortOverview(cohort, sessions, rows, present)


def attendance_by_session(trainee: Trainee, sessions: Sequence[Session]) -> dict[int, Attendance]:
    """The trainee's attendance records at ``sessions``, by session id (one query)."""
    return {
        a.session_id: a
        for a in Attendance.objects.filter(trainee=trainee, session__in=[s.pk for s in sessions])
    }


def session_attendance(session: Session) -> list[tuple[Trainee, Attendance | None]]:
    trainees = Trainee.objects.filter(cohort__in=session.cohorts.all()).select_related("cohort")
    records = {a.trainee_id: a for a in session.attendances.all()}
    return [
        (t, records.get(t.pk))
        for t in trainees.order_by("cohort__label", "last_name", "first_name")
    ]


# -------------------------------------------------------------------------- reflections


def _reflections(program: Program) -> QuerySet[Reflection]:
    return Reflection.objects.filter(assignment__session__program=program).select_related(
        "assignment",
        "assignment__session",
        "trainee",
        "placement",
        "placement__organisation",
        "commented_by",
    )


def reflection_for(access: ProgramAccess, pk: int) -> Reflection:
    """The trainee who wrote it, the session's facilitator and the coordinator; nobody else."""
    reflections = _reflections(access.program).filter(pk=pk)
    if not is_coordinator(access):
        trainee = my_trainee(access)
        own = reflections.filter(trainee=trainee) if trainee else reflections.none()
        if access.can(FACILITATE_COMPETENCE) and access.user_id is not None:
            facilitated = reflections.filter(assignment__session__facilitator_id=access.user_id)
            reflections = own | facilitated
        else:
            reflections = own
    reflection = reflections.first()
    if reflection is None:
        raise Http404
    return reflection


def assignment_facilitated_by(access: ProgramAccess, pk: int) -> Assignment:
    assignments = Assignment.objects.filter(session__program=access.program, pk=pk).select_related(
        "session"
    )
    if not is_coordinator(access):
        assignments = assignments.filter(session__facilitator_id=access.user_id)
    assignment = assignments.first()
    if assignment is None:
        raise Http404
    return assignment


def assignment_for_trainee(access: ProgramAccess, pk: int) -> tuple[Assignment, Trainee]:
    trainee = my_trainee(access) if access.can(TRAINEE_COMPETENCE) else None
    if trainee is None:
        raise Http404
    assignment = (
        Assignment.objects.filter(
            session__program=access.program, session__cohorts=trainee.cohort_id, pk=pk
        )
        .select_related("session")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment, trainee


def assignment_reflections(assignment: Assignment) -> list[tuple[Trainee, Reflection | None]]:
    trainees = Trainee.objects.filter(cohort__in=assignment.session.cohorts.all()).order_by(
        "last_name", "first_name"
    )
    written = {
        r.trainee_id: r for r in assignment.reflections.select_related("placement__organisation")
    }
    return [(t, written.get(t.pk)) for t in trainees]


def assignments_of_trainee(trainee: Trainee) -> list[tuple[Assignment, Reflection | None]]:
    assignments = (
        Assignment.objects.filter(
            session__program=trainee.program_id, session__cohorts=trainee.cohort_id
        )
        .select_related("session")
        .order_by("due_at")
    )
    written = {r.assignment_id: r for r in Reflection.objects.filter(trainee=trainee)}
    return [(a, written.get(a.pk)) for a in assignments]


# ------------------------------------------------------------------------------ groups


def rounds_of_program(program: Program) -> QuerySet[GroupRound]:
    return GroupRound.objects.filter(program=program).prefetch_related("cohorts")


def round_of_program(program: Program, pk: int) -> GroupRound:
    round_ = (
        GroupRound.objects.filter(program=program, pk=pk)
        .prefetch_related(
            "cohorts",
            Prefetch(
                "groups",
                queryset=Group.objects.prefetch_related(
                    Prefetch(
                        "members",
                        queryset=GroupMember.objects.select_related(
                            "trainee", "trainee__cohort"
                        ).order_by("trainee__last_name", "trainee__first_name"),
                    ),
                    "tasks",
                ),
            ),
        )
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def group_for(access: ProgramAccess, pk: int) -> Group:
    """Members of the group and the coordinator."""
    groups = Group.objects.filter(round__program=access.program, pk=pk).select_related(
        "round", "notes_updated_by"
    )
    if not is_coordinator(access):
        trainee = my_trainee(access)
        groups = groups.filter(members__trainee=trainee) if trainee else groups.none()
    group = groups.first()
    if group is None:
        raise Http404
    return group


def task_for(access: ProgramAccess, pk: int) -> GroupTask:
    task = GroupTask.objects.filter(group__round__program=access.program, pk=pk).first()
    if task is None:
        raise Http404
    group_for(access, task.group_id)  # 404 unless the user may see the group
    return task


def member_of_program(program: Program, pk: int) -> GroupMember:
    member = (
        GroupMember.objects.filter(round__program=program, pk=pk)
        .select_related("round", "group", "trainee")
        .first()
    )
    if member is None:
        raise Http404
    return member


def groups_of_trainee(trainee: Trainee) -> QuerySet[Group]:
    return (
        Group.objects.filter(members__trainee=trainee)
        .select_related("round")
        .prefetch_related(
            Prefetch("members", queryset=GroupMember.objects.select_related("trainee")), "tasks"
        )
        .order_by("-round__created_at")
    )


def placement_now(trainee: Trainee, moment: datetime) -> Placement | None:
    return current_placement(trainee, timezone.localdate(moment))
