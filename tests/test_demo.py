"""The demo data: true to Trainee Innlandet's figures, and loaded by `traineenett demo`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from traineenett.cohorts.models import Placement, Trainee
from traineenett.core.models import EmploymentModel, Program, Role, User


@pytest.fixture
def demo(db: None) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    return out.getvalue()


def test_demo_dashboard_shows_the_seed_figures(demo: str) -> None:
    client = Client()
    client.force_login(User.objects.get(email="koordinator@innlandet.demo"))
    page = client.get(reverse("core:dashboard", args=["trainee-innlandet"]))
    html = page.content.decode()
    assert "92 traineer fordelt på 12 kull" in html
    figures = page.context["figures"]
    assert (figures.members, figures.clusters, figures.employees) == (10, 2, 17000)
    assert Program.objects.get(slug="trainee-innlandet").founded_year == 1998

    # Every trainee meets three different organisations.
    trainees = Trainee.objects.filter(program__slug="trainee-innlandet").prefetch_related(
        "placements"
    )
    for trainee in trainees:
        hosts = [p.organisation_id for p in trainee.placements.all()]
        assert len(hosts) == 3 and len(set(hosts)) == 3, trainee
    assert (
        Placement.objects.filter(trainee__program__slug="trainee-innlandet").count()
        == 3 * trainees.count()
    )


def test_demo_has_two_programmes_and_a_log_in_for_every_role(demo: str) -> None:
    helgeland = Program.objects.get(slug="trainee-helgeland")
    assert helgeland.employment_model == EmploymentModel.PROGRAM_EMPLOYS
    assert not helgeland.catchment.filter(county_id="34").exists()

    for slug in ("trainee-innlandet", "trainee-helgeland"):
        kinds = set(Role.objects.filter(program__slug=slug).values_list("kind", flat=True))
        expected = {"coordinator", "board", "host", "trainee", "analyst"}
        if slug == "trainee-innlandet":
            expected.add("facilitator")  # the competence programme's demo facilitator
        assert kinds == expected
        for role in Role.objects.filter(program__slug=slug):
            assert role.user.email in demo
            assert role.user.check_password("demo")
    assert "admin@traineenett.demo" in demo
    # Running it again keeps the data as it is.
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Trainee.objects.filter(program__slug="trainee-innlandet").count() == 92 + 17


def test_the_demo_prints_links_for_the_port_it_serves_on(
    db: None, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TRAINEENETT_BASE_URL", raising=False)
    settings.SITE_URL = "http://127.0.0.1:8000"  # restored after the test
    out = io.StringIO()
    call_command("demo", "--no-serve", "--port", "8123", stdout=out)
    survey_lines = [line for line in out.getvalue().splitlines() if "/survey/" in line]
    assert survey_lines and all("http://127.0.0.1:8123/survey/" in line for line in survey_lines)
