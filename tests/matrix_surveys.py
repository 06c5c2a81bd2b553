"""Permission-matrix entries for the surveys app's URLs (merged by test_permission_matrix)."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import World
from tests.factories_surveys import a_live_token, a_wave
from tests.matrix import COORDINATOR_ONLY, REDIRECT, Entry, everyone, outcomes, program, with_pk

# Rates are for those who follow up (coordinator, board, analyst; the analyst with counts
# under 5 suppressed); the answers, one row per person, only for the coordinator.
FOLLOWUP_READERS = outcomes(403, coordinator=200, board=200, analyst=200)
ANSWER_READERS = outcomes(403, coordinator=200)
COORDINATOR_ACTS = outcomes(403, coordinator=REDIRECT)


def wave_pk(w: World) -> int:
    return a_wave(w.program).pk


ENTRIES: dict[str, Entry] = {
    "surveys:waves": Entry(FOLLOWUP_READERS, kwargs=program),
    "surveys:settings": Entry(COORDINATOR_ONLY, kwargs=program),
    "surveys:wave_detail": Entry(FOLLOWUP_READERS, kwargs=with_pk(wave_pk)),
    "surveys:wave_invite": Entry(COORDINATOR_ACTS, kwargs=with_pk(wave_pk), method="post"),
    "surveys:wave_remind": Entry(COORDINATOR_ACTS, kwargs=with_pk(wave_pk), method="post"),
    "surveys:wave_answers": Entry(ANSWER_READERS, kwargs=with_pk(wave_pk)),
    # The alumnus's link: open to whoever holds it, logged in or not.
    "survey_answer": Entry(everyone(200), kwargs=lambda w: {"token": a_live_token(w.program)}),
    "survey_opt_out": Entry(everyone(200), kwargs=lambda w: {"token": a_live_token(w.program)}),
}

# Every URL with a ``pk`` → how to get another programme's object of that kind.
OTHER_PROGRAM: dict[str, Callable[[World], int]] = {
    name: (lambda w: a_wave(w.other_program).pk)
    for name in (
        "surveys:wave_detail",
        "surveys:wave_invite",
        "surveys:wave_remind",
        "surveys:wave_answers",
    )
}
