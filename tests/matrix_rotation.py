"""Permission-matrix entries for the rotation app's URLs (merged by test_permission_matrix).

Hosts and trainees never reach the coordinator's planning pages; a trainee has their own
wishes page and a host its own rating page.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import World
from tests.factories_rotation import (
    forbidden_pair,
    other_forbidden_pair,
    other_plan,
    solved_plan,
)
from tests.matrix import COORDINATOR_ONLY, REDIRECT, Entry, outcomes, program, with_pk


def _cohort(w: World) -> int:
    return w.cohort.pk


def _plan(w: World) -> int:
    return solved_plan(w).pk


ENTRIES: dict[str, Entry] = {
    "rotation:index": Entry(COORDINATOR_ONLY, kwargs=program),
    "rotation:weights": Entry(COORDINATOR_ONLY, kwargs=program),
    "rotation:cohort": Entry(COORDINATOR_ONLY, kwargs=with_pk(_cohort)),
    "rotation:places": Entry(COORDINATOR_ONLY, kwargs=with_pk(_cohort)),
    "rotation:wishes": Entry(COORDINATOR_ONLY, kwargs=with_pk(_cohort)),
    "rotation:conflicts": Entry(COORDINATOR_ONLY, kwargs=with_pk(_cohort)),
    "rotation:conflict_delete": Entry(
        outcomes(403, coordinator=REDIRECT),
        kwargs=with_pk(lambda w: forbidden_pair(w).pk),
        method="post",
    ),
    "rotation:trainee_wishes": Entry(COORDINATOR_ONLY, kwargs=with_pk(lambda w: w.trainee.pk)),
    "rotation:plan": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan)),
    "rotation:plan_status": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan)),
    "rotation:plan_solve": Entry(
        outcomes(403, coordinator=REDIRECT), kwargs=with_pk(_plan), method="post"
    ),
    "rotation:plan_edit": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan)),
    "rotation:plan_check": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan), method="post"),
    "rotation:plan_publish": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan)),
    "rotation:plan_replan": Entry(
        outcomes(403, coordinator=REDIRECT), kwargs=with_pk(_plan), method="post"
    ),
    "rotation:plan_stability": Entry(COORDINATOR_ONLY, kwargs=with_pk(_plan)),
    "rotation:my_wishes": Entry(outcomes(403, trainee=200), kwargs=program),
    "rotation:host_ratings": Entry(outcomes(403, host_a=200, host_b=200), kwargs=program),
}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    "rotation:cohort": lambda w: w.other_cohort.pk,
    "rotation:places": lambda w: w.other_cohort.pk,
    "rotation:wishes": lambda w: w.other_cohort.pk,
    "rotation:conflicts": lambda w: w.other_cohort.pk,
    "rotation:conflict_delete": lambda w: other_forbidden_pair(w).pk,
    "rotation:trainee_wishes": lambda w: w.other_trainee.pk,
    "rotation:plan": lambda w: other_plan(w).pk,
    "rotation:plan_status": lambda w: other_plan(w).pk,
    "rotation:plan_solve": lambda w: other_plan(w).pk,
    "rotation:plan_edit": lambda w: other_plan(w).pk,
    "rotation:plan_check": lambda w: other_plan(w).pk,
    "rotation:plan_publish": lambda w: other_plan(w).pk,
    "rotation:plan_replan": lambda w: other_plan(w).pk,
    "rotation:plan_stability": lambda w: other_plan(w).pk,
}
