"""Deterministic national-scale data for the benchmark.

30 programmes, 1 500 organisations (60 of them industry clusters), ~50 members per
programme, 5 to 7 cohorts each, 5 000 trainees and 20 000 placements. Programmes go through
``program_create``; everything else is written with ``bulk_create`` (the services are too
slow at this scale), but every row obeys the services' rules: one placement per host per
trainee, a host is a member throughout its periods, and overlapping placements only in
"shared" programmes with shares summing to 100 %.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from traineenett.cohorts.calendar import rotation_periods
from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
from traineenett.cohorts.services import default_cohort_end
from traineenett.core.demo import (
    DISCIPLINES,
    FIRST_NAMES,
    INSTITUTIONS,
    LAST_NAMES,
    organisation_number,
)
from traineenett.core.models import (
    AuditEntry,
    County,
    EmploymentModel,
    Municipality,
    Program,
    Role,
    RoleKind,
    User,
)
from traineenett.core.services import program_create
from traineenett.members.models import Membership, Organisation, OrganisationKind, Sector

PROGRAMMES, HOSTS_EACH, TRAINEES, PLACEMENTS = 30, 48, 5_000, 20_000
# The apps filled after the core data (``generate(apps=...)``), in this order.
APPS = ("recruitment", "rotation", "followup", "surveys", "competence", "finance")
SCHEDULER_SECONDS, SOLVER_SECONDS = 1.0, 2.0  # CP-SAT time limits (interviews, rotation)
AWAY = ["0301", "4601", "5001", "1103"]  # Oslo, Bergen, Trondheim, Stavanger
SLUG = "bench-{:02d}"
JOINED, ENDED, UPCOMING = date(2005, 1, 1), date(2015, 12, 31), date(2027, 6, 1)
INDUSTRIES = ["Energi", "Helse", "Finans", "Industri", "Havbruk", "Teknologi", "Bygg", "Reiseliv"]
# (rotation_period_count, rotation_period_months, employment model) by programme index % 5:
# 12 programmes with 4 x 6 months (4 placements each), 18 with 3 x 8, 12 of those shared.
SETUPS = [
    (4, 6, EmploymentModel.MEMBER_EMPLOYS),
    (3, 8, EmploymentModel.SHARED),
    (4, 6, EmploymentModel.PROGRAM_EMPLOYS),
    (3, 8, EmploymentModel.SHARED),
    (3, 8, EmploymentModel.MEMBER_EMPLOYS),
]


def is_generated() -> bool:
    return Program.objects.filter(slug=SLUG.format(1)).exists()


def _organisations(rng: random.Random, programs: list[Program]) -> list[list[Organisation]]:
    """Two clusters and 48 other organisations per programme, in its catchment."""
    clusters: list[Organisation] = []
    others: list[Organisation] = []
    for index, program in enumerate(programs):
        towns = list(program.catchment.all())
        for number in range(2):
            industry = INDUSTRIES[(2 * index + number) % len(INDUSTRIES)]
            clusters.append(
                Organisation(
                    name=f"{industry}klyngen {towns[number % len(towns)].name}",
                    organisation_number=organisation_number(10_000 + len(clusters)),
                    kind=OrganisationKind.CLUSTER,
                    sector=Sector.PRIVATE,
                    industry="Klynge",
                    municipality=towns[number % len(towns)],
                )
            )
        for _ in range(HOSTS_EACH):
            town, industry, public = rng.choice(towns), rng.choice(INDUSTRIES), rng.random() < 0.25
            others.append(
                Organisation(
                    name=f"{town.name} {industry}" + (" kommunale foretak" if public else " AS"),
                    organisation_number=organisation_number(20_000 + len(others)),
                    kind=OrganisationKind.PUBLIC_BODY if public else OrganisationKind.COMPANY,
                    parent_cluster=rng.choice(clusters[-2:]) if rng.random() < 0.3 else None,
                    sector=Sector.PUBLIC if public else Sector.PRIVATE,
                    industry=industry,
                    municipality=town,
                    employees=rng.randint(5, 5_000),
                )
            )
    Organisation.objects.bulk_create(clusters)
    Organisation.objects.bulk_create(others)
    return [others[i * HOSTS_EACH : (i + 1) * HOSTS_EACH] for i in range(PROGRAMMES)]


def _memberships(
    rng: random.Random, programs: list[Program], own: list[list[Organisation]]
) -> list[list[Organisation]]:
    """Each programme: its clusters, 3 ended, 1 upcoming and the rest active (the hosts),
    plus up to 8 organisations also members elsewhere. Returns the hosts per programme."""
    rows, hosts = [], []
    clusters = list(Organisation.objects.filter(kind=OrganisationKind.CLUSTER).order_by("pk"))
    for index, program in enumerate(programs):
        others = [o for i, orgs in enumerate(own) if i != index for o in orgs[4:]]
        active = own[index][4:] + rng.sample(others, rng.randint(0, 8))
        rows += [
            Membership(program=program, organisation=o, starts_on=JOINED, fee_tier="Klynge")
            for o in clusters[2 * index : 2 * index + 2]
        ]
        rows += [
            Membership(program=program, organisation=o, starts_on=JOINED, ends_on=ENDED)
            for o in own[index][:3]
        ]
        rows.append(Membership(program=program, organisation=own[index][3], starts_on=UPCOMING))
        rows += [
            Membership(program=program, organisation=o, starts_on=JOINED, fee_tier="Standard")
            for o in active
        ]
        hosts.append(active)
    Membership.objects.bulk_create(rows)
    return hosts


def _sizes(rng: random.Random) -> list[int]:
    weights = [rng.uniform(1, 8) for _ in range(PROGRAMMES)]
    sizes = [int(TRAINEES * w / sum(weights)) for w in weights]
    sizes[sizes.index(max(sizes))] += TRAINEES - sum(sizes)
    return sizes


def _cohorts(rng: random.Random, program: Program) -> list[tuple[Cohort, list[Period]]]:
    count = rng.randint(5, 7)
    cohorts = []
    for year in range(2027 - count, 2027):
        starts_on = date(year, 8, 15)
        cohort = Cohort(
            program=program,
            label=f"Kull {year}",
            starts_on=starts_on,
            ends_on=default_cohort_end(program, starts_on),
            common_salary=Decimal(480_000 + (year - 2019) * 12_000),
        )
        spans = rotation_periods(
            starts_on, program.rotation_period_count, program.rotation_period_months
        )
        periods = [
            Period(cohort=cohort, number=n, starts_on=start, ends_on=min(end, cohort.ends_on))
            for n, (start, end) in enumerate(spans, start=1)
        ]
        cohorts.append((cohort, periods))
    Cohort.objects.bulk_create([c for c, _ in cohorts])
    for cohort, periods in cohorts:
        for period in periods:
            period.cohort = cohort
    Period.objects.bulk_create([p for _, periods in cohorts for p in periods])
    return cohorts


def _users(rng: random.Random, program: Program, host: Organisation, trainee: Trainee) -> User:
    """Coordinator, board member, host contact, trainee, analyst and facilitator log-ins
    (no usable password: the benchmark uses force_login). Returns the coordinator."""
    users = {
        kind: User(
            email=f"{kind}@{program.slug}.bench.example",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password=make_password(None),
        )
        for kind in RoleKind.values
    }
    User.objects.bulk_create(users.values())
    Role.objects.bulk_create(
        Role(
            user=user,
            program=program,
            kind=kind,
            organisation=host if kind == RoleKind.HOST else None,
        )
        for kind, user in users.items()
    )
    trainee.user = users[RoleKind.TRAINEE]
    trainee.save(update_fields=["user"])
    return users[RoleKind.COORDINATOR]


def generate(seed: int = 2026, apps: Iterable[str] = APPS) -> dict[str, float]:
    """Fill the current database with the national-scale data set (deterministic): the
    core data, then the given apps in APPS order. Returns the seconds each part took."""
    import time as clock

    seconds = {}
    start = clock.perf_counter()
    programs = _core(random.Random(seed))
    seconds["core"] = clock.perf_counter() - start
    sizes = {p.pk: p.trainees.count() for p in programs}
    for app in (app for app in APPS if app in set(apps)):
        start = clock.perf_counter()
        rng = random.Random(f"{seed}-{app}")
        with transaction.atomic():
            if app == "recruitment":
                for program in programs:
                    _recruitment(rng, program, sizes[program.pk], max(sizes.values()))
            elif app == "rotation":
                for program in programs:
                    _rotation(rng, program)
            elif app == "followup":
                from traineenett.followup.services import municipality_calendar

                calendar = municipality_calendar()
                for program in programs:
                    _followup(rng, program, calendar)
            elif app == "surveys":
                for program in programs:
                    _surveys(rng, program)
            elif app == "competence":
                for program in programs:
                    _competence(rng, program)
            elif app == "finance":
                for index, program in enumerate(programs):
                    _finance(rng, program, index)
        seconds[app] = clock.perf_counter() - start
    return seconds


@transaction.atomic
def _core(rng: random.Random) -> list[Program]:
    """Programmes, organisations, memberships, cohorts, trainees, placements, log-ins."""
    counties = list(County.objects.order_by("number"))
    programs = []
    for index in range(PROGRAMMES):
        count, months, model = SETUPS[index % len(SETUPS)]
        county = counties[index % len(counties)]
        programs.append(
            program_create(
                slug=SLUG.format(index + 1),
                name=f"Trainee {county.name} {('Vest', 'Øst')[index // len(counties)]}",
                catchment_codes=county.number,
                region_name=county.name,
                founded_year=1995 + index,
                rotation_period_count=count,
                rotation_period_months=months,
                employment_model=model,
            )
        )
    hosts = _memberships(rng, programs, _organisations(rng, programs))
    homes = list(Municipality.objects.values_list("number", flat=True))
    sizes = _sizes(rng)
    plan: list[tuple[Program, list[Trainee], list[list[Placement]]]] = []
    person = 0
    for program, size, program_hosts in zip(programs, sizes, hosts, strict=True):
        cohorts = _cohorts(rng, program)
        trainees, placements = [], []
        for index in range(size):
            cohort, periods = cohorts[index % len(cohorts)]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            discipline, degree = rng.choice(DISCIPLINES)
            start = rng.randrange(len(program_hosts))
            person += 1
            employs = program.employment_model == EmploymentModel.MEMBER_EMPLOYS
            trainees.append(
                Trainee(
                    program=program,
                    cohort=cohort,
                    first_name=first,
                    last_name=last,
                    email=f"trainee{person}@bench.example",
                    discipline=discipline,
                    degree=degree,
                    institution=rng.choice(INSTITUTIONS),
                    higher_education_years=Decimal(rng.choice([4, 5, 5, 5, 6])),
                    home_municipality_id=rng.choice(homes),
                    employer=program_hosts[start] if employs else None,
                )
            )
            # Consecutive hosts in the programme's ring: a different host for every period.
            placements.append(
                [
                    Placement(
                        period=period,
                        organisation=program_hosts[(start + offset) % len(program_hosts)],
                        mentor=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    )
                    for offset, period in enumerate(periods)
                ]
            )
        plan.append((program, trainees, placements))
    Trainee.objects.bulk_create([t for _, trainees, _ in plan for t in trainees])
    _share_placements(rng, plan, hosts)
    rows = []
    for (program, trainees, placements), program_hosts in zip(plan, hosts, strict=True):
        for trainee, own in zip(trainees, placements, strict=True):
            for placement in own:
                placement.trainee = trainee
            rows += own
        busiest = Counter(p.organisation.pk for own in placements for p in own).most_common(1)[0][0]
        host = next(o for o in program_hosts if o.pk == busiest)
        # The trainee log-in: the trainee with most placements in the newest cohort (a
        # current trainee, so the rotation wishes and competence pages are theirs too).
        newest = max(t.cohort.starts_on for t in trainees)
        most_placed = max(
            (
                (t, own)
                for t, own in zip(trainees, placements, strict=True)
                if t.cohort.starts_on == newest
            ),
            key=lambda pair: len(pair[1]),
        )[0]
        coordinator = _users(rng, program, host, most_placed)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                program=program,
                actor=coordinator,
                action="cohorts.trainee.created",
                object_type="cohorts.trainee",
                object_id=str(trainee.pk),
                object_repr=trainee.full_name,
            )
            for trainee in trainees
        )
    Placement.objects.bulk_create(rows, batch_size=2_000)
    return programs


def _share_placements(
    rng: random.Random,
    plan: list[tuple[Program, list[Trainee], list[list[Placement]]]],
    hosts: list[list[Organisation]],
) -> None:
    """Top up to PLACEMENTS with a second, 50/50 placement in some periods of trainees in
    "shared" programmes (the second host continues the trainee's ring of hosts)."""
    slots = [
        (own, period_index, program_hosts, program.rotation_period_count)
        for (program, _, placements), program_hosts in zip(plan, hosts, strict=True)
        if program.employment_model == EmploymentModel.SHARED
        for own in placements
        for period_index in range(len(own))
    ]
    missing = PLACEMENTS - sum(len(own) for _, _, placements in plan for own in placements)
    assert 0 <= missing <= len(slots), "the sizes cannot give exactly PLACEMENTS placements"
    for own, period_index, program_hosts, periods in rng.sample(slots, missing):
        primary = own[period_index]
        primary.share_percent = 50
        # Primaries use ring offsets 0..periods-1, so offset + periods is a new host.
        offset = program_hosts.index(primary.organisation) + periods
        own.append(
            Placement(
                period=primary.period,
                organisation=program_hosts[offset % len(program_hosts)],
                mentor=primary.mentor,
                share_percent=50,
            )
        )


# --------------------------------------------------------------------------- new apps
# Each function fills one app for every programme, through the app's services where they
# are cheap enough (rounds, needs, positions, offers, interview days and the scheduler,
# places, wishes, ratings, rotation plans, alumni) and with bulk_create for the bulk rows
# (applications and what hangs off them, follow-up observations).

# The personal link (token) of application <index>; benchmark data, not a secret.
APPLICANT_TOKEN = "bench-{slug}-{index:04d}"  # noqa: S105
RECRUITMENT_COHORT, RECRUITMENT_START = "Kull 2027", date(2027, 8, 16)
FIELDS = [field for field, _ in DISCIPLINES]
POSITION_TITLES = [
    "Trainee i energi og klima",
    "Trainee i helse og teknologi",
    "Trainee i finans og bærekraft",
    "Trainee i samfunnsutvikling",
    "Trainee i digitalisering",
    "Trainee i bioøkonomi",
    "Trainee i eiendom og bygg",
    "Trainee i reiseliv og kultur",
]
# Where the applications stand: (stage key, share); the rest stays "received".
STAGE_SHARES = [
    ("screened", 0.20),
    ("first_interview", 0.15),
    ("recruitment_days", 0.08),
    ("rejected", 0.15),
]
STAGE_PATH = ["received", "screened", "first_interview", "recruitment_days"]


def _roles(program: Program) -> dict[str, Role]:
    return {r.kind: r for r in Role.objects.filter(program=program).select_related("user")}


def _bench_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Curriculum vitae (benchmark)")
    return bytes(pdf.output())


def _recruitment(rng: random.Random, program: Program, size: int, largest: int) -> None:
    """A round for next year's cohort: every host's competence needs, 6 to 8 published
    positions (the host log-in's organisation is on the first track), 100 to 400
    applications (more in larger programmes) over the pipeline with educations, choices,
    stage history, scores and CVs for a third, interview requests for those at the
    recruitment days, two scheduled days and three offers.

    Application 0 of every programme is the show case the benchmark opens as the
    coordinator, the host and the applicant (token ``APPLICANT_TOKEN``): three choices,
    a CV and a diploma, scores, notes, interviews and an offer."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from traineenett.cohorts.services import cohort_create
    from traineenett.recruitment import eligibility, interviews, services
    from traineenett.recruitment.models import (
        Application,
        Choice,
        Document,
        DocumentKind,
        Education,
        InterviewRequest,
        Round,
        Score,
        Source,
        StageChange,
    )

    roles = _roles(program)
    coordinator = roles[RoleKind.COORDINATOR].user
    host = roles[RoleKind.HOST].organisation
    assert host is not None, "a host role has an organisation"
    cohort = cohort_create(
        program=program,
        label=RECRUITMENT_COHORT,
        starts_on=RECRUITMENT_START,
        common_salary=Decimal(575_000),
    )
    today = timezone.localdate()
    round_ = services.round_create(
        program=program, cohort=cohort, needs_deadline=today + timedelta(days=14), actor=coordinator
    )
    members = list(
        Organisation.objects.filter(memberships__program=program, memberships__ends_on__isnull=True)
        .exclude(kind=OrganisationKind.CLUSTER)
        .filter(memberships__starts_on__lte=today)
        .distinct()
        .order_by("name", "pk")
    )
    periods = list(range(1, program.rotation_period_count + 1))
    for index, organisation in enumerate(members):
        services.need_submit(
            round_=round_,
            organisation=organisation,
            disciplines=rng.sample(FIELDS, 2),
            places=1 + index % 3,
            period_numbers=sorted(rng.sample(periods, 2)),
            description="Prosjekter i virksomhetens utviklingsavdeling.",
            place_of_work=organisation.municipality.name if organisation.municipality else "",
        )
    others = [o for o in members if o.pk != host.pk]
    positions = []
    for index in range(rng.randint(6, 8)):
        track: list[Organisation | None] = rng.sample(others, len(periods))
        if index == 0:
            track[0] = host
        if index % 2:
            track[-1] = None  # decided later
        positions.append(
            services.position_save(
                round_=round_,
                data={
                    "title": POSITION_TITLES[index],
                    "description": "To år med skiftende arbeidsgivere i regionen og et felles "
                    "kompetanseprogram på 20 dager.",
                    "disciplines": rng.sample(FIELDS, 2),
                    "deadline": today + timedelta(days=45),
                    "published_on": today - timedelta(days=10 + index),
                },
                hosts=track,
            )
        )
    stages = {stage.key: stage for stage in services.stages_ensure(program)}
    criteria = services.criteria_ensure(program)
    rules = eligibility.Rules(
        program.min_higher_education_years, program.max_years_since_graduation
    )
    homes = [*program.catchment.values_list("number", flat=True), *AWAY]
    now = timezone.now()
    count = 100 + 300 * size // largest
    shares = [(key, int(share * count)) for key, share in STAGE_SHARES]
    keys = ["recruitment_days"] + [key for key, n in shares for _ in range(n)]
    keys += ["received"] * (count - len(keys))
    applications, educations, choices = [], [], []
    for index, key in enumerate(keys):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        entries = [
            Education(
                degree=rng.choice(["Master", "Bachelor", "Master"]),
                institution=rng.choice(INSTITUTIONS),
                field=rng.choice(FIELDS),
                years=Decimal(rng.choice([3, 5, 5, 5, 6])),
                graduated_on=date(rng.choice([2019, 2024, 2025, 2026, 2026]), 6, 15),
            )
            for _ in range(2 if index % 4 == 0 else 1)
        ]
        months = rng.choice([0, 0, 6, 12, 30])
        screening = eligibility.screen(
            [eligibility.EducationEntry(e.years, e.ects, e.graduated_on) for e in entries],
            months,
            rules,
            cohort.starts_on,
        )
        closed = stages[key].is_closed
        withdrawn = key == "received" and index % 40 == 39
        applications.append(
            Application(
                program=program,
                cohort=cohort,
                first_name=first,
                last_name=last,
                email=f"soker{index}@{program.slug}.bench.example",
                phone=f"+479{rng.randrange(1_000_000, 9_999_999)}",
                home_municipality_id=rng.choice(homes),
                relevant_work_months=months,
                cover_letter="Jeg ønsker å bygge karrieren min i regionen.",
                source=rng.choice(Source.values),
                consent_at=now,
                idempotency_key=f"bench-{program.slug}-{index}",
                token_hash=services.hash_token(
                    APPLICANT_TOKEN.format(slug=program.slug, index=index)
                ),
                token_expires_at=now + timedelta(days=3 * 365),
                stage=stages[key],
                stage_entered_at=now - timedelta(days=rng.randint(0, 20)),
                eligible=screening.eligible,
                eligibility_reasons=[{"code": r.code, **r.params} for r in screening.reasons],
                withdrawn_at=now if withdrawn else None,
                closed_at=now if closed or withdrawn else None,
            )
        )
        educations.append(entries)
        picked = positions[:1] + rng.sample(positions[1:], 2) if index == 0 else None
        choices.append(picked or rng.sample(positions, rng.choice([1, 1, 2, 3])))
    Application.objects.bulk_create(applications, batch_size=500)
    for application, entries in zip(applications, educations, strict=True):
        for entry in entries:
            entry.application = application
    Education.objects.bulk_create([e for entries in educations for e in entries], batch_size=1_000)
    Choice.objects.bulk_create(
        [
            Choice(application=application, position=position, rank=rank)
            for application, chosen in zip(applications, choices, strict=True)
            for rank, position in enumerate(chosen, start=1)
        ],
        batch_size=1_000,
    )
    history = []
    for application, key in zip(applications, keys, strict=True):
        path = ["received", "screened", key] if key == "rejected" else STAGE_PATH
        path = path[: path.index(key) + 1]
        history += [
            StageChange(application=application, stage=stages[step], at=now, actor=coordinator)
            for step in path
        ]
    StageChange.objects.bulk_create(history, batch_size=1_000)
    scored = [a for a, key in zip(applications, keys, strict=True) if key in STAGE_PATH[2:]]
    Score.objects.bulk_create(
        [
            Score(application=a, criterion=c, reviewer=coordinator, value=rng.randint(1, 5))
            for a in scored
            for c in criteria
        ],
        batch_size=1_000,
    )
    name = default_storage.save(
        f"private/recruitment/{cohort.pk}/bench-cv.pdf", ContentFile(_bench_pdf())
    )
    documents = [
        Document(application=a, kind=DocumentKind.CV, file=name, original_name="cv.pdf", size=900)
        for index, a in enumerate(applications)
        if index % 3 == 0
    ]
    documents.append(
        Document(
            application=applications[0],
            kind=DocumentKind.DIPLOMA,
            file=name,
            original_name="vitnemal.pdf",
            size=900,
        )
    )
    Document.objects.bulk_create(documents, batch_size=1_000)
    showcase = applications[0]
    for text in ("Sterk motivasjon for regionen.", "Ring referanse før rekrutteringsdagene."):
        services.note_add(application=showcase, text=text, actor=coordinator)
    at_days = [a for a, key in zip(applications, keys, strict=True) if key == "recruitment_days"]
    requests = {
        (a.pk, track.organisation_id)
        for a, chosen, key in zip(applications, choices, keys, strict=True)
        if key == "recruitment_days"
        for position in chosen[:2]
        for track in position.hosts.all()
        if track.organisation_id is not None
    }
    InterviewRequest.objects.bulk_create(
        InterviewRequest(application_id=a, organisation_id=o) for a, o in sorted(requests)
    )
    plan = interviews.plan_ensure(round_)
    interviews.plan_update(plan=plan, data={"rooms": 10, "location": "Rådhuset, møterom 1–10"})
    for offset in (0, 1):
        interviews.day_add(
            plan=plan,
            day=date(2027, 3, 10) + timedelta(days=offset),
            starts_at=time(8, 30),
            ends_at=time(16, 0),
        )
    interviews.schedule_run(plan=plan, time_limit=SCHEDULER_SECONDS)
    for application in at_days[:3]:
        services.offer_make(
            application=application,
            position=Choice.objects.filter(application=application).order_by("rank")[0].position,
            starts_on=cohort.starts_on,
            actor=coordinator,
            notify=False,
        )
    assert Round.objects.filter(program=program).count() == 1


def _rotation(rng: random.Random, program: Program) -> None:
    """Rotation planning for the newest cohort with trainees: places for every active
    host, three ranked wishes per trainee (also from the trainee log-in), up to six
    ratings per host, two conflicts of interest, district municipalities and a solved
    draft plan."""
    from traineenett.rotation import selectors, services
    from traineenett.rotation.building import BuildOptions

    roles = _roles(program)
    coordinator = roles[RoleKind.COORDINATOR].user
    cohort = (
        Cohort.objects.filter(program=program, trainees__isnull=False)
        .distinct()
        .order_by("-starts_on")[0]
    )
    periods = list(cohort.periods.order_by("number"))
    hosts = list(
        Organisation.objects.filter(
            memberships__program=program,
            memberships__starts_on__lte=cohort.starts_on,
            memberships__ends_on__isnull=True,
        )
        .exclude(kind=OrganisationKind.CLUSTER)
        .distinct()
        .order_by("name", "pk")
    )
    trainees = list(cohort.trainees.order_by("last_name", "first_name", "pk"))

    def places(index: int, host: Organisation) -> int:
        return 3 if host.sector == Sector.PUBLIC else 2 if index % 3 == 0 else 1

    services.offers_set(
        cohort=cohort,
        rows={
            # Public bodies take more trainees: every trainee must see two sectors.
            host.pk: (
                {p.number: places(index, host) for p in periods},
                ", ".join(rng.sample(FIELDS, 2)),
            )
            for index, host in enumerate(hosts)
        },
        actor=coordinator,
    )
    own = Trainee.objects.get(program=program, user=roles[RoleKind.TRAINEE].user)
    for trainee in [*trainees, *([own] if own.cohort_id != cohort.pk else [])]:
        services.wishes_set(trainee=trainee, organisations=rng.sample(hosts, 3))
    for host in hosts:
        rated = rng.sample(trainees, min(len(trainees), 6))
        services.ratings_set(
            organisation=host, cohort=cohort, scores={t.pk: rng.randint(1, 5) for t in rated}
        )
    for trainee in trainees[:2]:
        placed = set(trainee.placements.values_list("organisation_id", flat=True))
        services.forbidden_add(
            trainee=trainee,
            organisation=rng.choice([host for host in hosts if host.pk not in placed]),
            reason="Nær familie i ledelsen.",
            actor=coordinator,
        )
    settings = selectors.settings_for(program)
    catchment = list(program.catchment.order_by("number"))
    settings.district_municipalities.set(catchment[len(catchment) // 2 :])
    plan = services.plan_create(
        cohort=cohort, options=BuildOptions(time_limit=SOLVER_SECONDS), actor=coordinator
    )
    services.plan_solve(plan=plan)


def _followup(rng: random.Random, program: Program, calendar: Any) -> None:
    """Every trainee of a finished cohort becomes an alumnus (``alumni_sync``); each is
    observed at the end of the programme and 1, 2 and 3 years later (as far as that lies
    in the past), mostly in the catchment, less so every year; 70 % have an employer one
    year after; 80 % were offered a job by a host."""
    from traineenett.followup.models import (
        Alumnus,
        EmploymentObservation,
        ObservationSource,
        ResidenceObservation,
    )
    from traineenett.followup.services import alumni_sync
    from traineenett.followup.settlement import target_date

    today = timezone.localdate()
    alumni_sync(program, today=today)
    alumni = list(Alumnus.objects.filter(program=program).order_by("pk"))
    catchment = list(program.catchment.values_list("number", flat=True))
    employers = list(
        Organisation.objects.filter(memberships__program=program).distinct().order_by("pk")
    )
    residences, employments = [], []
    for alumnus in alumni:
        alumnus.offered_job = rng.random() < 0.8
        for years in range(4):
            day = target_date(alumnus.program_end, years)
            if day > today:
                break
            stays = rng.random() < 0.85 - 0.08 * years
            options = [n for n in (catchment if stays else AWAY) if calendar.in_force(n, day)]
            residences.append(
                ResidenceObservation(
                    alumnus=alumnus,
                    observed_on=day,
                    municipality_number=rng.choice(options or ["0301"]),
                    source=rng.choice(ObservationSource.values),
                )
            )
            if years == 1 and rng.random() < 0.7:
                employer = rng.choice(employers)
                employments.append(
                    EmploymentObservation(
                        alumnus=alumnus,
                        observed_on=day,
                        employer_name=employer.name,
                        organisation_number=employer.organisation_number,
                        employer_is_member=True,
                        relevant_to_education=rng.random() < 0.9,
                        source=ObservationSource.COORDINATOR,
                    )
                )
    Alumnus.objects.bulk_update(alumni, ["offered_job"], batch_size=1_000)
    ResidenceObservation.objects.bulk_create(residences, batch_size=1_000)
    EmploymentObservation.objects.bulk_create(employments, batch_size=1_000)


def _surveys(rng: random.Random, program: Program) -> None:
    """Waves for every cohort, kept open 300 days (as in the demo) so this year's waves
    are open; every alumnus of an open wave is invited (no e-mail), 40 % answer through
    the service, 2 % opt out."""
    from traineenett.surveys import services
    from traineenett.surveys.models import Invitation, Wave

    today = timezone.localdate()
    services.survey_settings_update(program=program, data={"wave_open_days": 300})
    services.waves_sync(program)
    catchment = sorted(program.catchment.values_list("number", flat=True))
    waves = Wave.objects.filter(program=program, opens_on__lte=today, closes_on__gte=today)
    for wave in waves.order_by("opens_on", "pk"):
        services.wave_invite(wave=wave, deliver=False)
        invitations = Invitation.objects.filter(wave=wave).select_related("alumnus")
        for index, invitation in enumerate(invitations.order_by("pk")):
            if index == 0:
                continue  # left unanswered: the benchmark opens its link
            draw = rng.random()
            if draw < 0.02:
                services.survey_opt_out(invitation=invitation)
            elif draw < 0.42:
                employer = rng.choice(["Equinor ASA", "Sykehuset HF", "Kommunen", ""])
                services.survey_answer_submit(
                    invitation=invitation,
                    municipality=rng.choice([*catchment, *AWAY]),
                    employer_name=employer,
                    relevant_to_education=rng.choice([True, True, False]) if employer else None,
                    programme_mattered=rng.randint(1, 5),
                )


def _competence(rng: random.Random, program: Program) -> None:
    """The 20 days for every cohort with trainees: ten two-day sessions each (the default
    modules, the facilitator log-in), a link and a file of material per session,
    attendance and a reflection assignment for every past session (70 % write one, 40 %
    of those get a comment), calendar feeds for the trainee log-in and its cohort, and a
    round of task-force groups for the current cohorts with a task per group."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.core.files.base import ContentFile

    from traineenett.competence import services
    from traineenett.competence.models import (
        Attendance,
        AttendanceSource,
        AttendanceStatus,
        Reflection,
    )

    oslo = ZoneInfo("Europe/Oslo")
    roles = _roles(program)
    facilitator = roles[RoleKind.FACILITATOR].user
    coordinator = roles[RoleKind.COORDINATOR].user
    modules = services.modules_ensure_defaults(program=program)
    now, today = timezone.now(), timezone.localdate()
    statuses = [AttendanceStatus.PRESENT] * 17 + [
        AttendanceStatus.LATE,
        AttendanceStatus.EXCUSED,
        AttendanceStatus.ABSENT,
    ]
    cohorts = list(
        Cohort.objects.filter(program=program, trainees__isnull=False)
        .distinct()
        .order_by("starts_on")
    )
    attendance, reflections = [], []
    for cohort in cohorts:
        trainees = list(cohort.trainees.order_by("pk"))
        first = cohort.starts_on + timedelta(days=30)
        for index in range(10):
            day = first + timedelta(weeks=10 * index)
            day += timedelta(days=(1 - day.weekday()) % 7)  # a Tuesday and Wednesday
            days = [
                (datetime.combine(d, time(9), oslo), datetime.combine(d, time(16), oslo))
                for d in (day, day + timedelta(days=1))
            ]
            session = services.session_create(
                program=program,
                module=modules[index % len(modules)],
                title=f"Samling {index + 1}: {modules[index % len(modules)].name}",
                cohorts=[cohort],
                days=days,
                place="Kulturhuset",
                facilitator=facilitator,
                description="Teori, caser fra traineenes egne jobber og gruppearbeid.",
                actor=coordinator,
            )
            services.material_add(
                session=session, title="Presentasjon", url="https://example.org/slides"
            )
            if index == 0:
                services.material_add(
                    session=session,
                    title="Program for samlingen",
                    file=ContentFile(_bench_pdf(), name="program.pdf"),
                )
            if session.ends_at > now:
                continue
            marks = {t.pk: rng.choice(statuses) for t in trainees}
            attendance += [
                Attendance(
                    session=session,
                    trainee=t,
                    status=marks[t.pk],
                    source=AttendanceSource.REGISTERED,
                    recorded_by=facilitator,
                )
                for t in trainees
            ]
            assignment = services.assignment_create(
                session=session,
                title=f"Refleksjon: {session.title}",
                prompt="Hvordan kan teorien fra samlingen brukes der du jobber nå?",
                due_at=session.ends_at + timedelta(days=14),
            )
            for trainee in trainees:
                if marks[trainee.pk] == AttendanceStatus.ABSENT or rng.random() > 0.7:
                    continue
                commented = rng.random() < 0.4
                reflections.append(
                    Reflection(
                        assignment=assignment,
                        trainee=trainee,
                        text="Jeg har prøvd modellene i arbeidsmøter hos verten min.",
                        submitted_at=session.ends_at + timedelta(days=rng.randint(1, 12)),
                        comment="Godt eksempel!" if commented else "",
                        commented_by=facilitator if commented else None,
                        commented_at=now if commented else None,
                    )
                )
    Attendance.objects.bulk_create(attendance, batch_size=2_000)
    Reflection.objects.bulk_create(reflections, batch_size=2_000)
    own = Trainee.objects.get(program=program, user=roles[RoleKind.TRAINEE].user)
    services.feed_for_trainee(own)
    services.feed_for_cohort(own.cohort)
    current = [c for c in cohorts if c.ends_on >= today]
    round_ = services.group_round_build(
        program=program, name="Task force: rekrutteringsdagene", cohorts=current, group_size=5
    )
    for group in round_.groups.order_by("number"):
        services.group_task_create(
            group=group,
            title="Logistikk på rekrutteringsdagene",
            due_on=today + timedelta(days=14 + 7 * group.number),
        )


def _finance(rng: random.Random, program: Program, index: int) -> None:
    """As the finance demo: invoicing settings and a billing contact per member, this
    year's fee schedule (annual fees by tier and per placement, or per trainee-day where
    the programme employs the trainees), budgets for four years, an invoice per member
    for the year (two thirds issued, half of those paid, one credited), board seats,
    two meetings with an attachment and three membership applications."""
    from django.core.files.base import ContentFile

    from traineenett.core.demo import organisation_number
    from traineenett.finance import services
    from traineenett.finance.models import (
        BoardRole,
        BoardSeatKind,
        CostCategory,
        FeeCondition,
        FeeKind,
        RevenueSource,
        VatRate,
    )

    year = timezone.localdate().year
    roles = _roles(program)
    coordinator = roles[RoleKind.COORDINATOR].user
    services.finance_settings_update(
        program=program,
        data={
            "seller_name": program.name,
            "seller_organisation_number": organisation_number(900 + index),
            "bank_account": "86011117947",
        },
    )
    memberships = list(
        Membership.objects.filter(program=program).select_related("organisation").order_by("pk")
    )
    for membership in memberships:
        services.billing_contact_save(
            program=program,
            organisation=membership.organisation,
            invoice_email=f"faktura{membership.organisation_id}@bench.example",
        )
    schedule = services.fee_schedule_create(
        program=program,
        name=f"Kontingent {year}",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    for tier, amount in (("Standard", 75_000), ("Klynge", 25_000)):
        services.fee_rule_add(
            schedule=schedule,
            data={
                "kind": FeeKind.ANNUAL,
                "description": f"Medlemskontingent {year} ({tier.lower()})",
                "tier": tier,
                "condition": FeeCondition.ANY,
                "amount": Decimal(amount),
                "vat_rate": VatRate.EXEMPT,
            },
        )
    employs = program.employment_model == EmploymentModel.PROGRAM_EMPLOYS
    services.fee_rule_add(
        schedule=schedule,
        data={
            "kind": FeeKind.PER_DAY if employs else FeeKind.PER_PLACEMENT,
            "description": "Traineedøgn" if employs else "Kompetanseprogram per trainee",
            "amount": Decimal(1_250 if employs else 18_000),
            "vat_rate": VatRate.STANDARD,
        },
    )
    for budget_year in range(year - 3, year + 1):
        rows: dict[str, tuple[Decimal, Decimal]] = {}
        for category, amount in (
            (CostCategory.COORDINATION, 1_600_000),
            (CostCategory.COMPETENCE, 850_000),
            (CostCategory.MARKETING, 220_000),
            (CostCategory.EVENTS, 180_000),
            (CostCategory.OTHER_COST, 90_000),
            (RevenueSource.MEMBER_FEES, 2_400_000),
            (RevenueSource.TRAINEE_FEES, 500_000),
            (RevenueSource.PUBLIC_GRANTS, 300_000 if index % 3 == 0 else 0),
            (RevenueSource.OTHER_REVENUE, 0),
        ):
            actual = Decimal(amount * rng.randint(94, 104) // 100)
            rows[category] = (Decimal(amount), actual if budget_year < year else actual * 10 / 12)
        services.budget_save(program=program, year=budget_year, rows=rows)
    run = services.invoices_generate_for_members(
        program=program, period_start=date(year, 1, 1), period_end=date(year, 12, 31)
    )
    for number, invoice in enumerate(run.created):
        if number % 3 == 2:
            continue  # a draft
        services.invoice_issue(invoice=invoice, send=False, today=date(year, 2, 1))
        if number % 2 == 0:
            invoice.refresh_from_db()
            services.invoice_mark_paid(invoice=invoice, paid_on=date(year, 2, 12))
    members = [m for m in memberships if m.ends_on is None and m.fee_tier == "Standard"]
    for number, membership in enumerate(members[:6]):
        services.board_seat_create(
            program=program,
            data={
                "kind": BoardSeatKind.MEMBER,
                "role": BoardRole.CHAIR if number == 0 else BoardRole.MEMBER,
                "person_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "organisation": membership.organisation,
                "starts_on": date(year - 1, 6, 1),
            },
        )
    for number, held_on in enumerate((date(year, 3, 12), date(year, 9, 17)), start=1):
        meeting = services.meeting_create(
            program=program,
            data={
                "held_on": held_on,
                "title": f"Styremøte {number}/{year}",
                "decisions": "Årsregnskapet ble godkjent.\nKontingentsatsene videreføres.",
            },
            actor=coordinator,
        )
        services.attachment_add(
            meeting=meeting,
            title="Sakspapirer",
            upload=ContentFile(_bench_pdf(), name="sakspapirer.pdf"),
        )
    homes = list(program.catchment.order_by("number"))
    for number in range(3):
        services.application_submit(
            program=program,
            data={
                "organisation_number": organisation_number(90_000 + 10 * index + number),
                "organisation_name": f"{homes[number % len(homes)].name} Vekst AS",
                "kind": OrganisationKind.COMPANY,
                "sector": Sector.PRIVATE,
                "municipality": homes[number % len(homes)],
                "employees": 20 + number,
                "contact_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                "contact_email": f"kontakt{number}@{program.slug}.bench.example",
                "contact_phone": "+47 900 00 000",
                "invoice_email": "",
                "fee_tier": "Standard",
                "motivation": "Vi vil rekruttere unge talenter til regionen.",
            },
        )
