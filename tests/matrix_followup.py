"""Permission-matrix entries for the followup app's URLs (merged by test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import World
from tests.factories_followup import alumnus_of, other_alumnus_of
from tests.matrix import COORDINATOR_ONLY, REDIRECT, Entry, outcomes, program, with_pk

FOLLOWUP_READERS = outcomes(403, coordinator=200, board=200, analyst=200)

ENTRIES: dict[str, Entry] = {
    "followup:report": Entry(FOLLOWUP_READERS, kwargs=program),
    "followup:cohort_report": Entry(FOLLOWUP_READERS, kwargs=with_pk(lambda w: w.cohort.pk)),
    "followup:export_csv": Entry(FOLLOWUP_READERS, kwargs=program),
    "followup:export_xlsx": Entry(FOLLOWUP_READERS, kwargs=program),
    "followup:benchmark": Entry(outcomes(403, analyst=200), kwargs=program),
    "followup:alumni": Entry(COORDINATOR_ONLY, kwargs=program),
    "followup:alumni_sync": Entry(
        outcomes(403, coordinator=REDIRECT), kwargs=program, method="post"
    ),
    "followup:alumnus": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: alumnus_of(w).pk)),
    # An empty form: the coordinator gets the page back with errors (400).
    "followup:residence_add": Entry(
        outcomes(403, coordinator=400), kwargs=with_pk(lambda w: alumnus_of(w).pk), method="post"
    ),
    "followup:employment_add": Entry(
        outcomes(403, coordinator=400), kwargs=with_pk(lambda w: alumnus_of(w).pk), method="post"
    ),
    "followup:import": Entry(COORDINATOR_ONLY, kwargs=program),
}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    "followup:cohort_report": lambda w: w.other_cohort.pk,
    "followup:alumnus": lambda w: other_alumnus_of(w).pk,
    "followup:residence_add": lambda w: other_alumnus_of(w).pk,
    "followup:employment_add": lambda w: other_alumnus_of(w).pk,
}
