"""Permission-matrix entries for the competence app's URLs (merged by test_permission_matrix).

Hosts, board members and analysts reach nothing of the competence programme; above all
not reflections (403). A trainee sees their own things; the facilitator the sessions
they run; the coordinator everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import World
from tests.factories_competence import competence, other_competence
from tests.matrix import COORDINATOR_ONLY, REDIRECT, Entry, everyone, outcomes, program


def pk(get: Callable[[Any], int]) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"program_slug": w.program.slug, "pk": get(competence(w))}


TRAINEE_ONLY = outcomes(403, trainee=200)
# A trainee's own object: 404 for the other competence roles (no trainee record here).
OWN_THINGS = outcomes(403, trainee=200, coordinator=404, facilitator=404)
VIEWERS = outcomes(403, coordinator=200, trainee=200, facilitator=200)
FACILITATORS = outcomes(403, coordinator=200, facilitator=200)
COORDINATOR_REDIRECT = outcomes(403, coordinator=REDIRECT)

ENTRIES: dict[str, Entry] = {
    # trainee pages
    "competence:home": Entry(TRAINEE_ONLY, kwargs=program),
    "competence:check_in": Entry(TRAINEE_ONLY, kwargs=program),
    "competence:feed_regenerate": Entry(TRAINEE_ONLY, kwargs=program),
    "competence:apology": Entry(OWN_THINGS, kwargs=pk(lambda c: c.session.pk)),
    "competence:reflection_write": Entry(OWN_THINGS, kwargs=pk(lambda c: c.assignment.pk)),
    # sessions and the calendar
    "competence:sessions": Entry(VIEWERS, kwargs=program),
    "competence:session": Entry(VIEWERS, kwargs=pk(lambda c: c.session.pk)),
    "competence:session_create": Entry(COORDINATOR_ONLY, kwargs=program),
    "competence:session_edit": Entry(COORDINATOR_ONLY, kwargs=pk(lambda c: c.session.pk)),
    # a confirmation page (here explaining why the attended session cannot go)
    "competence:session_delete": Entry(COORDINATOR_ONLY, kwargs=pk(lambda c: c.session.pk)),
    "competence:material": Entry(
        outcomes(403, coordinator=REDIRECT, trainee=REDIRECT, facilitator=REDIRECT),
        kwargs=pk(lambda c: c.material.pk),
    ),
    "competence:material_add": Entry(FACILITATORS, kwargs=pk(lambda c: c.session.pk)),
    "competence:attendance": Entry(FACILITATORS, kwargs=pk(lambda c: c.session.pk)),
    "competence:checkin_screen": Entry(FACILITATORS, kwargs=pk(lambda c: c.session.pk)),
    # reflections: never hosts, board or analysts
    "competence:assignment_create": Entry(FACILITATORS, kwargs=pk(lambda c: c.session.pk)),
    "competence:assignment": Entry(FACILITATORS, kwargs=pk(lambda c: c.assignment.pk)),
    "competence:reflection": Entry(VIEWERS, kwargs=pk(lambda c: c.reflection.pk)),
    "competence:reflection_comment": Entry(FACILITATORS, kwargs=pk(lambda c: c.reflection.pk)),
    # coordinator
    "competence:modules": Entry(COORDINATOR_ONLY, kwargs=program),
    "competence:module_edit": Entry(COORDINATOR_ONLY, kwargs=pk(lambda c: c.module.pk)),
    "competence:settings": Entry(COORDINATOR_ONLY, kwargs=program),
    "competence:overview": Entry(COORDINATOR_ONLY, kwargs=program),
    "competence:overview_export": Entry(
        COORDINATOR_ONLY, kwargs=pk(lambda c: c.session.cohorts.get().pk)
    ),
    "competence:cohort_feed_regenerate": Entry(
        COORDINATOR_ONLY, kwargs=pk(lambda c: c.session.cohorts.get().pk)
    ),
    # progress: the coordinator and the trainee themself (a facilitator: 404)
    "competence:progress": Entry(
        outcomes(403, coordinator=200, trainee=200, facilitator=404),
        kwargs=lambda w: {"program_slug": w.program.slug, "pk": w.trainee.pk},
    ),
    # 409: the trainee has not met the requirement yet (a clear page, no PDF)
    "competence:certificate": Entry(
        outcomes(403, coordinator=409, trainee=409, facilitator=404),
        kwargs=lambda w: {"program_slug": w.program.slug, "pk": w.trainee.pk},
    ),
    # groups
    "competence:rounds": Entry(COORDINATOR_ONLY, kwargs=program),
    "competence:round": Entry(COORDINATOR_ONLY, kwargs=pk(lambda c: c.round.pk)),
    "competence:round_rebuild": Entry(
        COORDINATOR_REDIRECT, kwargs=pk(lambda c: c.round.pk), method="post"
    ),
    "competence:member_move": Entry(
        COORDINATOR_REDIRECT, kwargs=pk(lambda c: c.member.pk), method="post"
    ),
    "competence:group": Entry(
        outcomes(403, coordinator=200, trainee=200, facilitator=404),
        kwargs=pk(lambda c: c.group.pk),
    ),
    "competence:task_create": Entry(COORDINATOR_ONLY, kwargs=pk(lambda c: c.group.pk)),
    "competence:task_toggle": Entry(
        outcomes(403, coordinator=REDIRECT, trainee=REDIRECT, facilitator=404),
        kwargs=pk(lambda c: c.task.pk),
        method="post",
    ),
    # the secret calendar address: no log-in
    "competence_feed": Entry(everyone(200), kwargs=lambda w: {"token": competence(w).feed_token}),
}


def _other(get: Callable[[Any], int]) -> Callable[[World], int]:
    return lambda w: get(other_competence(w))


# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    "competence:apology": _other(lambda c: c.session.pk),
    "competence:reflection_write": _other(lambda c: c.assignment.pk),
    "competence:session": _other(lambda c: c.session.pk),
    "competence:session_edit": _other(lambda c: c.session.pk),
    "competence:session_delete": _other(lambda c: c.session.pk),
    "competence:material": _other(lambda c: c.material.pk),
    "competence:material_add": _other(lambda c: c.session.pk),
    "competence:attendance": _other(lambda c: c.session.pk),
    "competence:checkin_screen": _other(lambda c: c.session.pk),
    "competence:assignment_create": _other(lambda c: c.session.pk),
    "competence:assignment": _other(lambda c: c.assignment.pk),
    "competence:reflection": _other(lambda c: c.reflection.pk),
    "competence:reflection_comment": _other(lambda c: c.reflection.pk),
    "competence:module_edit": _other(lambda c: c.module.pk),
    "competence:overview_export": lambda w: w.other_cohort.pk,
    "competence:cohort_feed_regenerate": lambda w: w.other_cohort.pk,
    "competence:progress": lambda w: w.other_trainee.pk,
    "competence:certificate": lambda w: w.other_trainee.pk,
    "competence:round": _other(lambda c: c.round.pk),
    "competence:round_rebuild": _other(lambda c: c.round.pk),
    "competence:member_move": _other(lambda c: c.member.pk),
    "competence:group": _other(lambda c: c.group.pk),
    "competence:task_create": _other(lambda c: c.group.pk),
    "competence:task_toggle": _other(lambda c: c.task.pk),
}
