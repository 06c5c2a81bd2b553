"""Settlement statistics: do former trainees still live in the programme's region?

Pure Python plus scipy (no Django): the Django layer feeds plain rows in, and every
definition below is unit-tested on its own.

Definitions (issue 5, item 3), for an as-of date:

- an *alumnus* is a person whose programme end is on or before the as-of date;
- for horizon *h* years (0, 1, 2, 3) the *target date* is programme end + *h* calendar
  years (29 February becomes 28 February in a year without it); the person is
  *eligible* at *h* when the target date is on or before the as-of date;
- the residence at *h* is the observation closest to the target date within 183 days
  either side; on a tie the later observation wins (of two on the same day, the one
  recorded later, so the figures never depend on the database's row order); with none
  the person is *unknown*;
- that observation's municipality number is mapped through the change history to the
  numbers current at the as-of date; it is *resident* when it lies in the catchment.
  The catchment is kept in today's numbers, so a number current at the as-of date lies
  in it when every one of its successors up to today does. A number that was split
  counts as resident when all its successors are in the catchment, as not resident
  when none is, and as unknown otherwise; a number the history does not know is unknown;
- *known* = eligible − unknown; *share* = resident / known; *conservative share* =
  resident / eligible (None when the divisor is 0);
- *offered job*: *known* = alumni with a value, *yes* = those offered, *share* = yes / known.

Kaplan–Meier of "still living in the region", in days after programme end, using the
residence observations dated from the programme end up to the as-of date that resolve
to resident or not resident:

- *event*: the first observation outside the catchment (time = its date − programme end);
- *censored*: an alumnus with no observation outside is censored at their last
  observation inside the catchment;
- an alumnus with no such observation at all does not enter the curve.
"""

from __future__ import annotations

import bisect
import enum
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from traineenett.core.municipalities import ChangeHistory, Status

HORIZONS = (0, 1, 2, 3)
WINDOW_DAYS = 183


class Residency(enum.Enum):
    RESIDENT = "resident"
    NOT_RESIDENT = "not_resident"
    UNKNOWN = "unknown"


class Observation(NamedTuple):
    """A residence observation. Any tuple whose first two items are the date and the
    number will do (the selector passes database rows as they come, for speed, in the
    order they were recorded)."""

    observed_on: date
    municipality_number: str


@dataclass(frozen=True)
class AlumnusRecord:
    """One alumnus as the statistics see it. ``group`` names a cohort or programme for
    comparisons; ``origin`` is "moved", "local" or ""."""

    program_end: date
    offered_job: bool | None = None
    observations: Sequence[Sequence[Any]] = ()  # Observation or (date, number, …) rows
    origin: str = ""
    group: str = ""


@dataclass(frozen=True)
class HorizonFigures:
    years: int
    eligible: int
    known: int
    resident: int

    @property
    def share(self) -> float | None:
        return ratio(self.resident, self.known)

    @property
    def conservative_share(self) -> float | None:
        return ratio(self.resident, self.eligible)

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "years": self.years,
            "eligible": self.eligible,
            "known": self.known,
            "resident": self.resident,
            "share": self.share,
            "conservative_share": self.conservative_share,
        }


@dataclass(frozen=True)
class OfferedJob:
    known: int
    yes: int

    @property
    def share(self) -> float | None:
        return ratio(self.yes, self.known)

    def as_dict(self) -> dict[str, int | float | None]:
        return {"known": self.known, "yes": self.yes, "share": self.share}


@dataclass(frozen=True)
class SettlementFigures:
    alumni: int
    offered_job: OfferedJob
    horizons: tuple[HorizonFigures, ...]

    def horizon(self, years: int) -> HorizonFigures:
        return next(h for h in self.horizons if h.years == years)

    def as_dict(self) -> dict[str, object]:
        return {
            "alumni": self.alumni,
            "offered_job": self.offered_job.as_dict(),
            "horizons": [h.as_dict() for h in self.horizons],
        }


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def target_date(program_end: date, years: int) -> date:
    """Programme end + ``years`` calendar years; 29 February → 28 February."""
    try:
        return program_end.replace(year=program_end.year + years)
    except ValueError:  # 29 February in a year without it
        return program_end.replace(year=program_end.year + years, day=28)


