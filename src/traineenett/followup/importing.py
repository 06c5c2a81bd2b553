"""Parse a follow-up CSV file (issue 5, item 4). Pure Python (no Django).

Header ``program,person,cohort,program_end,offered_job,observed_on,municipality``, one
row per residence observation. The parser checks everything that can be checked from
the file alone and collects *every* problem with its line number; what needs the
database (does the programme exist, was the number in force on that date) is checked
by the service through the two callables it passes in.

A row with both ``observed_on`` and ``municipality`` empty records the person only
(for example ``offered_job`` of someone never observed).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

COLUMNS = (
    "program",
    "person",
    "cohort",
    "program_end",
    "offered_job",
    "observed_on",
    "municipality",
)
_NUMBER = re.compile(r"^\d{4}$")
# The ``max_length`` of Alumnus.person and Cohort.label: longer values are errors here,
# not a crash when the rows are stored.
MAX_LENGTHS = {"person": 64, "cohort": 50}


@dataclass(frozen=True)
class Problem:
    """One error: ``code`` picks the (translated) message, ``params`` fill it in."""

    line: int
    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonRow:
    program: str
    person: str
    cohort: str
    program_end: date
    offered_job: bool | None
    line: int


@dataclass(frozen=True)
class ObservationRow:
    program: str
    person: str
    observed_on: date
    municipality: str
    line: int


@dataclass
class ParsedFile:
    persons: dict[tuple[str, str], PersonRow] = field(default_factory=dict)
    observations: list[ObservationRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse_followup_csv(
    data: bytes,
    *,
    today: date,
    program_exists: Callable[[str], bool],
    number_in_force: Callable[[str, date], bool],
) -> ParsedFile:
    """Read the file; ``result.problems`` lists every error (empty when it may be imported)."""
    result = ParsedFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.problems.append(Problem(1, "encoding"))
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        _read_rows(reader, result, today, program_exists, number_in_force)
    except csv.Error:  # e.g. a field longer than the csv module's limit
        result.problems.append(Problem(max(reader.line_num, 1), "unreadable"))
    return result


def _read_rows(
    reader: Any,
    result: ParsedFile,
    today: date,
    program_exists: Callable[[str], bool],
    number_in_force: Callable[[str, date], bool],
) -> None:
    header = [cell.strip() for cell in next(reader, [])]
    if not any(header):
        result.problems.append(Problem(1, "empty", {"columns": ",".join(COLUMNS)}))
        return
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        result.problems.append(Problem(1, "missing_columns", {"columns": ", ".join(missing)}))
        return
    index = {column: header.index(column) for column in COLUMNS}
    unknown_programs: set[str] = set()
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        result.rows += 1
        if len(row) < len(header):
            result.problems.append(
                Problem(line, "columns", {"expected": str(len(header)), "found": str(len(row))})
            )
            continue
        cell = {column: row[position].strip() for column, position in index.items()}
        problems_before = len(result.problems)

        def problem(code: str, line: int = line, **params: str) -> None:
            result.problems.append(Problem(line, code, params))

        if not cell["program"]:
            problem("required", column="program")
        elif cell["program"] in unknown_programs or not program_exists(cell["program"]):
            unknown_programs.add(cell["program"])
            problem("unknown_program", value=cell["program"])
        for column in ("person", "cohort"):
            if not cell[column]:
                problem("required", column=column)
            elif len(cell[column]) > MAX_LENGTHS[column]:
                problem("too_long", column=column, max=str(MAX_LENGTHS[column]))
        program_end = _date(cell["program_end"])
        if program_end is None:
            problem("bad_date", column="program_end", value=cell["program_end"])
        elif program_end > today:
            problem("future_date", column="program_end", value=cell["program_end"])
        offered_text = cell["offered_job"]  # exactly true, false or empty
        if offered_text not in ("true", "false", ""):
            problem("bad_offered_job", value=cell["offered_job"])
        offered_job = {"true": True, "false": False}.get(offered_text)
        observed_on: date | None = None
        number = cell["municipality"]
        if cell["observed_on"] or number:
            observed_on = _date(cell["observed_on"])
            if observed_on is None:
                problem("bad_date", column="observed_on", value=cell["observed_on"])
            elif observed_on > today:
                problem("future_date", column="observed_on", value=cell["observed_on"])
            if not _NUMBER.match(number):
                problem("bad_municipality", value=number)
            elif observed_on is not None and not number_in_force(number, observed_on):
                problem("unknown_municipality", value=number, date=cell["observed_on"])
        if len(result.problems) > problems_before or program_end is None:
            continue
        person = PersonRow(
            cell["program"], cell["person"], cell["cohort"], program_end, offered_job, line
        )
        key = (person.program, person.person)
        first = result.persons.get(key)
        if first is None:
            result.persons[key] = person
        else:
            for column, mine, theirs in (
                ("cohort", person.cohort, first.cohort),
                ("program_end", person.program_end, first.program_end),
                ("offered_job", person.offered_job, first.offered_job),
            ):
                if mine != theirs:
                    problem(
                        "inconsistent",
                        column=column,
                        person=person.person,
                        first_line=str(first.line),
                        value=as_text(mine),
                        first_value=as_text(theirs),
                    )
        if observed_on is not None:
            result.observations.append(
                ObservationRow(person.program, person.person, observed_on, number, line)
            )
    if result.rows == 0 and not result.problems:
        result.problems.append(Problem(1, "no_rows"))


def as_text(value: object) -> str:
    """A cell's value as written in the file (for messages)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
