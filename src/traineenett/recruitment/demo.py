"""Demo: a current recruitment round for Trainee Innlandet's next cohort (Kull 2027).

Competence needs from the hosts, six positions on the job board, a few dozen applications
spread over the pipeline, scores, interview requests and scheduled recruitment days.
Written through the services; deterministic; no e-mail is sent.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone

from traineenett.cohorts import services as cohort_services
from traineenett.cohorts.models import Cohort
from traineenett.core.demo import FIRST_NAMES, INSTITUTIONS, LAST_NAMES, Login
from traineenett.core.models import Program, Role, RoleKind
from traineenett.members.models import Organisation, OrganisationKind
from traineenett.members.selectors import member_organisations
from traineenett.recruitment import interviews, services
from traineenett.recruitment.models import Criterion, InterviewRequest, Round, Score, Source

POSITIONS = [
    ("Trainee i energi og klima", ["engineering", "economics"]),
    ("Trainee i helse og teknologi", ["public health", "computer science"]),
    ("Trainee i finans og bærekraft", ["economics", "law"]),
    ("Trainee i samfunnsutvikling", ["social science", "law"]),
    ("Trainee i digitalisering", ["computer science", "engineering"]),
    ("Trainee i næringsmiddel og bioøkonomi", ["biology", "economics"]),
]
FIELDS = [
    "economics",
    "engineering",
    "law",
    "computer science",
    "social science",
    "biology",
    "public health",
]
HOMES = ["3403", "3405", "3407", "3411", "3420", "0301", "5001", "4601", "1804", None]


def seed(innlandet: Program, helgeland: Program) -> list[Login] | None:
    rng = random.Random(2027)  # noqa: S311 - demo data, not secrets
    cohort = Cohort.objects.filter(program=innlandet, label="Kull 2027").first()
    if cohort is None:
        cohort = cohort_services.cohort_create(
            program=innlandet,
            label="Kull 2027",
            starts_on=date(2027, 8, 16),
            common_salary=Decimal("575000"),
        )
    if Round.objects.filter(cohort=cohort).exists():
        return None
    today = timezone.localdate()
    round_ = services.round_create(
        program=innlandet, cohort=cohort, needs_deadline=today + timedelta(days=14)
    )
    hosts: list[Organisation] = list(
        member_organisations(innlandet).exclude(kind=OrganisationKind.CLUSTER)
    )
    # The demo's host contacts first, so that their organisations are on the tracks and
    # logging in as a host shows candidates to review.
    with_contacts = set(
        Role.objects.filter(program=innlandet, kind=RoleKind.HOST).values_list(
            "organisation_id", flat=True
        )
    )
    hosts.sort(key=lambda organisation: organisation.pk not in with_contacts)
    for index, host in enumerate(hosts):
        services.need_submit(
            round_=round_,
            organisation=host,
            disciplines=rng.sample(FIELDS, 2),
            places=1 + index % 3,
            period_numbers=sorted(rng.sample([1, 2, 3], 2)),
            description="Prosjekter i virksomhetens utviklingsavdeling.",
            place_of_work=host.municipality.name,
        )
    positions = []
    for index, (title, disciplines) in enumerate(POSITIONS):
        track: list[Organisation | None] = [hosts[(index + step) % len(hosts)] for step in range(3)]
        positions.append(
            services.position_save(
                round_=round_,
                data={
                    "title": title,
                    "description": (
                        "To år med tre arbeidsgivere i Innlandet, et felles "
                        "kompetanseprogram på 20 dager og et nettverk for livet."
                    ),
                    "disciplines": disciplines,
                    "deadline": today + timedelta(days=45),
                    "published_on": today - timedelta(days=10),
                },
                # Every other track leaves its last period to be decided later.
                hosts=[*track[:2], None] if index % 2 else track,
            )
        )
    stages = {stage.key: stage for stage in services.stages_ensure(innlandet)}
    applications = []
    for person in range(36):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        field = rng.choice(FIELDS)
        chosen = rng.sample(positions, rng.choice([1, 2, 3]))
        home = rng.choice(HOMES)
        application, _token = services.application_submit(
            program=innlandet,
            cohort=cohort,
            data={
                "first_name": first,
                "last_name": last,
                "email": f"soker{person}@example.org",
                "phone": f"+479{rng.randrange(1000000, 9999999)}",
                "home_municipality_id": home,
                "relevant_work_months": rng.choice([0, 0, 6, 12, 30]),
                "cover_letter": "Jeg ønsker å bygge karrieren min i Innlandet.",
                "source": rng.choice(Source.values),
            },
            educations=[
                {
                    "degree": "Master",
                    "institution": rng.choice(INSTITUTIONS),
                    "field": field,
                    "years": Decimal(rng.choice([3, 5, 5, 5, 6])),
                    "ects": None,
                    "graduated_on": date(rng.choice([2023, 2026, 2027]), 6, 15),
                }
            ],
            positions=chosen,
            documents=[],
            idempotency_key=f"demo-{cohort.pk}-{person}",
            notify=False,
        )
        applications.append(application)
    # Spread them over the pipeline: received → screened → first interview → days, a few
    # rejected and one offer awaiting an answer.
    plan = [
        ("screened", 8),
        ("first_interview", 6),
        ("recruitment_days", 8),
    ]
    cursor = 0
    for key, count in plan:
        for application in applications[cursor : cursor + count]:
            services.application_move(application=application, stage=stages["screened"])
            if key != "screened":
                services.application_move(application=application, stage=stages["first_interview"])
            if key == "recruitment_days":
                services.application_move(application=application, stage=stages[key])
        cursor += count
    services.applications_bulk(
        program=innlandet,
        application_ids=[a.pk for a in applications[cursor : cursor + 5]],
        reject_reason="Vi fikk svært mange gode søkere i år.",
        notify=False,
    )
    at_days = [a for a in applications if a.stage_id == stages["recruitment_days"].pk]
    criteria = list(Criterion.objects.filter(program=innlandet))
    for application in at_days:
        for choice in application.choices.select_related("position"):
            for track_host in choice.position.hosts.all():
                if track_host.organisation_id is None:
                    continue
                InterviewRequest.objects.get_or_create(
                    application=application, organisation_id=track_host.organisation_id
                )
        Score.objects.bulk_create(
            Score(application=application, criterion=criterion, value=rng.randint(2, 5))
            for criterion in criteria
        )
    days_plan = interviews.plan_ensure(round_)
    interviews.plan_update(
        plan=days_plan,
        data={"rooms": 6, "location": "Scandic Lillehammer Hotel"},
    )
    for offset in (0, 1):
        interviews.day_add(
            plan=days_plan,
            day=date(2027, 3, 10) + timedelta(days=offset),
            starts_at=time(9, 0),
            ends_at=time(15, 0),
        )
    if interviews.requests_of(round_):
        interviews.schedule_run(plan=days_plan, time_limit=5.0)
    if at_days:
        offered = at_days[0]
        first_choice = offered.choices.order_by("rank").first()
        if first_choice is not None:
            services.offer_make(
                application=offered,
                position=first_choice.position,
                starts_on=cohort.starts_on,
                notify=False,
            )
    services.stages_ensure(helgeland)
    return None
