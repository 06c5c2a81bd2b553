"""Log-in, lock-out, password reset and invitations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import UserFactory
from traineenett.core.models import Invitation, Role, User


@pytest.fixture(autouse=True)
def _axes_reset(db: None) -> None:
    from axes.models import AccessAttempt

    AccessAttempt.objects.all().delete()


def test_log_in_with_email_and_password(db: None) -> None:
    UserFactory(email="kari@example.org", password="a long and secret passphrase")
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": "kari@example.org", "password": "a long and secret passphrase"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "kari@example.org"


def test_repeated_failed_log_ins_lock_the_account(db: None, settings: object) -> None:
    UserFactory(email="kari@example.org", password="a long and secret passphrase")
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "kari@example.org", "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": "kari@example.org", "password": "a long and secret passphrase"},
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_working_link(db: None) -> None:
    UserFactory(email="kari@example.org")
    client = Client()
    client.post(reverse("password_reset"), {"email": "kari@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    response = client.get(link.group(1), follow=True)
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    client.post(
        form_url,
        {"new_password1": "Fjellvann-og-bjørk-2026", "new_password2": "Fjellvann-og-bjørk-2026"},
    )
    assert User.objects.get(email="kari@example.org").check_password("Fjellvann-og-bjørk-2026")


def test_coordinator_invites_a_host_who_sets_a_password(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    coordinator = world.client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            reverse("core:invite", args=[world.program.slug]),
            {
                "email": "Mentor@Mjoskraft.example",
                "first_name": "Mona",
                "last_name": "Mentor",
                "kind": "host",
                "organisation": world.organisation_a.pk,
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mentor@mjoskraft.example"]
    path = re.search(r"(/invitation/\S+/)", mail.outbox[0].body)
    assert path is not None
    invited = Client()
    response = invited.post(
        path.group(1),
        {
            "first_name": "Mona",
            "last_name": "Mentor",
            "password1": "Fjellvann-og-bjørk-2026",
            "password2": "Fjellvann-og-bjørk-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="mentor@mjoskraft.example")
    assert Role.objects.filter(
        user=user, program=world.program, kind="host", organisation=world.organisation_a
    ).exists()
    # The link works once.
    assert invited.get(path.group(1)).status_code == 404


def test_a_host_invitation_needs_an_organisation(world: World) -> None:
    response = world.client_for("coordinator").post(
        reverse("core:invite", args=[world.program.slug]),
        {"email": "x@example.org", "kind": "host"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "must belong to an organisation" in " ".join(
        response.context["form"].errors["organisation"]
    )
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_expired_invitation_is_refused(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for("coordinator").post(
            reverse("core:invite", args=[world.program.slug]),
            {"email": "late@example.org", "kind": "board"},
        )
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    path = re.search(r"(/invitation/\S+/)", mail.outbox[0].body)
    assert path is not None
    assert Client().get(path.group(1)).status_code == 404


def test_coordinator_cannot_remove_own_coordinator_role(world: World) -> None:
    role = Role.objects.get(user=world.users["coordinator"])
    world.client_for("coordinator").post(
        reverse("core:role_revoke", args=[world.program.slug, role.pk])
    )
    assert Role.objects.filter(pk=role.pk).exists()