def closest_observation(
    observations: Iterable[Sequence[Any]], target: date, window_days: int = WINDOW_DAYS
) -> Any:
    """The observation closest to ``target`` within ``window_days`` either side; on a tie
    the later one (of two on the same day, the one recorded later: the later in the
    sequence); None when there is none. Observations are (date, number, …) tuples."""
    target_day = target.toordinal()
    best: Any = None
    best_distance = window_days + 1
    for observation in observations:
        distance = abs(observation[0].toordinal() - target_day)
        if distance < best_distance or (
            distance == best_distance and best is not None and observation[0] >= best[0]
        ):
            best, best_distance = observation, distance
    return best


class Catchment:
    """Classifies reported municipality numbers for one catchment and one as-of date.

    The result depends on the reported date only through its position among the dates
    in the change history, so it is cached on (number, that position): a report over
    100 000 observations resolves a few thousand numbers, not 100 000.
    """

    def __init__(
        self,
        codes: Iterable[str],
        history: ChangeHistory,
        as_of: date,
        change_dates: Iterable[date] | None = None,
    ) -> None:
        """``change_dates``: every date in the change history (enables the cache by
        position; without it the cache is keyed on the reported date itself)."""
        self.codes = frozenset(codes)
        self.history = history
        self.as_of = as_of
        self._change_dates = sorted(set(change_dates)) if change_dates is not None else None
        self._cache: dict[tuple[str, int], Residency] = {}
        self._at_as_of: dict[str, Residency] = {}

    def classify(self, number: str, reported_on: date) -> Residency:
        position = (
            bisect.bisect_right(self._change_dates, reported_on)
            if self._change_dates is not None
            else reported_on.toordinal()
        )
        key = (number, position)
        found = self._cache.get(key)
        if found is None:
            found = self._classify(number, reported_on)
            self._cache[key] = found
        return found

    def _classify(self, number: str, reported_on: date) -> Residency:
        resolution = self.history.resolve(number, reported_on, self.as_of)
        if resolution.status is Status.UNKNOWN:
            return Residency.UNKNOWN
        return combine(self._current_in_catchment(code) for code in resolution.codes)

    def _current_in_catchment(self, code: str) -> Residency:
        """A number current at the as-of date against the catchment (today's numbers)."""
        found = self._at_as_of.get(code)
        if found is None:
            if code in self.codes:
                found = Residency.RESIDENT
            else:
                today = self.history.resolve(code, self.as_of, None)
                if today.status is Status.UNKNOWN:
                    found = Residency.UNKNOWN
                else:
                    found = combine(
                        Residency.RESIDENT if c in self.codes else Residency.NOT_RESIDENT
                        for c in today.codes
                    )
            self._at_as_of[code] = found
        return found


def combine(parts: Iterable[Residency]) -> Residency:
    """Successors of a split: resident when all are, not resident when none is."""
    seen = set(parts)
    if seen == {Residency.RESIDENT}:
        return Residency.RESIDENT
    if seen == {Residency.NOT_RESIDENT}:
        return Residency.NOT_RESIDENT
    return Residency.UNKNOWN


def residency_at(record: AlumnusRecord, years: int, catchment: Catchment) -> Residency:
    """Resident, not resident or unknown at horizon ``years`` (eligibility not checked)."""
    observation = closest_observation(record.observations, target_date(record.program_end, years))
    if observation is None:
        return Residency.UNKNOWN
    return catchment.classify(observation[1], observation[0])


