"""Every URL of the project × every persona → the expected outcome.

A new URL pattern without an entry here fails ``test_every_url_has_an_entry``. Outcomes:
an HTTP status, ``LOGIN`` (redirect to the log-in page) or ``REDIRECT`` (any other).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import (
    matrix_competence,
    matrix_finance,
    matrix_followup,
    matrix_recruitment,
    matrix_rotation,
    matrix_surveys,
)
from tests.conftest import PERSONAS, World
from tests.matrix import (
    COORDINATOR_AND_BOARD,
    COORDINATOR_ONLY,
    LOGIN,
    REDIRECT,
    Entry,
    everyone,
    outcomes,
    program,
    with_pk,
)

APP_MATRICES = (
    matrix_recruitment,
    matrix_rotation,
    matrix_followup,
    matrix_surveys,
    matrix_competence,
    matrix_finance,
)

MATRIX: dict[str, Entry] = {
    # ------------------------------------------------------------------ public / account
    "home": Entry(everyone(200)),
    "login": Entry(everyone(REDIRECT, anonymous=200)),
    "logout": Entry(everyone(REDIRECT), method="post"),
    "password_change": Entry(everyone(200, anonymous=LOGIN)),
    "password_change_done": Entry(everyone(200, anonymous=LOGIN)),
    "password_reset": Entry(everyone(200)),
    "password_reset_done": Entry(everyone(200)),
    "password_reset_confirm": Entry(
        everyone(200), kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "password_reset_complete": Entry(everyone(200)),
    "invitation_accept": Entry(everyone(404), kwargs=lambda w: {"token": "no-such-token"}),
    "set_language": Entry(everyone(REDIRECT), method="post", data={"language": "en"}),
    "admin:index": Entry(everyone(REDIRECT)),  # non-staff are sent to the admin log-in
    # ------------------------------------------------------------------------- core
    "core:dashboard": Entry(outcomes(200), kwargs=program),
    "core:people": Entry(COORDINATOR_ONLY, kwargs=program),
    "core:invite": Entry(COORDINATOR_ONLY, kwargs=program),
    "core:role_revoke": Entry(
        outcomes(403, coordinator=REDIRECT),
        kwargs=with_pk(lambda w: w.spare_role.pk),
        method="post",
    ),
    "core:audit_log": Entry(COORDINATOR_ONLY, kwargs=program),
    "core:settings": Entry(COORDINATOR_ONLY, kwargs=program),
    # ---------------------------------------------------------------------- members
    "members:list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "members:create": Entry(COORDINATOR_ONLY, kwargs=program),
    "members:detail": Entry(COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: w.membership_a.pk)),
    "members:edit": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.membership_a.pk)),
    "members:end": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.membership_a.pk)),
    "members:own_organisation": Entry(outcomes(403, host_a=200, host_b=200), kwargs=program),
    # ---------------------------------------------------------------------- cohorts
    "cohorts:list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "cohorts:create": Entry(COORDINATOR_ONLY, kwargs=program),
    "cohorts:detail": Entry(COORDINATOR_AND_BOARD, kwargs=with_pk(lambda w: w.cohort.pk)),
    "cohorts:edit": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.cohort.pk)),
    "cohorts:periods": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.cohort.pk)),
    "cohorts:trainee_create": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.cohort.pk)),
    "cohorts:trainee_list": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    # The trainee is placed at organisation A: host B does not see them at all.
    "cohorts:trainee_detail": Entry(
        outcomes(200, host_b=404, analyst=403, facilitator=403),
        kwargs=with_pk(lambda w: w.trainee.pk),
    ),
    "cohorts:trainee_edit": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.trainee.pk)),
    "cohorts:placement_create": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.trainee.pk)),
    "cohorts:placement_edit": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.placement.pk)),
    "cohorts:placement_delete": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.placement.pk)),
    "cohorts:own_plan": Entry(outcomes(403, trainee=200), kwargs=program),
}

for _app in APP_MATRICES:
    MATRIX.update(_app.ENTRIES)

# The Django admin is the platform admin's tool; its many generated URLs are covered by
# the one entry "admin:index" and Django's own staff checks.
EXCLUDED_NAMESPACES = {"admin"}


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_an_entry() -> None:
    names = set(url_names()) | {"admin:index"}
    assert names - MATRIX.keys() == set(), "URLs without a permission-matrix entry"
    assert MATRIX.keys() - names == set(), "matrix entries for URLs that no longer exist"


def _outcome(response: Any) -> int | str:
    if response.status_code in (301, 302):
        return LOGIN if response["Location"].startswith(reverse("login")) else REDIRECT
    return int(response.status_code)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(world: World, name: str) -> None:
    entry = MATRIX[name]
    url = reverse(name, kwargs=entry.kwargs(world))
    failures = []
    for persona in PERSONAS:
        client = world.client_for(persona)
        response = getattr(client, entry.method)(url, entry.data)
        got = _outcome(response)
        if got != entry.expected[persona]:
            failures.append(f"{persona}: expected {entry.expected[persona]}, got {got}")
    assert not failures, f"{entry.method.upper()} {url}\n" + "\n".join(failures)


OTHER_PROGRAM_OBJECTS: dict[str, Callable[[World], int]] = {
    "core:role_revoke": lambda w: w.other_role.pk,
    "members:detail": lambda w: w.other_membership.pk,
    "members:edit": lambda w: w.other_membership.pk,
    "members:end": lambda w: w.other_membership.pk,
    "cohorts:detail": lambda w: w.other_cohort.pk,
    "cohorts:edit": lambda w: w.other_cohort.pk,
    "cohorts:periods": lambda w: w.other_cohort.pk,
    "cohorts:trainee_create": lambda w: w.other_cohort.pk,
    "cohorts:trainee_detail": lambda w: w.other_trainee.pk,
    "cohorts:trainee_edit": lambda w: w.other_trainee.pk,
    "cohorts:placement_create": lambda w: w.other_trainee.pk,
    "cohorts:placement_edit": lambda w: w.other_placement.pk,
    "cohorts:placement_delete": lambda w: w.other_placement.pk,
}
for _app in APP_MATRICES:
    OTHER_PROGRAM_OBJECTS.update(_app.OTHER_PROGRAM)


def test_every_object_url_is_checked_across_programmes() -> None:
    object_urls = {name for name in MATRIX if "pk" in reverse_kwargs_of(name)}
    assert object_urls == OTHER_PROGRAM_OBJECTS.keys()


def reverse_kwargs_of(name: str) -> set[str]:
    resolver = get_resolver()
    return (
        {
            key
            for possibility in resolver.reverse_dict.getlist(name.split(":")[-1])
            for key in possibility[0][0][1]
        }
        if ":" not in name
        else _namespaced_kwargs(name)
    )


def _namespaced_kwargs(name: str) -> set[str]:
    namespace, short = name.split(":")
    resolver = get_resolver()
    _, sub = resolver.namespace_dict[namespace]
    # Program URLs are included under <slug:program_slug>/.
    return {key for possibility in sub.reverse_dict.getlist(short) for key in possibility[0][0][1]}


@pytest.mark.parametrize("name", sorted(OTHER_PROGRAM_OBJECTS))
def test_another_programmes_object_is_404_for_a_coordinator(world: World, name: str) -> None:
    """Programme A's coordinator asks for programme B's object under A's address."""
    url = reverse(
        name, kwargs={"program_slug": world.program.slug, "pk": OTHER_PROGRAM_OBJECTS[name](world)}
    )
    client = world.client_for("coordinator")
    method = MATRIX[name].method
    response = getattr(client, method)(url)
    assert response.status_code == 404


def test_an_unknown_programme_is_404(world: World) -> None:
    response = world.client_for("coordinator").get("/no-such-programme/")
    assert response.status_code == 404
