"""The shared rate limit and the public forms and codes it guards."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.conftest import World
from traineenett.core.ratelimit import over_limit
from traineenett.finance import board_views
from traineenett.finance.models import MembershipApplication


def test_the_limit_counts_per_scope_and_address() -> None:
    factory = RequestFactory()
    here = factory.post("/", REMOTE_ADDR="10.0.0.1")
    there = factory.post("/", REMOTE_ADDR="10.0.0.2")
    assert [over_limit(here, "form", limit=2, window_seconds=60) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert not over_limit(there, "form", limit=2, window_seconds=60)
    assert not over_limit(here, "another-form", limit=2, window_seconds=60)


@pytest.mark.django_db
def test_the_membership_application_form_stops_a_flood(world: World) -> None:
    url = reverse("finance:application_form", kwargs={"program_slug": world.program.slug})
    client = Client()
    data = {"organisation_name": "Flom AS", "motivation": "x"}
    for _ in range(board_views.APPLICATION_LIMIT):
        response = client.post(url, data)
        assert "Too many applications" not in response.content.decode()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "For mange søknader" in response.content.decode()
    assert MembershipApplication.objects.count() == 0


@pytest.mark.django_db
def test_guessing_check_in_codes_is_cut_off(world: World) -> None:
    from traineenett.competence import views as competence_views

    url = reverse("competence:check_in", kwargs={"program_slug": world.program.slug})
    client = world.client_for("trainee")
    for _ in range(competence_views.CHECK_IN_LIMIT):
        response = client.post(url, {"code": "ZZZZZZ"})
        assert "For mange" not in response.content.decode()
    response = client.post(url, {"code": "ZZZZZZ"})
    assert "For mange innsjekkingsforsøk" in response.content.decode()
