"""Attendance credits, progress and absence warnings: pure functions, no Django.

A *held* session is one that has ended. Each held session is worth a number of days
(a full day 1, a half day 0.5); a trainee's status there earns a share of those days
(``CreditRules``). A session is *missed* when the status is absent or excused: both are
days the trainee has not taken part in. A held session without any registration yet is
neither attended nor missed: it is left out of the warnings until someone registers it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

PRESENT = "present"
LATE = "late"
EXCUSED = "excused"
ABSENT = "absent"
MISSED = frozenset({ABSENT, EXCUSED})

SHARE = "share"
CONSECUTIVE = "consecutive"


@dataclass(frozen=True)
class CreditRules:
    """Days credited per session day, by status (configurable per programme)."""

    present: Decimal = Decimal("1")
    late: Decimal = Decimal("1")
    excused: Decimal = Decimal("0")
    absent: Decimal = Decimal("0")

    def credit(self, status: str | None, days: Decimal) -> Decimal:
        """Days credited for one session of ``days`` days with ``status``."""
        factor = {
            PRESENT: self.present,
            LATE: self.late,
            EXCUSED: self.excused,
            ABSENT: self.absent,
        }.get(status or "", Decimal("0"))
        return factor * days


@dataclass(frozen=True)
class WarningRules:
    """Warn at ``absence_share`` (0–1) of held days missed, or after
    ``consecutive_limit`` missed sessions in a row (0 turns that warning off)."""

    absence_share: Decimal = Decimal("0.20")
    consecutive_limit: int = 2


@dataclass(frozen=True)
class SessionRecord:
    """One held session of a trainee and the trainee's status there (None: unregistered)."""

    session_id: int
    starts_at: datetime
    days: Decimal
    module: str
    status: str | None


@dataclass(frozen=True)
class AbsenceWarning:
    """A warning; ``reference`` identifies it so it is sent only once."""

    kind: str
    reference: str
    missed_days: Decimal
    held_days: Decimal
    session_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Progress:
    credited: Decimal
    required: Decimal
    held: Decimal
    missed: Decimal

    @property
    def remaining(self) -> Decimal:
        return max(Decimal("0"), self.required - self.credited)

    @property
    def complete(self) -> bool:
        return self.credited >= self.required

    @property
    def percent(self) -> int:
        if not self.required:
            return 100
        return min(100, int(self.credited * 100 / self.required))


def credited_days(records: Iterable[SessionRecord], rules: CreditRules) -> Decimal:
    return sum((rules.credit(r.status, r.days) for r in records), Decimal("0"))


def progress(
    records: Sequence[SessionRecord], rules: CreditRules, required: int | Decimal
) -> Progress:
    """Days credited of the days required, plus the held and missed days so far."""
    return Progress(
        credited=credited_days(records, rules),
        required=Decimal(required),
        held=sum((r.days for r in records), Decimal("0")),
        missed=sum((r.days for r in records if r.status in MISSED), Decimal("0")),
    )


def absence_warnings(records: Sequence[SessionRecord], rules: WarningRules) -> list[AbsenceWarning]:
    """The warnings a trainee's held sessions call for, in date order across modules.

    * ``share``: the missed days reach ``absence_share`` of the held days (registered so
      far). One warning while the share stays at or above the limit, identified by the
      session where it was reached; a trainee who gets back below the limit and then
      reaches it again gets a new warning.
    * ``consecutive``: a run of ``consecutive_limit`` missed sessions in a row, whatever
      their modules (one warning per run, identified by the run's first session).
    """
    ordered = sorted(records, key=lambda r: (r.starts_at, r.session_id))
    registered = [r for r in ordered if r.status is not None]
    held = missed = Decimal("0")
    crossed_at: int | None = None  # the session where the share last reached the limit
    for record in registered:
        held += record.days
        if record.status in MISSED:
            missed += record.days
        above = rules.absence_share > 0 and missed / held >= rules.absence_share
        if not above:
            crossed_at = None
        elif crossed_at is None:
            crossed_at = record.session_id
    warnings: list[AbsenceWarning] = []
    if crossed_at is not None:
        warnings.append(AbsenceWarning(SHARE, f"{SHARE}-{crossed_at}", missed, held))
    if rules.consecutive_limit > 0:
        run: list[SessionRecord] = []
        for record in registered:
            if record.status in MISSED:
                run.append(record)
                if len(run) == rules.consecutive_limit:
                    warnings.append(
                        AbsenceWarning(
                            CONSECUTIVE,
                            f"{CONSECUTIVE}-{run[0].session_id}",
                            missed,
                            held,
                            tuple(r.session_id for r in run),
                        )
                    )
            else:
                run = []
    return warnings