def settlement(
    records: Sequence[AlumnusRecord],
    catchment: Catchment,
    horizons: Sequence[int] = HORIZONS,
) -> SettlementFigures:
    """The figures of item 3 for ``records`` as of ``catchment.as_of``."""
    as_of = catchment.as_of
    alumni = [record for record in records if record.program_end <= as_of]
    offered_known = sum(1 for record in alumni if record.offered_job is not None)
    offered_yes = sum(1 for record in alumni if record.offered_job)
    counts = {years: [0, 0, 0] for years in horizons}  # eligible, known, resident
    window = WINDOW_DAYS
    for record in alumni:
        # The closest observation, inlined: this loop runs horizons × observations times.
        observations = [(o[0].toordinal(), o) for o in record.observations]
        for years in horizons:
            target = target_date(record.program_end, years)
            if target > as_of:
                continue
            tally = counts[years]
            tally[0] += 1
            target_day = target.toordinal()
            best: Any = None
            best_day = 0
            best_distance = window + 1
            for day, observation in observations:
                distance = abs(day - target_day)
                if distance < best_distance or (
                    distance == best_distance and best is not None and day >= best_day
                ):
                    best, best_day, best_distance = observation, day, distance
            if best is None:
                continue
            state = catchment.classify(best[1], best[0])
            if state is Residency.UNKNOWN:
                continue
            tally[1] += 1
            if state is Residency.RESIDENT:
                tally[2] += 1
    figures = [HorizonFigures(years, *counts[years]) for years in horizons]
    return SettlementFigures(
        alumni=len(alumni),
        offered_job=OfferedJob(known=offered_known, yes=offered_yes),
        horizons=tuple(figures),
    )


def add_figures(parts: Sequence[SettlementFigures]) -> SettlementFigures:
    """Sum figures of disjoint groups (programmes) into one."""
    horizons: dict[int, list[int]] = {}
    for part in parts:
        for h in part.horizons:
            totals = horizons.setdefault(h.years, [0, 0, 0])
            totals[0] += h.eligible
            totals[1] += h.known
            totals[2] += h.resident
    return SettlementFigures(
        alumni=sum(part.alumni for part in parts),
        offered_job=OfferedJob(
            known=sum(part.offered_job.known for part in parts),
            yes=sum(part.offered_job.yes for part in parts),
        ),
        horizons=tuple(
            HorizonFigures(years, *horizons.get(years, [0, 0, 0]))
            for years in sorted(horizons or dict.fromkeys(HORIZONS))
        ),
    )


def split_by(
    records: Sequence[AlumnusRecord], key: Callable[[AlumnusRecord], str]
) -> dict[str, list[AlumnusRecord]]:
    groups: dict[str, list[AlumnusRecord]] = {}
    for record in records:
        groups.setdefault(key(record), []).append(record)
    return groups


def settlement_by_origin(
    records: Sequence[AlumnusRecord], catchment: Catchment
) -> dict[str, SettlementFigures]:
    """Figures for those who moved to the region for the programme ("moved"), those who
    came from it ("local") and those whose origin is unknown ("")."""
    groups = split_by(records, lambda record: record.origin)
    return {
        origin: settlement(groups.get(origin, []), catchment) for origin in ("moved", "local", "")
    }


# ------------------------------------------------------------------ survival analysis


@dataclass(frozen=True)
class Duration:
    """Days from programme end to leaving the region (event) or to the last
    observation in it (censored)."""

    days: int
    left: bool


def duration(record: AlumnusRecord, catchment: Catchment) -> Duration | None:
    """The record's contribution to the Kaplan–Meier curve, or None without information."""
    last_inside: int | None = None
    for observed_on, number, *_rest in sorted(record.observations, key=lambda o: o[0]):
        if observed_on < record.program_end:
            continue
        if observed_on > catchment.as_of:
            break
        state = catchment.classify(number, observed_on)
        days = (observed_on - record.program_end).days
        if state is Residency.NOT_RESIDENT:
            return Duration(days, left=True)
        if state is Residency.RESIDENT:
            last_inside = days
    return Duration(last_inside, left=False) if last_inside is not None else None


