"""Cohorts, periods, trainees and placements: the rules of a rotation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import World
from tests.factories import MembershipFactory, OrganisationFactory, PlacementFactory, TraineeFactory
from tests.helpers import queries_for
from traineenett.cohorts import services
from traineenett.cohorts.calendar import add_months, rotation_periods
from traineenett.cohorts.models import Cohort, Placement, Trainee
from traineenett.core.models import EmploymentModel

pytestmark = pytest.mark.usefixtures("english")


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2025, 8, 15), 16) == date(2026, 12, 15)


def test_rotation_periods_are_back_to_back() -> None:
    assert rotation_periods(date(2025, 8, 15), 3, 8) == [
        (date(2025, 8, 15), date(2026, 4, 14)),
        (date(2026, 4, 15), date(2026, 12, 14)),
        (date(2026, 12, 15), date(2027, 8, 14)),
    ]


def test_coordinator_creates_a_cohort_with_derived_periods(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(
        reverse("cohorts:create", args=[world.program.slug]),
        {"label": "Kull 2026", "starts_on": "2026-08-17", "common_salary": "575000"},
    )
    cohort = Cohort.objects.get(program=world.program, label="Kull 2026")
    assert response.status_code == 302
    assert cohort.ends_on == date(2028, 8, 16)
    assert [(p.number, p.starts_on, p.ends_on) for p in cohort.periods.all()] == [
        (1, date(2026, 8, 17), date(2027, 4, 16)),
        (2, date(2027, 4, 17), date(2027, 12, 16)),
        (3, date(2027, 12, 17), date(2028, 8, 16)),
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"label": "Kull 2027", "starts_on": "2027-08-16", "ends_on": "2027-01-01"},
            "ends_on",
            "after the start",
        ),
        ({"label": "Kull 2025", "starts_on": "2027-08-16"}, "label", "already has a cohort"),
        ({"label": "Kull 2027", "starts_on": "16.08.2027x"}, "starts_on", "valid date"),
    ],
)
def test_bad_cohort_input(world: World, data: dict[str, str], field: str, message: str) -> None:
    client = world.client_for("coordinator")
    before = Cohort.objects.count()
    response = client.post(
        reverse("cohorts:create", args=[world.program.slug]),
        {"common_salary": "560000", **data},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Cohort.objects.count() == before


def test_periods_that_overlap_or_end_before_they_start_are_refused(world: World) -> None:
    client = world.client_for("coordinator")
    url = reverse("cohorts:periods", args=[world.program.slug, world.cohort.pk])
    data = {
        "start_1": "2025-08-15",
        "end_1": "2026-05-01",
        "start_2": "2026-04-15",
        "end_2": "2026-04-01",
        "start_3": "2026-12-15",
        "end_3": "2027-08-14",
    }
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    errors = response.context["form"].errors
    assert "overlaps the next one" in " ".join(errors["start_1"])
    assert "ends before it starts" in " ".join(errors["start_2"])
    assert world.cohort.periods.get(number=1).ends_on == date(2026, 4, 14)
    data |= {"end_1": "2026-04-14", "end_2": "2026-12-14"}
    assert client.post(url, data).status_code == 302


def test_coordinator_adds_a_trainee_and_places_them(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(
        reverse("cohorts:trainee_create", args=[world.program.slug, world.cohort.pk]),
        {
            "first_name": "Sindre",
            "last_name": "Bakken",
            "email": "Sindre.Bakken@example.org",
            "discipline": "engineering",
            "higher_education_years": "5",
            "home_municipality": "3405",
        },
    )
    trainee = Trainee.objects.get(last_name="Bakken")
    assert response.status_code == 302
    assert trainee.email == "sindre.bakken@example.org"
    p2 = world.cohort.periods.get(number=2)
    response = client.post(
        reverse("cohorts:placement_create", args=[world.program.slug, trainee.pk]),
        {
            "period": p2.pk,
            "organisation": world.organisation_b.pk,
            "mentor": "Kari",
            "share_percent": "100",
        },
    )
    assert response.status_code == 302
    timeline = client.get(reverse("cohorts:detail", args=[world.program.slug, world.cohort.pk]))
    row = next(r for r in timeline.context["timeline"].rows if r.trainee == trainee)
    assert [[p.organisation.name for p in cell] for cell in row.cells] == [
        [],
        ["Opplandsbanken ASA"],
        [],
    ]


def place(
    world: World, trainee: Trainee, number: int, organisation: object, share: int = 100
) -> Placement:
    return services.placement_create(
        trainee=trainee,
        period=trainee.cohort.periods.get(number=number),
        organisation=organisation,  # type: ignore[arg-type]
        share_percent=share,
    )


def test_the_same_organisation_twice_in_a_rotation_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        place(world, world.trainee, 2, world.organisation_a)
    assert "organisation" in error.value.message_dict
    assert world.trainee.placements.count() == 1


def test_an_overlapping_placement_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        place(world, world.trainee, 1, world.organisation_b)
    assert "overlaps" in " ".join(error.value.message_dict["period"])
    assert world.trainee.placements.count() == 1


def test_shared_trainees_may_split_a_period_up_to_100_percent(world: World) -> None:
    world.program.employment_model = EmploymentModel.SHARED
    world.program.save()
    trainee = TraineeFactory(cohort=world.cohort)
    place(world, trainee, 1, world.organisation_a, share=60)
    place(world, trainee, 1, world.organisation_b, share=40)
    third = OrganisationFactory()
    MembershipFactory(program=world.program, organisation=third)
    with pytest.raises(ValidationError) as error:
        place(world, trainee, 1, third, share=10)
    assert "110" in " ".join(error.value.message_dict["share_percent"])


def test_a_host_must_be_a_member_during_the_period(world: World) -> None:
    outsider_org = OrganisationFactory(name="Ikke Medlem AS")
    with pytest.raises(ValidationError) as error:
        place(world, world.trainee, 2, outsider_org)
    assert "not a member" in " ".join(error.value.message_dict["organisation"])
    late = OrganisationFactory()
    MembershipFactory(program=world.program, organisation=late, starts_on=date(2027, 6, 1))
    with pytest.raises(ValidationError):
        place(world, world.trainee, 2, late)  # P2 ends 14.12.2026, before the membership
    place(world, world.trainee, 3, late)  # P3 runs into June 2027


def test_placement_form_shows_the_rule_on_the_field(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(
        reverse("cohorts:placement_create", args=[world.program.slug, world.trainee.pk]),
        {
            "period": world.cohort.periods.get(number=2).pk,
            "organisation": world.organisation_a.pk,
            "share_percent": "100",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "already hosts this trainee" in " ".join(response.context["form"].errors["organisation"])


def test_a_period_of_another_cohort_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.placement_create(
            trainee=world.trainee,
            period=world.other_cohort.periods.get(number=2),
            organisation=world.organisation_b,
        )
    assert "period" in error.value.message_dict


def test_trainee_edit_keeps_input_on_error(world: World) -> None:
    client = world.client_for("coordinator")
    response = client.post(
        reverse("cohorts:trainee_edit", args=[world.program.slug, world.trainee.pk]),
        {
            "first_name": "Ingrid",
            "last_name": "Haugen-Nytt",
            "email": "not-an-email",
            "discipline": "law",
            "higher_education_years": "5",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert "Haugen-Nytt" in response.content.decode()
    world.trainee.refresh_from_db()
    assert world.trainee.last_name == "Haugen"


def test_host_sees_only_trainees_placed_with_them(world: World) -> None:
    page = world.client_for("host_a").get(
        reverse("members:own_organisation", args=[world.program.slug])
    )
    assert "Ingrid Haugen" in page.content.decode()
    page = world.client_for("host_b").get(
        reverse("members:own_organisation", args=[world.program.slug])
    )
    assert "Ingrid Haugen" not in page.content.decode()


def test_trainee_sees_own_rotation(world: World) -> None:
    page = world.client_for("trainee").get(reverse("cohorts:own_plan", args=[world.program.slug]))
    assert "Mjøskraft AS" in page.content.decode()


def grow(world: World, trainees: int) -> None:
    hosts = [world.organisation_a, world.organisation_b]
    for index in range(trainees):
        trainee = TraineeFactory(cohort=world.cohort, higher_education_years=Decimal("5"))
        for number in (1, 2):
            PlacementFactory(
                trainee=trainee,
                period=world.cohort.periods.get(number=number),
                organisation=hosts[(index + number) % 2],
            )


@pytest.mark.parametrize(
    ("persona", "name", "with_cohort"),
    [
        ("coordinator", "cohorts:list", False),
        ("coordinator", "cohorts:detail", True),
        ("coordinator", "cohorts:trainee_list", False),
        ("coordinator", "core:dashboard", False),
        ("host_a", "members:own_organisation", False),
    ],
)
def test_page_queries_do_not_grow_with_rows(
    world: World, persona: str, name: str, with_cohort: bool
) -> None:
    client = world.client_for(persona)
    args = [world.program.slug, world.cohort.pk] if with_cohort else [world.program.slug]
    url = reverse(name, args=args)
    grow(world, 2)
    few = queries_for(client, url)
    grow(world, 20)
    assert queries_for(client, url) == few


def test_english_keeps_norwegian_date_and_number_formats(world: World) -> None:
    client = world.client_for("coordinator")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("cohorts:list", args=[world.program.slug])).content.decode()
    assert "Cohorts" in page
    assert "15.08.2025" in page
    assert "560\xa0000 kr" in page
