"""Demo data for rotation planning: places, wishes and ratings for the current Trainee
Innlandet cohort, and a set of district municipalities, so a plan can be built and solved
at once."""

from __future__ import annotations

import random

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Municipality, Program
from traineenett.members.models import Membership, OrganisationKind
from traineenett.rotation import selectors, services

# Innlandet municipalities the demo counts as districts (the register has no centrality
# classes; a programme marks its own set on the weights page).
INNLANDET_DISTRICTS = [
    "3421",
    "3423",
    "3424",
    "3425",
    "3426",
    "3427",
    "3428",
    "3429",
    "3430",
    "3431",
    "3432",
    "3433",
    "3434",
    "3435",
    "3436",
    "3437",
    "3438",
    "3439",
    "3450",
    "3452",
    "3453",
    "3454",
]


def current_cohort(program: Program) -> Cohort:
    """The cohort of the demo trainee's log-in (the core demo links one per programme)."""
    cohort = (
        Cohort.objects.filter(program=program, trainees__user__isnull=False)
        .order_by("-starts_on")
        .first()
    )
    return cohort or Cohort.objects.filter(program=program).order_by("-starts_on")[1]


def seed(innlandet: Program, helgeland: Program) -> None:
    rng = random.Random(2025)  # noqa: S311 — deterministic demo data, not secrets
    cohort = current_cohort(innlandet)
    periods = list(cohort.periods.order_by("number"))
    memberships = Membership.objects.filter(
        program=innlandet, starts_on__lte=cohort.starts_on
    ).select_related("organisation")
    hosts = sorted(
        {m.organisation for m in memberships if m.organisation.kind != OrganisationKind.CLUSTER},
        key=lambda o: o.name,
    )
    trainees = list(cohort.trainees.order_by("last_name", "first_name"))
    disciplines = sorted({t.discipline for t in trainees})
    rows = {}
    for index, host in enumerate(hosts):
        places = {p.number: 2 if index % 3 == 0 else 1 for p in periods}
        rows[host.pk] = (places, ", ".join(rng.sample(disciplines, min(2, len(disciplines)))))
    services.offers_set(cohort=cohort, rows=rows)
    for trainee in trainees:
        services.wishes_set(trainee=trainee, organisations=list(rng.sample(hosts, 3)))
    for host in hosts:
        rated = rng.sample(trainees, min(len(trainees), 4))
        services.ratings_set(
            organisation=host,
            cohort=cohort,
            scores={t.pk: rng.randint(2, 5) for t in rated},
        )
    settings = selectors.settings_for(innlandet)
    settings.district_municipalities.set(
        Municipality.objects.filter(number__in=INNLANDET_DISTRICTS)
    )
