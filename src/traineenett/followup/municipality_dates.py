"""When was a municipality number in force? Pure Python (no Django).

The register holds today's numbers; the KLASS change history says when numbers were
replaced. A number is *in force* on a day when it had been introduced by then (or is
older than the history) and had not yet been replaced (or is still current).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from traineenett.core.municipalities import Change


class MunicipalityCalendar:
    """Answers ``in_force(number, day)`` from the register and the change history."""

    def __init__(self, current_codes: Iterable[str], changes: Iterable[Change]) -> None:
        self.current_codes = frozenset(current_codes)
        introduced: dict[str, list[date]] = defaultdict(list)
        retired: dict[str, list[date]] = defaultdict(list)
        for change in changes:
            if change.old_code == change.new_code:
                continue  # a name change or a boundary adjustment: the number stays
            introduced[change.new_code].append(change.changed_on)
            retired[change.old_code].append(change.changed_on)
        self._introduced = {code: min(days) for code, days in introduced.items()}
        self._retired = dict(retired)
        self.known_codes = self.current_codes | set(introduced) | set(retired)

    def introduced_on(self, code: str) -> date | None:
        """The day the number came into use, or None when it predates the history
        (a number that was itself replaced before it was ever introduced is older)."""
        first = self._introduced.get(code)
        if first is None:
            return None
        if any(day < first for day in self._retired.get(code, ())):
            return None
        return first

    def retired_on(self, code: str) -> date | None:
        """The day the number went out of use, or None while it is current."""
        if code in self.current_codes:
            return None
        start = self.introduced_on(code)
        later = [day for day in self._retired.get(code, ()) if start is None or day >= start]
        return min(later) if later else None

    def in_force(self, code: str, day: date) -> bool:
        if code not in self.known_codes:
            return False
        start = self.introduced_on(code)
        end = self.retired_on(code)
        return (start is None or start <= day) and (end is None or day < end)
