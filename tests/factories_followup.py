"""Factories and lazy world objects for the follow-up app."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from tests.conftest import World
from tests.factories import CohortFactory
from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.followup.models import Alumnus, ObservationSource, ResidenceObservation


class AlumnusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alumnus

    program = factory.LazyAttribute(lambda o: o.cohort.program)
    person = factory.Sequence(lambda n: f"P{n:04d}")
    cohort = factory.SubFactory(
        CohortFactory, starts_on=date(2018, 8, 15), ends_on=date(2020, 8, 14)
    )
    program_end = factory.LazyAttribute(lambda o: o.cohort.ends_on)
    offered_job = None


class ResidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidenceObservation

    alumnus = factory.SubFactory(AlumnusFactory)
    observed_on = factory.LazyAttribute(lambda o: o.alumnus.program_end)
    municipality_number = "3403"
    source = ObservationSource.COORDINATOR


def finished_cohort(program: Program, label: str = "Kull 2018") -> Cohort:
    cohort = Cohort.objects.filter(program=program, label=label).first()
    if cohort is None:
        year = int(label.split()[-1]) if label.split()[-1].isdigit() else 2018
        cohort = CohortFactory(
            program=program,
            label=label,
            starts_on=date(year, 8, 15),
            ends_on=date(year + 2, 8, 14),
            common_salary=Decimal("500000"),
        )
    return cohort


def alumnus_of(world: World) -> Alumnus:
    """An alumnus of programme A, created on first use."""
    found = Alumnus.objects.filter(program=world.program, person="A-1").first()
    return found or AlumnusFactory(cohort=finished_cohort(world.program), person="A-1")


def other_alumnus_of(world: World) -> Alumnus:
    """An alumnus of programme B, created on first use."""
    found = Alumnus.objects.filter(program=world.other_program, person="B-1").first()
    return found or AlumnusFactory(cohort=finished_cohort(world.other_program), person="B-1")
