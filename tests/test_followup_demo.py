"""The follow-up demo reproduces the seed's figure: 50 % resident three years after."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from traineenett.followup.models import Alumnus, ResidenceObservation


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())


def report(*args: str) -> dict:  # type: ignore[type-arg]
    out = io.StringIO()
    call_command("settlement_report", *args, stdout=out)
    return json.loads(out.getvalue())


def test_innlandet_keeps_half_of_its_trainees_three_years_after(demo: None) -> None:
    figures = report("--program", "trainee-innlandet")["programs"][0]
    assert figures["alumni"] == 92
    three = figures["horizons"][3]
    assert (three["eligible"], three["known"], three["resident"]) == (92, 92, 46)
    assert three["share"] == 0.5
    assert three["conservative_share"] == 0.5
    assert [h["resident"] for h in figures["horizons"]] == [62, 57, 52, 46]
    assert figures["offered_job"]["known"] == 92
    assert 0.7 < figures["offered_job"]["share"] < 0.95


def test_the_demo_uses_old_numbers_for_old_dates(demo: None) -> None:
    old = ResidenceObservation.objects.filter(
        alumnus__program__slug="trainee-innlandet", observed_on__year__lt=2020
    )
    numbers = set(old.values_list("municipality_number", flat=True))
    assert numbers and all(not number.startswith("34") for number in numbers)
    assert any(number[:2] in ("04", "05") for number in numbers)


def test_helgeland_has_its_own_history(demo: None) -> None:
    figures = report("--program", "trainee-helgeland")["programs"][0]
    assert figures["alumni"] == Alumnus.objects.filter(program__slug="trainee-helgeland").count()
    assert figures["alumni"] == 27  # 21 imported, 6 of the 2023 cohort
    assert figures["horizons"][3]["eligible"] == 21
    assert figures["horizons"][3]["share"] != 0.5


def test_the_dashboard_shows_half_resident_after_three_years(demo: None) -> None:
    from django.test import Client
    from django.urls import reverse

    from traineenett.core.models import User

    client = Client()
    client.force_login(User.objects.get(email="koordinator@innlandet.demo"))
    html = client.get(reverse("core:dashboard", args=["trainee-innlandet"])).content.decode()
    assert 'data-testid="resident-after-three-years">50\u00a0%' in html
