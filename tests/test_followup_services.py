"""Follow-up services: alumni from finished cohorts, residence and employment observations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import World
from tests.factories import CohortFactory, TraineeFactory
from tests.factories_followup import alumnus_of
from traineenett.core.models import AuditEntry
from traineenett.followup.models import Alumnus
from traineenett.followup.services import (
    alumni_sync,
    employment_record,
    residence_record,
    trainee_pseudonym,
)


def test_alumni_sync_creates_one_alumnus_per_trainee_of_a_finished_cohort(world: World) -> None:
    finished = CohortFactory(
        program=world.program,
        label="Kull 2019",
        starts_on=date(2019, 8, 15),
        ends_on=date(2021, 8, 14),
    )
    local = TraineeFactory(cohort=finished, home_municipality_id="3403")
    moved = TraineeFactory(cohort=finished, home_municipality_id="0301")
    unknown = TraineeFactory(cohort=finished, home_municipality_id=None)
    # world.trainee's cohort ends in 2027: not finished, no alumnus.
    assert alumni_sync(world.program) == 3
    assert alumni_sync(world.program) == 0  # idempotent
    alumni = {a.trainee_id: a for a in Alumnus.objects.filter(program=world.program)}
    assert set(alumni) == {local.pk, moved.pk, unknown.pk}
    assert alumni[local.pk].origin == "local"
    assert alumni[moved.pk].origin == "moved"
    assert alumni[unknown.pk].origin == ""
    assert alumni[local.pk].program_end == date(2021, 8, 14)
    assert alumni[local.pk].person == trainee_pseudonym(local.pk)
    assert local.last_name not in alumni[local.pk].person
    assert len({a.panel_id for a in alumni.values()}) == 3
    assert AuditEntry.objects.filter(action="followup.alumni.synced").count() == 1


def test_alumni_sync_keeps_programmes_apart(world: World) -> None:
    other = CohortFactory(
        program=world.other_program, starts_on=date(2019, 8, 15), ends_on=date(2021, 8, 14)
    )
    TraineeFactory(cohort=other)
    assert alumni_sync(world.program) == 0
    assert alumni_sync(world.other_program) == 1


def test_residence_record_stores_the_number_as_reported(world: World) -> None:
    alumnus = alumnus_of(world)
    observation = residence_record(
        alumnus, observed_on=date(2019, 5, 1), municipality_number=" 0403 ", source="coordinator"
    )
    assert observation.municipality_number == "0403"
    entry = AuditEntry.objects.get(action="followup.residence.recorded")
    assert entry.program == world.program
    assert entry.changes["municipality_number"] == "0403"


@pytest.mark.parametrize(
    ("number", "day"),
    [
        ("9999", date(2019, 5, 1)),
        ("0403", date(2020, 1, 1)),
        ("3403", date(2019, 12, 31)),
        ("34", date(2021, 1, 1)),
    ],
)
def test_residence_record_refuses_a_number_not_in_force(
    world: World, number: str, day: date, english: None
) -> None:
    with pytest.raises(ValidationError) as error:
        residence_record(
            alumnus_of(world), observed_on=day, municipality_number=number, source="survey"
        )
    assert "municipality_number" in error.value.message_dict
    assert not alumnus_of(world).residences.exists()


def test_residence_record_refuses_future_dates_and_unknown_sources(world: World) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as future:
        residence_record(
            alumnus_of(world), observed_on=tomorrow, municipality_number="3403", source="survey"
        )
    assert "observed_on" in future.value.message_dict
    with pytest.raises(ValidationError) as source:
        residence_record(
            alumnus_of(world),
            observed_on=date(2022, 1, 1),
            municipality_number="3403",
            source="rumour",
        )
    assert "source" in source.value.message_dict


def test_employment_record(world: World, english: None) -> None:
    alumnus = alumnus_of(world)
    observation = employment_record(
        alumnus,
        observed_on=date(2022, 1, 1),
        employer_name=" Mjøskraft AS ",
        organisation_number="910 000 071",
        employer_is_member=True,
        relevant_to_education=True,
        source="coordinator",
    )
    assert observation.employer_name == "Mjøskraft AS"
    assert observation.organisation_number == "910000071"
    with pytest.raises(ValidationError) as bad_number:
        employment_record(
            alumnus,
            observed_on=date(2022, 1, 1),
            employer_name="X",
            organisation_number="123456789",
            source="survey",
        )
    assert "organisation_number" in bad_number.value.message_dict
    with pytest.raises(ValidationError) as no_name:
        employment_record(
            alumnus, observed_on=date(2022, 1, 1), employer_name="  ", source="survey"
        )
    assert "employer_name" in no_name.value.message_dict
    assert alumnus.employments.count() == 1


def test_a_correction_recorded_later_on_the_same_day_is_the_one_counted(world: World) -> None:
    from tests.factories_followup import AlumnusFactory, ResidenceFactory, finished_cohort
    from traineenett.followup.selectors import settled_alumni

    end = date(2020, 8, 14)
    alumnus = AlumnusFactory(cohort=finished_cohort(world.program), person="A", program_end=end)
    # First recorded in Oslo, then corrected to Hamar the same day: Hamar counts.
    for number in ("0301", "3403"):
        ResidenceFactory(alumnus=alumnus, observed_on=end, municipality_number=number)
    figures = settled_alumni(world.program, date(2025, 1, 1), years=0)
    assert (figures.eligible, figures.known, figures.resident) == (1, 1, 1)
