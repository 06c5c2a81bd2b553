"""Permission-matrix entries for the recruitment app's URLs (merged by test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import World
from tests.factories_recruitment import other_recruitment_of, recruitment_of
from tests.matrix import (
    COORDINATOR_AND_BOARD,
    COORDINATOR_ONLY,
    REDIRECT,
    Entry,
    everyone,
    outcomes,
    program,
    public_page,
    with_pk,
)


def token(w: World) -> dict[str, Any]:
    return {"token": "no-such-token"}


ROUND = with_pk(lambda w: recruitment_of(w).round.pk)
POSITION = with_pk(lambda w: recruitment_of(w).position.pk)
APPLICATION = with_pk(lambda w: recruitment_of(w).application.pk)
DAY = with_pk(lambda w: recruitment_of(w).day.pk)

ENTRIES: dict[str, Entry] = {
    # Public pages (the programme is resolved; no log-in needed).
    "recruitment:jobs": Entry(public_page(), kwargs=program),
    "recruitment:job_feed": Entry(public_page(), kwargs=program),
    "recruitment:apply": Entry(public_page(), kwargs=lambda w: (recruitment_of(w), program(w))[1]),
    "recruitment:received": Entry(public_page(), kwargs=program),
    "recruitment:job": Entry(public_page(), kwargs=POSITION),
    # Personal links: a wrong token is a plain 404 page for everyone.
    "applicant_page": Entry(everyone(404), kwargs=token),
    "applicant_edit": Entry(everyone(404), kwargs=token),
    "applicant_withdraw": Entry(everyone(404), kwargs=token),
    "applicant_data": Entry(everyone(404), kwargs=token),
    "applicant_offer": Entry(everyone(404), kwargs=token, method="post"),
    "applicant_document": Entry(
        everyone(404), kwargs=lambda w: {"token": "no-such-token", "document_id": 1}
    ),
    "applicant_calendar": Entry(everyone(404), kwargs=token),
    # Coordinator and board.
    "recruitment:overview": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "recruitment:round_create": Entry(COORDINATOR_ONLY, kwargs=program),
    "recruitment:round": Entry(COORDINATOR_AND_BOARD, kwargs=ROUND),
    "recruitment:position_create": Entry(COORDINATOR_ONLY, kwargs=ROUND),
    "recruitment:position_edit": Entry(COORDINATOR_ONLY, kwargs=POSITION),
    "recruitment:settings": Entry(COORDINATOR_ONLY, kwargs=program),
    "recruitment:figures": Entry(
        COORDINATOR_AND_BOARD, kwargs=lambda w: (recruitment_of(w), program(w))[1]
    ),
    "recruitment:pipeline": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "recruitment:kanban": Entry(COORDINATOR_AND_BOARD, kwargs=program),
    "recruitment:bulk": Entry(outcomes(403, coordinator=REDIRECT), kwargs=program, method="post"),
    "recruitment:application": Entry(COORDINATOR_AND_BOARD, kwargs=APPLICATION),
    "recruitment:application_action": Entry(
        outcomes(403, coordinator=REDIRECT), kwargs=APPLICATION, method="post"
    ),
    "recruitment:offer_create": Entry(COORDINATOR_ONLY, kwargs=APPLICATION),
    "recruitment:candidate_calendar": Entry(COORDINATOR_ONLY, kwargs=APPLICATION),
    # Uploads: the coordinator, and host A (its organisation is on the candidate's track).
    "recruitment:document": Entry(
        outcomes(404, coordinator=200, host_a=200),
        kwargs=with_pk(lambda w: recruitment_of(w).document.pk),
    ),
    # Recruitment days.
    "recruitment:interviews": Entry(COORDINATOR_ONLY, kwargs=ROUND),
    "recruitment:interview_day_delete": Entry(COORDINATOR_ONLY, kwargs=DAY),
    "recruitment:interview_day_print": Entry(COORDINATOR_ONLY, kwargs=DAY),
    "recruitment:host_calendar": Entry(
        outcomes(404, coordinator=200, host_a=200),
        kwargs=with_pk(lambda w: w.organisation_a.pk),
    ),
    # Hosts.
    "recruitment:host_home": Entry(outcomes(403, host_a=200, host_b=200), kwargs=program),
    "recruitment:need_submit": Entry(outcomes(403, host_a=200, host_b=200), kwargs=ROUND),
    "recruitment:host_review": Entry(outcomes(403, host_a=200, host_b=404), kwargs=APPLICATION),
    "recruitment:host_availability": Entry(outcomes(403, host_a=200, host_b=200), kwargs=ROUND),
}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    "recruitment:job": lambda w: other_recruitment_of(w).position.pk,
    "recruitment:round": lambda w: other_recruitment_of(w).round.pk,
    "recruitment:position_create": lambda w: other_recruitment_of(w).round.pk,
    "recruitment:position_edit": lambda w: other_recruitment_of(w).position.pk,
    "recruitment:application": lambda w: other_recruitment_of(w).application.pk,
    "recruitment:application_action": lambda w: other_recruitment_of(w).application.pk,
    "recruitment:offer_create": lambda w: other_recruitment_of(w).application.pk,
    "recruitment:candidate_calendar": lambda w: other_recruitment_of(w).application.pk,
    "recruitment:document": lambda w: other_recruitment_of(w).document.pk,
    "recruitment:interviews": lambda w: other_recruitment_of(w).round.pk,
    "recruitment:interview_day_delete": lambda w: other_recruitment_of(w).day.pk,
    "recruitment:interview_day_print": lambda w: other_recruitment_of(w).day.pk,
    "recruitment:host_calendar": lambda w: w.other_membership.organisation.pk,
    "recruitment:need_submit": lambda w: other_recruitment_of(w).round.pk,
    "recruitment:host_review": lambda w: other_recruitment_of(w).application.pk,
    "recruitment:host_availability": lambda w: other_recruitment_of(w).round.pk,
}
