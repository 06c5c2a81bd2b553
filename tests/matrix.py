"""Shared vocabulary of the permission matrix: outcomes, entries, URL kwargs.

Each app's entries live in ``tests/matrix_<app>.py`` (``ENTRIES`` and ``OTHER_PROGRAM``)
and ``tests/test_permission_matrix.py`` merges them, so every app adds its URLs in its
own file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import PERSONAS, World

LOGIN = "login"
REDIRECT = "redirect"
ROLES = ("coordinator", "board", "host_a", "host_b", "trainee", "analyst", "facilitator")


def outcomes(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Programme page: anonymous → log in; no role here (outsider, other coordinator) → 404."""
    table: dict[str, int | str] = {"anonymous": LOGIN, "outsider": 404, "other_coordinator": 404}
    table.update(dict.fromkeys(ROLES, default))
    table.update(overrides)
    return table


def everyone(outcome: int | str, **overrides: int | str) -> dict[str, int | str]:
    return {persona: overrides.get(persona, outcome) for persona in PERSONAS}


COORDINATOR_ONLY = outcomes(403, coordinator=200)
COORDINATOR_AND_BOARD = outcomes(403, coordinator=200, board=200)


@dataclass(frozen=True)
class Entry:
    expected: dict[str, int | str]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    method: str = "get"
    data: dict[str, str] = field(default_factory=dict)


def program(w: World) -> dict[str, Any]:
    return {"program_slug": w.program.slug}


def with_pk(get_pk: Callable[[World], int]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"program_slug": w.program.slug, "pk": get_pk(w)}


def public_page(outcome: int | str = 200) -> dict[str, int | str]:
    """A page open to everyone, logged in or not (the job board, a public form)."""
    return everyone(outcome)
