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
from datetime import date
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

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
    clusters, others = [], []
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
    """Coordinator, board member, host contact and trainee log-ins (no usable password:
    the benchmark uses force_login). Returns the coordinator."""
    users = {
        kind: User(
            email=f"{kind}@{program.slug}.bench.example",
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            password=make_password(None),
        )
        for kind in (RoleKind.COORDINATOR, RoleKind.BOARD, RoleKind.HOST, RoleKind.TRAINEE)
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


@transaction.atomic
def generate(seed: int = 2026) -> None:
    """Fill the current database with the national-scale data set (deterministic)."""
    rng = random.Random(seed)
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
        most_placed = max(zip(trainees, placements, strict=True), key=lambda pair: len(pair[1]))[0]
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
