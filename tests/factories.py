"""factory_boy factories for the programme-scoped models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory

from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
from traineenett.core.demo import organisation_number
from traineenett.core.models import Program, Role, User
from traineenett.members.models import Membership, Organisation, OrganisationKind, Sector


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct horse battery staple")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Trainee Program {n}")
    region_name = "Innlandet"
    founded_year = 1998

    @factory.post_generation
    def catchment(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create:
            self.catchment.set(extracted or ["3403", "3405", "3407"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n} AS")
    organisation_number = factory.Sequence(lambda n: organisation_number(5000 + n))
    kind = OrganisationKind.COMPANY
    sector = Sector.PRIVATE
    industry = "Teknologi"
    municipality_id = "3403"
    employees = 100


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    program = factory.SubFactory(ProgramFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = date(2000, 1, 1)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    label = factory.Sequence(lambda n: f"Kull {2000 + n}")
    starts_on = date(2025, 8, 15)
    ends_on = date(2027, 8, 14)
    common_salary = Decimal("560000")

    @factory.post_generation
    def periods(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            from traineenett.cohorts.calendar import rotation_periods

            for number, (start, end) in enumerate(rotation_periods(self.starts_on, 3, 8), start=1):
                Period.objects.create(cohort=self, number=number, starts_on=start, ends_on=end)


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee

    cohort = factory.SubFactory(CohortFactory)
    program = factory.SelfAttribute("cohort.program")
    first_name = "Ingrid"
    last_name = factory.Sequence(lambda n: f"Haugen{n}")
    email = factory.Sequence(lambda n: f"trainee{n}@example.org")
    discipline = "economics"
    higher_education_years = Decimal("5")


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    trainee = factory.SubFactory(TraineeFactory)
    period = factory.LazyAttribute(lambda o: o.trainee.cohort.periods.get(number=1))
    organisation = factory.SubFactory(OrganisationFactory)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    kind = "coordinator"
