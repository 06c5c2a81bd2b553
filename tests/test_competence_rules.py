"""The credit rules, progress and absence warnings (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from traineenett.competence.rules import (
    ABSENT,
    CONSECUTIVE,
    EXCUSED,
    LATE,
    PRESENT,
    SHARE,
    CreditRules,
    SessionRecord,
    WarningRules,
    absence_warnings,
    credited_days,
    progress,
)

START = datetime(2026, 1, 12, 9, tzinfo=UTC)


def records(*entries: tuple[str | None, str, str] | tuple[str | None, str]) -> list[SessionRecord]:
    """(status, module[, days]) per session, one week apart."""
    found = []
    for index, entry in enumerate(entries):
        status, module = entry[0], entry[1]
        days = Decimal(entry[2]) if len(entry) > 2 else Decimal("1")  # type: ignore[misc]
        found.append(SessionRecord(index + 1, START + timedelta(weeks=index), days, module, status))
    return found


def test_default_credits_per_status_and_half_days() -> None:
    rules = CreditRules()
    assert rules.credit(PRESENT, Decimal("2")) == 2
    assert rules.credit(LATE, Decimal("1")) == 1
    assert rules.credit(EXCUSED, Decimal("1")) == 0
    assert rules.credit(ABSENT, Decimal("1")) == 0
    assert rules.credit(None, Decimal("1")) == 0
    assert rules.credit(PRESENT, Decimal("0.5")) == Decimal("0.5")


def test_configured_credits() -> None:
    rules = CreditRules(late=Decimal("0.5"), excused=Decimal("0.25"))
    sessions = records((PRESENT, "a", "2"), (LATE, "a"), (EXCUSED, "b"), (ABSENT, "b"))
    assert credited_days(sessions, rules) == Decimal("2.75")


def test_progress_against_the_requirement() -> None:
    sessions = records(*[(PRESENT, "a")] * 19, (ABSENT, "b"))
    result = progress(sessions, CreditRules(), 20)
    assert (result.credited, result.held, result.missed) == (19, 20, 1)
    assert not result.complete and result.remaining == 1 and result.percent == 95
    done = progress(records(*[(PRESENT, "a", "2")] * 10), CreditRules(), 20)
    assert done.complete and done.remaining == 0 and done.percent == 100


def test_share_warning_when_the_missed_share_is_reached() -> None:
    rules = WarningRules(absence_share=Decimal("0.25"), consecutive_limit=0)
    below = records((PRESENT, "a"), (PRESENT, "a"), (PRESENT, "a"), (PRESENT, "a"), (ABSENT, "a"))
    assert absence_warnings(below, rules) == []  # 1 of 5 = 20 %
    reached = records((PRESENT, "a"), (PRESENT, "a"), (EXCUSED, "a"), (ABSENT, "b"))
    (warning,) = absence_warnings(reached, rules)
    assert warning.kind == SHARE and warning.reference == f"{SHARE}-3"  # 1 of 3 days
    assert (warning.missed_days, warning.held_days) == (2, 4)


def test_the_share_warning_stays_one_while_above_and_rearms_after_dropping_below() -> None:
    rules = WarningRules(absence_share=Decimal("0.25"), consecutive_limit=0)
    # 1/1 missed (above, reached at 1) ... 1/4 still at the limit ... 1/5 below.
    early = records((ABSENT, "a"), (PRESENT, "a"), (PRESENT, "b"), (PRESENT, "b"))
    assert [w.reference for w in absence_warnings(early, rules)] == [f"{SHARE}-1"]
    recovered = records(*[(ABSENT, "a")], *[(PRESENT, "a")] * 4)
    assert absence_warnings(recovered, rules) == []
    # Below at session 5 (1 of 5), reached again at session 6 (2 of 6): a new warning.
    again = records(*[(ABSENT, "a")], *[(PRESENT, "a")] * 4, (ABSENT, "c"), (ABSENT, "c"))
    (warning,) = absence_warnings(again, rules)
    assert warning.reference == f"{SHARE}-6"
    assert (warning.missed_days, warning.held_days) == (3, 7)


def test_share_counts_days_not_sessions() -> None:
    rules = WarningRules(absence_share=Decimal("0.5"), consecutive_limit=0)
    # One missed two-day session of three held days: 2/3 missed.
    sessions = records((ABSENT, "a", "2"), (PRESENT, "a", "1"))
    assert [w.kind for w in absence_warnings(sessions, rules)] == [SHARE]
    sessions = records((ABSENT, "a", "0.5"), (PRESENT, "a", "1"))
    assert absence_warnings(sessions, rules) == []


def test_consecutive_absences_across_modules() -> None:
    rules = WarningRules(absence_share=Decimal("1"), consecutive_limit=3)
    sessions = records(
        (PRESENT, "communication"),
        (ABSENT, "communication"),
        (EXCUSED, "leadership"),
        (ABSENT, "change work"),
        (PRESENT, "change work"),
    )
    (warning,) = absence_warnings(sessions, rules)
    assert warning.kind == CONSECUTIVE
    assert warning.session_ids == (2, 3, 4)
    assert warning.reference == f"{CONSECUTIVE}-2"


def test_consecutive_is_ordered_by_date_not_by_input_order() -> None:
    rules = WarningRules(absence_share=Decimal("1"), consecutive_limit=2)
    sessions = records((ABSENT, "a"), (PRESENT, "b"), (ABSENT, "c"))
    assert absence_warnings(sessions, rules) == []
    # The same statuses, but the present session actually came last.
    reordered = [
        SessionRecord(1, START, Decimal(1), "a", ABSENT),
        SessionRecord(2, START + timedelta(weeks=3), Decimal(1), "b", PRESENT),
        SessionRecord(3, START + timedelta(weeks=1), Decimal(1), "c", ABSENT),
    ]
    (warning,) = absence_warnings(reordered, rules)
    assert warning.session_ids == (1, 3)


def test_one_warning_per_run_and_a_new_run_warns_again() -> None:
    rules = WarningRules(absence_share=Decimal("1"), consecutive_limit=2)
    sessions = records(
        (ABSENT, "a"), (ABSENT, "a"), (ABSENT, "b"), (PRESENT, "b"), (ABSENT, "c"), (ABSENT, "c")
    )
    warnings = absence_warnings(sessions, rules)
    assert [w.reference for w in warnings] == [f"{CONSECUTIVE}-1", f"{CONSECUTIVE}-5"]


def test_unregistered_sessions_neither_count_nor_break_a_run() -> None:
    rules = WarningRules(absence_share=Decimal("0.5"), consecutive_limit=2)
    sessions = records((ABSENT, "a"), (None, "a"), (ABSENT, "b"), (PRESENT, "b"))
    warnings = absence_warnings(sessions, rules)
    assert {w.kind for w in warnings} == {SHARE, CONSECUTIVE}
    share = next(w for w in warnings if w.kind == SHARE)
    assert share.held_days == 3  # the unregistered session is not held for the share


def test_zero_limit_turns_the_consecutive_warning_off() -> None:
    rules = WarningRules(absence_share=Decimal("1"), consecutive_limit=0)
    assert absence_warnings(records(*[(ABSENT, "a")] * 4), rules)[0].kind == SHARE
    assert all(
        w.kind != CONSECUTIVE for w in absence_warnings(records(*[(ABSENT, "a")] * 4), rules)
    )
