"""The competence demo: warnings recorded without e-mail, and every competence page of the
demo answers each persona without an error, in Bokmål."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from traineenett.cohorts.models import Trainee
from traineenett.competence.models import (
    AbsenceWarningSent,
    Assignment,
    Attendance,
    CalendarFeed,
    Group,
    GroupRound,
    Module,
    Reflection,
    Session,
)
from traineenett.core.models import User

PERSONAS = [
    "koordinator",
    "styre",
    "vert.a",
    "vert.b",
    "trainee",
    "analytiker",
    "kursholder",
]


@pytest.fixture
def demo(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())


def _urls(slug: str) -> list[str]:
    me = Trainee.objects.get(program__slug=slug, user__email="trainee@innlandet.demo")
    held = Session.objects.filter(program__slug=slug, attendances__isnull=False).first()
    planned = Session.objects.filter(program__slug=slug, attendances__isnull=True).last()
    assert held is not None and planned is not None
    assignment = Assignment.objects.filter(session__cohorts=me.cohort).first()
    reflection = Reflection.objects.filter(trainee=me).first()
    group = Group.objects.get(members__trainee=me)
    round_ = GroupRound.objects.get(program__slug=slug)
    module = Module.objects.filter(program__slug=slug).first()
    assert assignment and reflection and module
    urls = [
        reverse(f"competence:{name}", args=[slug])
        for name in (
            *("home", "check_in", "sessions", "session_create"),
            *("modules", "settings", "overview", "rounds"),
        )
    ]
    for session in (held, planned):
        urls += [
            reverse(f"competence:{name}", args=[slug, session.pk])
            for name in (
                *("session", "session_edit", "session_delete", "attendance"),
                *("checkin_screen", "apology", "assignment_create", "material_add"),
            )
        ]
    urls += [
        reverse("competence:assignment", args=[slug, assignment.pk]),
        reverse("competence:reflection_write", args=[slug, assignment.pk]),
        reverse("competence:reflection", args=[slug, reflection.pk]),
        reverse("competence:module_edit", args=[slug, module.pk]),
        reverse("competence:overview", args=[slug]) + f"?cohort={me.cohort_id}",
        reverse("competence:overview_export", args=[slug, me.cohort_id]),
        reverse("competence:progress", args=[slug, me.pk]),
        reverse("competence:certificate", args=[slug, me.pk]),
        reverse("competence:round", args=[slug, round_.pk]),
        reverse("competence:group", args=[slug, group.pk]),
    ]
    return urls


def test_the_demo_records_both_kinds_of_warning_and_sends_no_mail(demo: None) -> None:
    warnings = AbsenceWarningSent.objects.filter(trainee__program__slug="trainee-innlandet")
    assert {"share", "consecutive"} <= set(warnings.values_list("kind", flat=True))
    assert mail.outbox == []
    # The warned-about run really is two missed sessions.
    consecutive = warnings.filter(kind="consecutive").first()
    assert consecutive is not None
    missed = Attendance.objects.filter(
        trainee=consecutive.trainee, status__in=["absent", "excused"]
    )
    assert missed.count() >= 2


def test_every_competence_page_of_the_demo_works_for_every_persona(demo: None) -> None:
    slug = "trainee-innlandet"
    urls = _urls(slug)
    seen_ok: dict[str, int] = {}
    for persona in [None, *PERSONAS]:
        client = Client()
        if persona:
            client.force_login(User.objects.get(email=f"{persona}@innlandet.demo"))
        for url in urls:
            response = client.get(url)
            assert response.status_code < 500, (persona, url)
            if persona is None:
                assert response.status_code == 302, url  # to the log-in page
            if response.status_code == 200:
                seen_ok[str(persona)] = seen_ok.get(str(persona), 0) + 1
                if response["Content-Type"].startswith("text/html"):
                    assert '<html lang="nb">' in response.content.decode(), url
    # The competence roles see pages; the others none of them.
    assert seen_ok["koordinator"] >= 25 and seen_ok["trainee"] >= 8
    assert seen_ok["kursholder"] >= 10
    assert not {"styre", "vert.a", "vert.b", "analytiker"} & seen_ok.keys()
    feed = CalendarFeed.objects.filter(trainee__user__email="trainee@innlandet.demo").get()
    response = Client().get(reverse("competence_feed", args=[feed.token]))
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content
