"""Demo data of the competence programme: Trainee Innlandet's current cohorts get their
20 days (ten two-day sessions each), attendance so far, reflections and task-force
groups, and the absence warnings the attendance calls for; a facilitator logs in as
``kursholder@innlandet.demo``."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.mail import get_connection
from django.utils import timezone

from traineenett.cohorts.models import Cohort, Trainee
from traineenett.competence import services
from traineenett.competence.models import AttendanceStatus
from traineenett.core.demo import PASSWORD, Login
from traineenett.core.models import Program, RoleKind, User
from traineenett.core.services import role_grant

OSLO = ZoneInfo("Europe/Oslo")
PLACES = ["Scandic Hamar", "Quality Hotel Strand, Gjøvik", "Lillehammer Hotel", "Hamar Kulturhus"]
TOPICS = {
    0: ["Kommunikasjon og samhandling", "Presentasjonsteknikk", "Krevende samtaler"],
    1: ["Selvledelse", "Å lede uten formell makt", "Team og tillit"],
    2: ["Endringsledelse", "Innovasjon i offentlig og privat sektor", "Gevinstrealisering"],
}
STATUSES = [AttendanceStatus.PRESENT] * 17 + [
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
]


def _facilitator() -> User:
    user = User.objects.filter(email="kursholder@innlandet.demo").first() or User(
        email="kursholder@innlandet.demo"
    )
    user.first_name, user.last_name = "Frida", "Kursholder"
    user.set_password(PASSWORD)
    user.save()
    return user


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO)


def _plan_cohort(
    program: Program, cohort: Cohort, modules: list, facilitator: User, rng: random.Random
) -> None:
    now = timezone.now()
    trainees = list(Trainee.objects.filter(cohort=cohort).order_by("pk"))
    first = cohort.starts_on + timedelta(days=30)
    truant = next((t for t in reversed(trainees) if t.user_id is None), None)
    for index in range(10):
        # Ten two-day sessions about every ten weeks, on a Tuesday and Wednesday.
        day = first + timedelta(weeks=10 * index)
        day += timedelta(days=(1 - day.weekday()) % 7)
        module_index = index % 3
        session = services.session_create(
            program=program,
            module=modules[module_index],
            title=TOPICS[module_index][index // 3 % 3],
            cohorts=[cohort],
            days=[
                (_at(day, 9), _at(day, 16)),
                (_at(day + timedelta(days=1), 9), _at(day + timedelta(days=1), 15)),
            ],
            place=rng.choice(PLACES),
            facilitator=facilitator,
            description="Teori, caser fra traineenes egne jobber og gruppearbeid.",
        )
        if session.ends_at > now:
            continue
        statuses = {t.pk: str(rng.choice(STATUSES)) for t in trainees}
        if index in (1, 2) and truant is not None:
            # One trainee (not the demo log-in) misses two sessions in a row: a warning.
            statuses[truant.pk] = str(AttendanceStatus.ABSENT)
        services.attendance_register(session=session, statuses=statuses, actor=facilitator)
        assignment = services.assignment_create(
            session=session,
            title=f"Refleksjon: {session.title}",
            prompt="Hvordan kan teorien fra samlingen brukes der du jobber nå? Gi et eksempel.",
            due_at=session.ends_at + timedelta(days=14),
            actor=facilitator,
        )
        for trainee in trainees:
            if statuses[trainee.pk] in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) and (
                rng.random() < 0.7
            ):
                reflection = services.reflection_submit(
                    assignment=assignment,
                    trainee=trainee,
                    text=(
                        f"På samlingen om {session.title.lower()} lærte vi modeller jeg "
                        "har prøvd ut i arbeidsmøter hos verten min. Det som fungerte best, "
                        "var å gjøre forventningene tydelige før møtet."
                    ),
                    moment=session.ends_at + timedelta(days=rng.randint(1, 12)),
                )
                if rng.random() < 0.4:
                    services.reflection_comment(
                        reflection=reflection,
                        comment="Godt eksempel! Prøv også å spørre kollegene hva de merket.",
                        actor=facilitator,
                    )


def seed(innlandet: Program, helgeland: Program) -> list[Login]:
    rng = random.Random(2006)  # noqa: S311 — demo data, not a secret
    modules = services.modules_ensure_defaults(program=innlandet)
    services.modules_ensure_defaults(program=helgeland)
    facilitator = _facilitator()
    role_grant(program=innlandet, user=facilitator, kind=RoleKind.FACILITATOR)
    today = timezone.localdate()
    current = list(
        Cohort.objects.filter(program=innlandet, ends_on__gte=today).order_by("starts_on")
    )
    for cohort in current:
        _plan_cohort(innlandet, cohort, modules, facilitator, rng)
    if current:
        round_ = services.group_round_build(
            program=innlandet,
            name="Task force: markedsføring og rekrutteringsdager",
            cohorts=current,
            group_size=4,
        )
        for group in round_.groups.order_by("number"):
            services.group_task_create(
                group=group,
                title="Markedsføring av programmet"
                if group.number % 2
                else "Logistikk på rekrutteringsdagene",
                due_on=today + timedelta(days=14 + 7 * group.number),
                description="Lag en plan og del den i notatene.",
            )
    # The warnings the attendance so far calls for, recorded as sent; the demo's made-up
    # addresses get no e-mail (a dummy connection).
    services.absence_warnings_send(
        program=innlandet, connection=get_connection("django.core.mail.backends.dummy.EmailBackend")
    )
    return [Login(innlandet.slug, str(RoleKind.FACILITATOR.label), facilitator.email)]
