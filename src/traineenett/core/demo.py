"""The deterministic demo: a fictional Trainee Innlandet and a smaller second programme.

Fictional people and organisations, real municipality numbers. Everything is written
through the services, so the demo obeys the same rules as real input.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

from traineenett.cohorts import services as cohort_services
from traineenett.cohorts.models import Cohort, Trainee
from traineenett.core.models import EmploymentModel, Municipality, Program, RoleKind, User
from traineenett.core.services import program_create, role_grant
from traineenett.members import services as member_services
from traineenett.members.models import Membership, Organisation, OrganisationKind, Sector

PASSWORD = "demo"  # noqa: S105 — the demo serves on 127.0.0.1 only


def organisation_number(seed: int) -> str:
    """A valid (mod-11) but fictional organisation number derived from ``seed``."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    base = 910_000_00 + seed * 7
    while True:
        digits = [int(d) for d in str(base)]
        remainder = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return f"{base}{check}"
        base += 1


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    sector: str
    industry: str
    municipality: str
    employees: int | None
    joined: date
    cluster: str | None = None


FIRST_NAMES = [
    "Ingrid",
    "Ola",
    "Kari",
    "Emil",
    "Sofie",
    "Jonas",
    "Nora",
    "Henrik",
    "Maja",
    "Sindre",
    "Ida",
    "Magnus",
    "Thea",
    "Sander",
    "Hanna",
    "Eirik",
    "Marte",
    "Vegard",
    "Silje",
    "Amir",
    "Ragnhild",
    "Tobias",
    "Aurora",
    "Jørgen",
    "Live",
    "Halvor",
    "Eline",
    "Mathias",
    "Oda",
    "Fatima",
]
LAST_NAMES = [
    "Haugen",
    "Bakken",
    "Nordby",
    "Lien",
    "Moen",
    "Rustad",
    "Sveen",
    "Dahl",
    "Kristiansen",
    "Evensen",
    "Holm",
    "Sæther",
    "Brenden",
    "Tangen",
    "Løken",
    "Aas",
    "Myhre",
    "Strand",
    "Ødegård",
    "Nygaard",
]
DISCIPLINES = [
    ("economics", "Master i økonomi og ledelse"),
    ("engineering", "Master i teknologi"),
    ("law", "Master i rettsvitenskap"),
    ("computer science", "Master i informatikk"),
    ("social science", "Master i samfunnsplanlegging"),
    ("biology", "Master i bioteknologi"),
    ("communication", "Master i kommunikasjon"),
    ("public health", "Master i folkehelse"),
]
INSTITUTIONS = [
    "Høgskolen i Innlandet",
    "NTNU",
    "Universitetet i Oslo",
    "NMBU",
    "Universitetet i Bergen",
    "Handelshøyskolen BI",
    "UiT Norges arktiske universitet",
    "Universitetet i Agder",
]

INNLANDET_ORGS = [
    Org(
        "Tre- og byggklyngen Innlandet",
        OrganisationKind.CLUSTER,
        Sector.PRIVATE,
        "Klynge",
        "3420",
        None,
        date(2012, 1, 1),
    ),
    Org(
        "Digital Innlandet",
        OrganisationKind.CLUSTER,
        Sector.PRIVATE,
        "Klynge",
        "3407",
        None,
        date(2016, 1, 1),
    ),
    Org(
        "Sykehuset Mjøsa HF",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Helse",
        "3403",
        8200,
        date(1998, 9, 1),
    ),
    Org(
        "Mjøskraft AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Energi",
        "3403",
        900,
        date(1998, 9, 1),
    ),
    Org(
        "Opplandsbanken ASA",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Finans",
        "3407",
        1100,
        date(1998, 9, 1),
    ),
    Org(
        "Innlandsmeieriet SA",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Næringsmidler",
        "3411",
        1800,
        date(1998, 9, 1),
    ),
    Org(
        "Kommunesamarbeidet Gudbrandsdal IKS",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Offentlig forvaltning",
        "3405",
        650,
        date(1998, 9, 1),
    ),
    Org(
        "Høgskolen i Mjøsregionen",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Utdanning",
        "3407",
        1250,
        date(1998, 9, 1),
    ),
    Org(
        "Hedmark Tre og Bygg AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Industri",
        "3420",
        1500,
        date(2005, 1, 1),
        "Tre- og byggklyngen Innlandet",
    ),
    Org(
        "Statens innlandsetat",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Offentlig forvaltning",
        "3401",
        700,
        date(2010, 1, 1),
    ),
    Org(
        "Vinstra Tekniske AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Teknologi",
        "3436",
        600,
        date(2014, 1, 1),
        "Digital Innlandet",
    ),
    Org(
        "Lillehammer Reiseliv AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Reiseliv",
        "3405",
        300,
        date(2018, 1, 1),
    ),
]
# Twelve finished cohorts (every other year from 1999), 92 trainees; then two running.
INNLANDET_COHORTS = [(1999 + 2 * i, 8 if i < 8 else 7) for i in range(12)] + [(2025, 8), (2026, 9)]
INNLANDET_HOME = [
    "3403",
    "3405",
    "3407",
    "3411",
    "3420",
    "3401",
    "0301",
    "5001",
    "4601",
    "3436",
    "3413",
]

