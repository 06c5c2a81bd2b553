"""Follow-up data for the demo programmes, written through the services.

Trainee Innlandet: every trainee of the twelve finished cohorts becomes an alumnus and
is observed exactly at the end of the programme and after 1, 2 and 3 years, so the
figures are exact: 62 of 92 resident at the end (67 %), 57 after one year (62 %), 52
after two (57 %) and 46 after three years — the seed's 50 %. Observations before 2020
use the old Hedmark/Oppland numbers (04xx/05xx), as people reported them then; some
leavers move to Jevnaker, which left Oppland in 2020 and does not count.

Trainee Helgeland: its one finished cohort is followed by the services, and the history
of three earlier cohorts comes in through the CSV import, as a programme would load it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date

from django.utils import timezone

from traineenett.core.demo import Login
from traineenett.core.models import MunicipalityChange, Program
from traineenett.followup.models import Alumnus, ObservationSource, Origin
from traineenett.followup.municipality_dates import MunicipalityCalendar
from traineenett.followup.services import (
    alumni_sync,
    employment_record,
    followup_import,
    municipality_calendar,
    residence_record,
)
from traineenett.followup.settlement import target_date

# How many of Innlandet's 92 alumni live in the catchment at horizons 0, 1, 2, 3.
INNLANDET_RESIDENT = (62, 57, 52, 46)
INNLANDET_HOMES = ("3403", "3405", "3407", "3411", "3420", "3401", "3413", "3436", "3446")
AWAY = ("0301", "4601", "5001", "3236", "3201")  # Oslo, Bergen, Trondheim, Jevnaker, Bærum
HELGELAND_HOMES = ("1833", "1824", "1820", "1813")
HELGELAND_AWAY = ("0301", "1804", "5001")


class Numbers:
    """Today's municipality number → the number a person would have reported on a day."""

    def __init__(self, calendar: MunicipalityCalendar) -> None:
        self.calendar = calendar
        self.predecessors: dict[str, list[str]] = defaultdict(list)
        for old, new in MunicipalityChange.objects.values_list("old_code", "new_code"):
            if old != new:
                self.predecessors[new].append(old)

    def on(self, code: str, day: date) -> str:
        seen, queue = set(), [code]
        while queue:
            current = queue.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if self.calendar.in_force(current, day):
                return current
            queue += sorted(self.predecessors.get(current, ()))
        return code


def _residences(
    alumnus: Alumnus,
    homes: list[str],
    today: date,
    numbers: Numbers,
    calendar: MunicipalityCalendar,
) -> None:
    for years, home in enumerate(homes):
        day = target_date(alumnus.program_end, years)
        if day > today:
            break
        residence_record(
            alumnus,
            observed_on=day,
            municipality_number=numbers.on(home, day),
            source=ObservationSource.COORDINATOR,
            calendar=calendar,
        )


def _innlandet(
    program: Program, today: date, numbers: Numbers, calendar: MunicipalityCalendar
) -> None:
    rng = random.Random(2011)  # noqa: S311 — deterministic demo data, not security
    alumni_sync(program, today=today)
    alumni = list(Alumnus.objects.filter(program=program).order_by("program_end", "pk"))
    # Those who came from the region stay more often than those who moved to it.
    ranked = sorted(
        alumni, key=lambda a: rng.random() + (0.35 if a.origin == Origin.MOVED else 0.0)
    )
    members = list(
        program.memberships.select_related("organisation").order_by("organisation__name")
    )
    for position, alumnus in enumerate(ranked):
        # Resident at horizon h while position < INNLANDET_RESIDENT[h].
        home = INNLANDET_HOMES[position % len(INNLANDET_HOMES)]
        away = AWAY[position % len(AWAY)]
        homes = [home if position < count else away for count in INNLANDET_RESIDENT]
        _residences(alumnus, homes, today, numbers, calendar)
        alumnus.offered_job = rng.random() < 0.82
        alumnus.save(update_fields=["offered_job"])
        one_year = target_date(alumnus.program_end, 1)
        if one_year <= today:
            if position < INNLANDET_RESIDENT[1]:
                employer = members[position % len(members)].organisation
                employment_record(
                    alumnus,
                    observed_on=one_year,
                    employer_name=employer.name,
                    organisation_number=employer.organisation_number,
                    employer_is_member=True,
                    relevant_to_education=rng.random() < 0.9,
                    source=ObservationSource.COORDINATOR,
                )
            else:
                employment_record(
                    alumnus,
                    observed_on=one_year,
                    employer_name=rng.choice(["Oslo kommune", "Equinor ASA", "Sweco Norge AS"]),
                    employer_is_member=False,
                    relevant_to_education=rng.random() < 0.7,
                    source=ObservationSource.COORDINATOR,
                )


def helgeland_history_csv(slug: str, numbers: Numbers) -> bytes:
    """Three earlier cohorts of seven, in the import format (as a programme would keep it)."""
    rng = random.Random(2012)  # noqa: S311 — deterministic demo data, not security
    lines = ["program,person,cohort,program_end,offered_job,observed_on,municipality"]
    person = 0
    for year in (2015, 2017, 2019):
        end = date(year + 2, 8, 14)
        for _ in range(7):
            person += 1
            stays = rng.random() < 0.68
            offered = "true" if rng.random() < 0.85 else rng.choice(["false", ""])
            home = HELGELAND_HOMES[person % len(HELGELAND_HOMES)]
            for years in range(4):
                day = target_date(end, years)
                resident = stays or years == 0
                code = home if resident else HELGELAND_AWAY[person % len(HELGELAND_AWAY)]
                lines.append(
                    f"{slug},H{person:03d},Kull {year},{end.isoformat()},{offered},"
                    f"{day.isoformat()},{numbers.on(code, day)}"
                )
    return ("\n".join(lines) + "\n").encode()


def _helgeland(
    program: Program, today: date, numbers: Numbers, calendar: MunicipalityCalendar
) -> None:
    rng = random.Random(2013)  # noqa: S311 — deterministic demo data, not security
    followup_import(data=helgeland_history_csv(program.slug, numbers), today=today)
    alumni_sync(program, today=today)
    for alumnus in Alumnus.objects.filter(program=program, trainee__isnull=False).order_by("pk"):
        home = HELGELAND_HOMES[alumnus.pk % len(HELGELAND_HOMES)]
        stays = rng.random() < 0.75
        later = home if stays else HELGELAND_AWAY[alumnus.pk % len(HELGELAND_AWAY)]
        homes = [home, later, later, later]
        _residences(alumnus, homes, today, numbers, calendar)
        alumnus.offered_job = rng.random() < 0.8
        alumnus.save(update_fields=["offered_job"])


def seed(innlandet: Program, helgeland: Program) -> list[Login] | None:
    today = timezone.localdate()
    calendar = municipality_calendar()
    numbers = Numbers(calendar)
    _innlandet(innlandet, today, numbers, calendar)
    _helgeland(helgeland, today, numbers, calendar)
    return None
