"""Permission-matrix entries for the surveys app's URLs (merged by test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import World
from tests.matrix import Entry

ENTRIES: dict[str, Entry] = {}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {}