HELGELAND_ORGS = [
    Org(
        "Helgeland Havbruk AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Havbruk",
        "1820",
        420,
        date(2012, 1, 1),
    ),
    Org(
        "Ranaverket AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Industri",
        "1833",
        1300,
        date(2012, 1, 1),
    ),
    Org(
        "Vefsn Energi AS",
        OrganisationKind.COMPANY,
        Sector.PRIVATE,
        "Energi",
        "1824",
        260,
        date(2012, 1, 1),
    ),
    Org(
        "Helgelandssykehuset Sør HF",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Helse",
        "1824",
        1700,
        date(2014, 1, 1),
    ),
    Org(
        "Brønnøy Kystservice IKS",
        OrganisationKind.PUBLIC_BODY,
        Sector.PUBLIC,
        "Offentlig forvaltning",
        "1813",
        180,
        date(2016, 1, 1),
    ),
]
HELGELAND_COHORTS = [(2023, 6), (2025, 6)]
HELGELAND_HOME = ["1833", "1824", "1820", "1813", "0301", "5001", "1804"]
HELGELAND_CATCHMENT = (
    "1813,1815,1816,1818,1820,1822,1824,1825,1826,1827,1828,1832,1833,1834,1835,1836"
)


@dataclass(frozen=True)
class Login:
    program: str
    role: str
    email: str


def _program(
    slug: str, name: str, catchment: str, region: str, founded: int, model: str
) -> Program:
    return program_create(
        slug=slug,
        name=name,
        catchment_codes=catchment,
        region_name=region,
        founded_year=founded,
        employment_model=model,
    )


def _organisations(program: Program, orgs: list[Org], seed_offset: int) -> list[Organisation]:
    by_name: dict[str, Organisation] = {}
    for index, org in enumerate(orgs):
        membership = member_services.membership_create(
            program=program,
            organisation_data={
                "name": org.name,
                "organisation_number": organisation_number(seed_offset + index),
                "kind": org.kind,
                "parent_cluster": by_name.get(org.cluster) if org.cluster else None,
                "sector": org.sector,
                "industry": org.industry,
                "municipality": Municipality.objects.get(pk=org.municipality),
                "employees": org.employees,
            },
            starts_on=org.joined,
            fee_tier="Klynge"
            if org.kind == OrganisationKind.CLUSTER
            else ("Stor" if (org.employees or 0) > 1000 else "Standard"),
        )
        by_name[org.name] = membership.organisation
    return list(by_name.values())


def _cohorts(
    program: Program,
    hosts: list[Organisation],
    cohorts: list[tuple[int, int]],
    homes: list[str],
    rng: random.Random,
    salary_2025: int,
) -> list[Trainee]:
    trainees: list[Trainee] = []
    memberships = {m.organisation_id: m for m in Membership.objects.filter(program=program)}
    person = 0
    for year, size in cohorts:
        cohort = cohort_services.cohort_create(
            program=program,
            label=f"Kull {year}",
            starts_on=date(year, 8, 15),
            common_salary=Decimal(salary_2025 - (2025 - year) * 9_000),
        )
        periods = list(cohort.periods.order_by("number"))
        active = [h for h in hosts if memberships[h.pk].starts_on <= periods[0].starts_on]
        rng.shuffle(active)
        for index in range(size):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            discipline, degree = rng.choice(DISCIPLINES)
            person += 1
            trainee = cohort_services.trainee_create(
                cohort=cohort,
                data={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}.{person}@example.org".lower()
                    .replace("ø", "o")
                    .replace("æ", "ae")
                    .replace("å", "a"),
                    "discipline": discipline,
                    "degree": degree,
                    "institution": rng.choice(INSTITUTIONS),
                    "higher_education_years": Decimal(rng.choice([5, 5, 5, 4, 6])),
                    "home_municipality_id": rng.choice(homes),
                    "employer": active[index % len(active)]
                    if program.employment_model == EmploymentModel.MEMBER_EMPLOYS
                    else None,
                },
            )
            # Consecutive hosts in a shuffled ring: three different organisations per trainee.
            for offset, period in enumerate(periods):
                cohort_services.placement_create(
                    trainee=trainee,
                    period=period,
                    organisation=active[(index + offset) % len(active)],
                    mentor=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                )
            trainees.append(trainee)
    return trainees


