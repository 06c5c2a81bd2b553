"""Municipality numbers through time: parse KLASS change tables, resolve old numbers.

Pure Python (no Django): the register and the change history come in as plain data,
so the rules are unit-tested on their own and reused by follow-up statistics.
"""

from __future__ import annotations

import csv
import enum
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

KLASS_COLUMNS = ("oldCode", "oldName", "newCode", "newName", "changeOccurred")
_CODE = re.compile(r"^\d{4}$")


@dataclass(frozen=True, order=True)
class Change:
    """One row of Statistics Norway's change table: old_code became new_code on changed_on."""

    changed_on: date
    old_code: str
    new_code: str
    old_name: str = ""
    new_name: str = ""


class KlassFormatError(ValueError):
    """A change table that cannot be read; ``line`` is the 1-based line in the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def decode_table(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else ISO-8859-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("iso-8859-1")


def parse_klass_changes(data: bytes) -> list[Change]:
    """Read a KLASS change table for classification 131 (comma or semicolon separated).

    Raises KlassFormatError naming the first bad line; returns nothing partial.
    """
    text = decode_table(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise KlassFormatError(
            1, "the file is empty; expected a header with " + ",".join(KLASS_COLUMNS)
        )
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [column.strip() for column in next(reader)]
    missing = [column for column in KLASS_COLUMNS if column not in header]
    if missing:
        raise KlassFormatError(1, "missing column(s): " + ", ".join(missing))
    index = {column: header.index(column) for column in KLASS_COLUMNS}
    changes: list[Change] = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            raise KlassFormatError(line, f"expected {len(header)} columns, found {len(row)}")
        cell = {column: row[position].strip() for column, position in index.items()}
        for column in ("oldCode", "newCode"):
            if not _CODE.match(cell[column]):
                raise KlassFormatError(
                    line, f"{column} must be a 4-digit municipality number, not {cell[column]!r}"
                )
        try:
            changed_on = date.fromisoformat(cell["changeOccurred"])
        except ValueError:
            raise KlassFormatError(
                line,
                f"changeOccurred must be an ISO date (YYYY-MM-DD), not {cell['changeOccurred']!r}",
            ) from None
        changes.append(
            Change(
                changed_on=changed_on,
                old_code=cell["oldCode"],
                new_code=cell["newCode"],
                old_name=cell["oldName"],
                new_name=cell["newName"],
            )
        )
    return changes


class Status(enum.Enum):
    CURRENT = "current"  # maps to exactly one municipality
    AMBIGUOUS = "ambiguous"  # the municipality was split: several successors
    UNKNOWN = "unknown"  # a number the register and the history do not know


@dataclass(frozen=True)
class Resolution:
    status: Status
    codes: tuple[str, ...] = ()

    @property
    def code(self) -> str | None:
        return self.codes[0] if self.status is Status.CURRENT else None


class ChangeHistory:
    """The register of current numbers plus every known change, ready to resolve numbers."""

    def __init__(self, current_codes: Iterable[str], changes: Iterable[Change]) -> None:
        self.current_codes = frozenset(current_codes)
        self._from: dict[str, list[Change]] = defaultdict(list)
        known = set(self.current_codes)
        for change in sorted(set(changes)):
            self._from[change.old_code].append(change)
            known.update((change.old_code, change.new_code))
        self.known_codes = frozenset(known)

    def resolve(self, code: str, reported_on: date, as_of: date | None = None) -> Resolution:
        """Map a number as reported on a date to the municipalities current at ``as_of``.

        Changes after ``reported_on`` (and on or before ``as_of``) are followed. A number
        reported after it was already replaced (people keep using old numbers) follows
        the change that replaced it. A split yields AMBIGUOUS with every successor.
        """
        code = code.strip()
        if code not in self.known_codes:
            return Resolution(Status.UNKNOWN)
        results = self._follow(code, reported_on, as_of, allow_stale=True, seen=frozenset())
        if not results:
            return Resolution(Status.UNKNOWN)
        codes = tuple(sorted(results))
        return Resolution(Status.CURRENT if len(codes) == 1 else Status.AMBIGUOUS, codes)

    def _follow(
        self, code: str, since: date, as_of: date | None, *, allow_stale: bool, seen: frozenset[str]
    ) -> set[str]:
        if code in seen:  # a cycle in an imported table: stop rather than loop
            return {code}
        outgoing = [
            change
            for change in self._from.get(code, ())
            if change.changed_on > since and (as_of is None or change.changed_on <= as_of)
        ]
        if not outgoing and allow_stale and code not in self.current_codes:
            earlier = [change for change in self._from.get(code, ()) if change.changed_on <= since]
            if earlier:
                latest = max(change.changed_on for change in earlier)
                outgoing = [change for change in earlier if change.changed_on == latest]
        if not outgoing:
            return {code}
        first = min(change.changed_on for change in outgoing)
        results: set[str] = set()
        for change in outgoing:
            if change.changed_on == first:
                results |= self._follow(
                    change.new_code, first, as_of, allow_stale=False, seen=seen | {code}
                )
        return results