@dataclass(frozen=True)
class SurvivalCurve:
    """A step function: ``survival[i]`` holds from ``days[i]`` until ``days[i + 1]``.
    The first point is (0, 1.0). The band is pointwise 95 % (None where undefined)."""

    days: tuple[int, ...]
    survival: tuple[float, ...]
    low: tuple[float | None, ...]
    high: tuple[float | None, ...]
    subjects: int
    events: int

    def at(self, day: int) -> float:
        return self.survival[self._index(day)]

    def band_at(self, day: int) -> tuple[float | None, float | None]:
        index = self._index(day)
        return self.low[index], self.high[index]

    def _index(self, day: int) -> int:
        return max(bisect.bisect_right(self.days, day) - 1, 0)


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _censored(durations: Sequence[Duration]) -> Any:
    from scipy.stats import CensoredData

    return CensoredData(
        uncensored=[d.days for d in durations if d.left],
        right=[d.days for d in durations if not d.left],
    )


def kaplan_meier(durations: Sequence[Duration]) -> SurvivalCurve | None:
    """Kaplan–Meier estimate of "still living in the region" with a 95 % band
    (``scipy.stats.ecdf`` on right-censored data, Greenwood's formula)."""
    if not durations:
        return None
    events = sum(1 for d in durations if d.left)
    if events == 0:
        return SurvivalCurve((0,), (1.0,), (1.0,), (1.0,), len(durations), 0)
    from scipy.stats import ecdf

    result = ecdf(_censored(durations))
    with warnings.catch_warnings():
        # The band is undefined where survival is 0 or 1; scipy says so with a warning.
        warnings.simplefilter("ignore", RuntimeWarning)
        band = result.sf.confidence_interval(0.95)
    days = [0] + [int(q) for q in result.sf.quantiles]
    survival = [1.0] + [float(p) for p in result.sf.probabilities]
    low: list[float | None] = [1.0, *(_finite(p) for p in band.low.probabilities)]
    high: list[float | None] = [1.0, *(_finite(p) for p in band.high.probabilities)]
    if days[1] == 0:  # an event on the day the programme ended
        days, survival, low, high = days[1:], survival[1:], low[1:], high[1:]
    return SurvivalCurve(
        tuple(days), tuple(survival), tuple(low), tuple(high), len(durations), events
    )


@dataclass(frozen=True)
class LogRank:
    statistic: float
    pvalue: float


def log_rank(first: Sequence[Duration], second: Sequence[Duration]) -> LogRank | None:
    """Log-rank test (``scipy.stats.logrank``, two-sided) between two groups; None when a
    group is empty or nobody left the region in either."""
    if not first or not second or not any(d.left for d in (*first, *second)):
        return None
    from scipy.stats import logrank

    result = logrank(_censored(first), _censored(second))
    return LogRank(float(result.statistic), float(result.pvalue))


def durations_of(records: Iterable[AlumnusRecord], catchment: Catchment) -> list[Duration]:
    return [d for d in (duration(record, catchment) for record in records) if d is not None]


@dataclass
class Comparison:
    """Kaplan–Meier per group and the log-rank test between the first two groups."""

    curves: dict[str, SurvivalCurve | None] = field(default_factory=dict)
    test: LogRank | None = None


def compare_groups(records: Sequence[AlumnusRecord], catchment: Catchment) -> Comparison:
    groups = split_by(records, lambda record: record.group)
    durations = {name: durations_of(members, catchment) for name, members in sorted(groups.items())}
    comparison = Comparison(curves={name: kaplan_meier(d) for name, d in durations.items()})
    names = [name for name, d in durations.items() if d]
    if len(names) == 2:
        comparison.test = log_rank(durations[names[0]], durations[names[1]])
    return comparison


def days_to_years(days: int) -> float:
    return days / 365.25