def _user(email: str, first: str, last: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.first_name, user.last_name = first, last
    user.is_superuser = user.is_staff = superuser
    user.set_password(PASSWORD)
    user.save()
    return user


def _logins(
    program: Program, domain: str, hosts: list[Organisation], trainee: Trainee
) -> list[Login]:
    people = [
        ("koordinator", RoleKind.COORDINATOR, None, "Kari", "Koordinator"),
        ("styre", RoleKind.BOARD, None, "Bjørn", "Styremedlem"),
        ("vert.a", RoleKind.HOST, hosts[0], "Vera", "Vertsen"),
        ("vert.b", RoleKind.HOST, hosts[1], "Viktor", "Vertsby"),
        ("analytiker", RoleKind.ANALYST, None, "Anne", "Analytiker"),
    ]
    logins = []
    for local, kind, organisation, first, last in people:
        user = _user(f"{local}@{domain}", first, last)
        role_grant(program=program, user=user, kind=kind, organisation=organisation)
        label = f"{RoleKind(kind).label}" + (f" ({organisation.name})" if organisation else "")
        logins.append(Login(program.slug, label, user.email))
    user = _user(f"trainee@{domain}", trainee.first_name, trainee.last_name)
    trainee.user = user
    trainee.save(update_fields=["user"])
    role_grant(program=program, user=user, kind=RoleKind.TRAINEE)
    logins.append(
        Login(program.slug, f"{RoleKind.TRAINEE.label} ({trainee.full_name})", user.email)
    )
    return logins


@transaction.atomic
def seed_demo() -> list[Login]:
    """Load the demo programmes. Returns the demo log-ins (all with password ``demo``)."""
    rng = random.Random(1998)
    innlandet = _program(
        "trainee-innlandet",
        "Trainee Innlandet",
        "34",
        "Innlandet (Hedmark og Oppland)",
        1998,
        EmploymentModel.MEMBER_EMPLOYS,
    )
    innlandet_orgs = _organisations(innlandet, INNLANDET_ORGS, 0)
    innlandet_hosts = [o for o in innlandet_orgs if o.kind != OrganisationKind.CLUSTER]
    innlandet_trainees = _cohorts(
        innlandet, innlandet_hosts, INNLANDET_COHORTS, INNLANDET_HOME, rng, 560_000
    )

    helgeland = _program(
        "trainee-helgeland",
        "Trainee Helgeland",
        HELGELAND_CATCHMENT,
        "Helgeland",
        2012,
        EmploymentModel.PROGRAM_EMPLOYS,
    )
    helgeland_orgs = _organisations(helgeland, HELGELAND_ORGS, 100)
    helgeland_trainees = _cohorts(
        helgeland, helgeland_orgs, HELGELAND_COHORTS, HELGELAND_HOME, rng, 545_000
    )

    current_innlandet = Cohort.objects.filter(program=innlandet).order_by("-starts_on")[1]
    trainee_innlandet = next(t for t in innlandet_trainees if t.cohort_id == current_innlandet.pk)
    trainee_helgeland = helgeland_trainees[-1]
    logins = [
        Login(
            "—",
            "Platform admin",
            _user("admin@traineenett.demo", "Pål", "Plattform", superuser=True).email,
        )
    ]
    logins += _logins(innlandet, "innlandet.demo", innlandet_hosts, trainee_innlandet)
    logins += _logins(helgeland, "helgeland.demo", helgeland_orgs, trainee_helgeland)
    logins += _app_demos(innlandet, helgeland)
    return logins


# Apps that add to the demo, in this order (later ones may use what earlier ones made).
DEMO_APPS = ("recruitment", "rotation", "competence", "followup", "surveys", "finance")


def _app_demos(innlandet: Program, helgeland: Program) -> list[Login]:
    """Each app's ``demo.seed(innlandet, helgeland)`` adds its data; it may return log-ins."""
    logins: list[Login] = []
    for app in DEMO_APPS:
        name = f"traineenett.{app}.demo"
        if find_spec(name) is not None:
            logins += import_module(name).seed(innlandet, helgeland) or []
    return logins
