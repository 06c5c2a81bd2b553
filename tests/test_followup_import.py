"""``traineenett import-followup`` and ``traineenett settlement-report`` (issue 5, items 4–5)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import ProgramFactory
from tests.factories_followup import AlumnusFactory, ResidenceFactory, finished_cohort
from traineenett.cohorts.models import Cohort
from traineenett.core.models import AuditEntry
from traineenett.followup.importing import MAX_LENGTHS, parse_followup_csv
from traineenett.followup.models import Alumnus, ResidenceObservation
from traineenett.followup.selectors import settled_alumni, settlement_report
from traineenett.followup.services import ImportRejected, followup_import

HEADER = "program,person,cohort,program_end,offered_job,observed_on,municipality\n"
pytestmark = pytest.mark.django_db


@pytest.fixture
def innlandet() -> Any:
    return ProgramFactory(slug="innlandet", catchment=["3403", "3405", "3407", "3411"])


def write(tmp_path: Path, body: str, name: str = "followup.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


GOOD = (
    "innlandet,P1,Kull 2013,2015-08-14,true,2015-08-14,0403\n"  # old Hamar number
    "innlandet,P1,Kull 2013,2015-08-14,true,2018-08-01,0301\n"  # Oslo after three years
    "innlandet,P2,Kull 2013,2015-08-14,false,2016-08-20,0501\n"
    "innlandet,P2,Kull 2013,2015-08-14,false,2018-09-01,3405\n"  # already 34xx? no: 2018 → 0501
    "innlandet,P3,Kull 2015,2017-08-14,,2020-08-14,3411\n"
    "innlandet,P4,Kull 2015,2017-08-14,true,,\n"  # a person without observations
)


def test_import_creates_alumni_cohorts_and_observations(innlandet: Any, tmp_path: Path) -> None:
    body = GOOD.replace("2018-09-01,3405", "2018-09-01,0501")
    out = StringIO()
    call_command("import_followup", str(write(tmp_path, body)), stdout=out)
    assert "6 row(s) read; 4 new alumni" in out.getvalue()
    assert "5 new residence observation(s)" in out.getvalue()
    cohorts = Cohort.objects.filter(program=innlandet).order_by("label")
    assert [c.label for c in cohorts] == ["Kull 2013", "Kull 2015"]
    assert cohorts[0].ends_on == date(2015, 8, 14) < timezone.localdate()
    p1 = Alumnus.objects.get(program=innlandet, person="P1")
    assert (p1.cohort.label, p1.program_end, p1.offered_job) == (
        "Kull 2013",
        date(2015, 8, 14),
        True,
    )
    assert Alumnus.objects.get(person="P3").offered_job is None
    numbers = list(
        p1.residences.order_by("observed_on").values_list("municipality_number", flat=True)
    )
    assert numbers == ["0403", "0301"]  # stored as reported
    assert set(ResidenceObservation.objects.values_list("source", flat=True)) == {"import"}
    assert (
        AuditEntry.objects.filter(action="followup.import.completed", program=innlandet).count()
        == 1
    )


def test_importing_the_same_file_twice_changes_nothing(innlandet: Any, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("2018-09-01,3405", "2018-09-01,0501"))
    call_command("import_followup", str(path), stdout=StringIO())
    counts = (Alumnus.objects.count(), ResidenceObservation.objects.count(), Cohort.objects.count())
    out = StringIO()
    call_command("import_followup", str(path), stdout=out)
    assert (
        Alumnus.objects.count(),
        ResidenceObservation.objects.count(),
        Cohort.objects.count(),
    ) == counts
    assert (
        "0 new alumni, 0 updated, 0 new cohort(s), 0 new residence observation(s)" in out.getvalue()
    )


def test_every_error_is_listed_by_line_and_nothing_is_written(
    innlandet: Any, tmp_path: Path, english: None
) -> None:
    body = (
        "innlandet,P1,Kull 2013,2015-08-14,true,2015-08-14,0403\n"  # 2: fine
        "nowhere,P2,Kull 2013,2015-08-14,true,2015-08-14,0403\n"  # 3: unknown programme
        "innlandet,P3,Kull 2013,2015-08-14,true,2015-08-14,9999\n"  # 4: unknown number
        "innlandet,P4,Kull 2013,14.08.2015,true,2015-08-14,0403\n"  # 5: bad date
        "innlandet,P5,Kull 2013,2015-08-14,yes,2015-08-14,0403\n"  # 6: bad offered_job
        "innlandet,P1,Kull 2014,2015-08-14,true,2016-08-14,0403\n"  # 7: cohort differs
        "innlandet,P1,Kull 2013,2015-08-15,true,2016-08-14,0403\n"  # 8: program_end differs
        "innlandet,P1,Kull 2013,2015-08-14,false,2016-08-14,0403\n"  # 9: offered_job differs
        "innlandet,P6,Kull 2013,2015-08-14,,2015-02-30,0403\n"  # 10: impossible date
        "innlandet,P7,Kull 2013,2015-08-14,,2021-01-01,0403\n"  # 11: 0403 gone after 2020
        "innlandet,P8,Kull 2013,2015-08-14,,2019-01-01,3403\n"  # 12: 3403 not yet in 2019
        "innlandet,P9,Kull 2013,2015-08-14,,2019-01-01,403\n"  # 13: not 4 digits
        "innlandet,P10,Kull 2013,2015-08-14,True,2015-08-14,0403\n"  # 14: exactly true
    )
    path = write(tmp_path, body)
    err = StringIO()
    with pytest.raises(CommandError, match="12 error"):
        call_command("import_followup", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    by_line = {int(line.split(":")[1]): line for line in lines}
    assert sorted(by_line) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert "Unknown programme “nowhere”" in by_line[3]
    assert "9999 was not a municipality number on 2015-08-14" in by_line[4]
    assert "program_end must be a date (YYYY-MM-DD), not “14.08.2015”" in by_line[5]
    assert "offered_job must be true, false or empty, not “yes”" in by_line[6]
    assert "cohort of P1 is “Kull 2014” here but “Kull 2013” on line 2" in by_line[7]
    assert "program_end of P1 is “2015-08-15” here but “2015-08-14” on line 2" in by_line[8]
    assert "offered_job of P1 is “false” here but “true” on line 2" in by_line[9]
    assert "observed_on must be a date" in by_line[10]
    assert "0403 was not a municipality number on 2021-01-01" in by_line[11]
    assert "3403 was not a municipality number on 2019-01-01" in by_line[12]
    assert "must be a 4-digit number, not “403”" in by_line[13]
    assert "offered_job must be true, false or empty, not “True”" in by_line[14]
    assert Alumnus.objects.count() == 0
    assert Cohort.objects.count() == 0


def test_a_file_conflicting_with_stored_alumni_is_refused(innlandet: Any, english: None) -> None:
    AlumnusFactory(cohort=finished_cohort(innlandet, "Kull 2013"), person="P1", offered_job=True)
    data = (HEADER + "innlandet,P1,Kull 2015,2015-08-14,false,2016-01-01,0403\n").encode()
    with pytest.raises(ImportRejected) as rejected:
        followup_import(data=data)
    messages = [message for _line, message in rejected.value.errors]
    assert any("cohort of P1 is “Kull 2015” here but “Kull 2013”" in m for m in messages)
    assert any("offered_job of P1 is “false” here but “true”" in m for m in messages)
    assert all(line == 2 for line, _message in rejected.value.errors)


def test_a_stored_unknown_offered_job_is_filled_in(innlandet: Any) -> None:
    alumnus = AlumnusFactory(cohort=finished_cohort(innlandet, "Kull 2018"), person="P1")
    data = f"{HEADER}innlandet,P1,Kull 2018,{alumnus.program_end},true,,\n".encode()
    result = followup_import(data=data)
    alumnus.refresh_from_db()
    assert (result.alumni_updated, alumnus.offered_job) == (1, True)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"program,person\ninnlandet,P1\n", "Missing column(s): cohort, program_end"),
        (HEADER.encode(), "no rows"),
        ("ø".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unreadable_files_are_refused_on_line_one(
    innlandet: Any, content: bytes, message: str, english: None
) -> None:
    with pytest.raises(ImportRejected) as rejected:
        followup_import(data=content)
    assert rejected.value.errors[0][0] == 1
    assert message in rejected.value.errors[0][1]


def test_values_too_long_or_unreadable_are_refused_by_line(innlandet: Any, english: None) -> None:
    body = (
        "innlandet,P1,Kull 2013,2015-08-14,true,2015-08-14,0403\n"  # 2: fine
        f"innlandet,P2,{'K' * 51},2015-08-14,true,2015-08-14,0403\n"  # 3: cohort too long
        f"innlandet,{'P' * 65},Kull 2013,2015-08-14,,2015-08-14,0403\n"  # 4: person too long
        f"innlandet,P3,Kull 2013,2015-08-14,,2015-08-14,{'1' * 200_000}\n"  # 5: over csv limit
    )
    with pytest.raises(ImportRejected) as rejected:
        followup_import(data=(HEADER + body).encode())
    assert rejected.value.errors == [
        (3, "cohort may have at most 50 characters."),
        (4, "person may have at most 64 characters."),
        (5, "The line cannot be read as CSV (is a field too long?)."),
    ]
    assert Cohort.objects.count() == 0


def test_the_parser_length_limits_are_the_models() -> None:
    assert {
        "person": Alumnus._meta.get_field("person").max_length,
        "cohort": Cohort._meta.get_field("label").max_length,
    } == MAX_LENGTHS


def test_a_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_followup", str(tmp_path / "missing.csv"))


# --------------------------------------------------------------------------- report


def report_json(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("settlement_report", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def two_programs(innlandet: Any, tmp_path: Path) -> Any:
    ProgramFactory(slug="helgeland", catchment=["1820", "1824", "1833"])
    body = (
        "innlandet,A1,Kull 2018,2020-06-30,true,2020-06-30,3403\n"
        "innlandet,A1,Kull 2018,2020-06-30,true,2023-06-30,3405\n"
        "innlandet,A2,Kull 2018,2020-06-30,false,2020-06-30,3403\n"
        "innlandet,A2,Kull 2018,2020-06-30,false,2023-07-01,0301\n"
        "innlandet,A3,Kull 2018,2020-06-30,,2020-07-01,0301\n"
        "innlandet,A4,Kull 2022,2024-06-30,true,2024-06-30,3407\n"
        "helgeland,H1,Kull 2018,2020-06-30,true,2020-06-30,1820\n"
        "helgeland,H1,Kull 2018,2020-06-30,true,2021-07-01,1833\n"
    )
    call_command("import_followup", str(write(tmp_path, body)), stdout=StringIO())


def test_report_json_has_exactly_the_contract(two_programs: None) -> None:
    report = report_json("--as-of", "2024-01-01")
    assert list(report) == ["as_of", "programs", "total"]
    assert report["as_of"] == "2024-01-01"
    assert [p["program"] for p in report["programs"]] == ["helgeland", "innlandet"]
    innlandet = report["programs"][1]
    assert list(innlandet) == ["program", "alumni", "offered_job", "horizons"]
    assert innlandet["alumni"] == 3  # A4 ends after the as-of date
    assert innlandet["offered_job"] == {"known": 2, "yes": 1, "share": 0.5}
    horizons = innlandet["horizons"]
    assert [h["years"] for h in horizons] == [0, 1, 2, 3]
    assert list(horizons[0]) == [
        "years",
        "eligible",
        "known",
        "resident",
        "share",
        "conservative_share",
    ]
    assert horizons[0] == {
        "years": 0,
        "eligible": 3,
        "known": 3,
        "resident": 2,
        "share": 2 / 3,
        "conservative_share": 2 / 3,
    }
    assert horizons[1] == {
        "years": 1,
        "eligible": 3,
        "known": 0,
        "resident": 0,
        "share": None,
        "conservative_share": 0.0,
    }
    assert horizons[3] == {
        "years": 3,
        "eligible": 3,
        "known": 2,
        "resident": 1,
        "share": 0.5,
        "conservative_share": 1 / 3,
    }
    total = report["total"]
    assert "program" not in total
    assert total["alumni"] == 4
    assert total["horizons"][1] == {
        "years": 1,
        "eligible": 4,
        "known": 1,
        "resident": 1,
        "share": 1.0,
        "conservative_share": 0.25,
    }


def test_report_for_one_programme(two_programs: None) -> None:
    report = report_json("--program", "helgeland", "--as-of", "2024-01-01")
    assert [p["program"] for p in report["programs"]] == ["helgeland"]
    assert report["total"]["alumni"] == 1
    assert report["total"]["horizons"] == report["programs"][0]["horizons"]


def test_report_as_of_defaults_to_today(two_programs: None) -> None:
    assert report_json()["as_of"] == timezone.localdate().isoformat()


def test_report_table(two_programs: None) -> None:
    out = StringIO()
    call_command("settlement_report", "--format", "table", "--as-of", "2024-01-01", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].split()[:2] == ["programme", "alumni"]
    innlandet = next(line for line in lines if line.startswith("innlandet"))
    assert "66.7 % (2/3/3)" in innlandet
    assert "50.0 % (1/2/3)" in innlandet
    assert lines[-1].startswith("total")


def test_report_refuses_bad_options(two_programs: None) -> None:
    with pytest.raises(CommandError, match="Unknown programme") as unknown:
        call_command("settlement_report", "--program", "nowhere")
    assert unknown.value.returncode == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD") as bad_date:
        call_command("settlement_report", "--as-of", "01.01.2024")
    assert bad_date.value.returncode == 2


def test_report_queries_do_not_grow_with_alumni(innlandet: Any) -> None:
    cohort = finished_cohort(innlandet)

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            settlement_report([innlandet], date(2025, 1, 1))
        return len(context.captured_queries)

    ResidenceFactory(alumnus=AlumnusFactory(cohort=cohort))
    few = count()
    for _ in range(10):
        ResidenceFactory(alumnus=AlumnusFactory(cohort=cohort))
    assert count() == few <= 5


def test_settled_alumni_for_the_finance_app(two_programs: None) -> None:
    from traineenett.core.models import Program

    figures = settled_alumni(Program.objects.get(slug="innlandet"), date(2024, 1, 1))
    assert (figures.years, figures.eligible, figures.known, figures.resident) == (3, 3, 2, 1)
    one = settled_alumni(Program.objects.get(slug="helgeland"), date(2024, 1, 1), years=1)
    assert (one.eligible, one.known, one.resident, one.share) == (1, 1, 1, 1.0)


# ------------------------------------------------------------------- the pure parser

PERSONS = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "P3"]),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2024, 12, 31)),
        st.sampled_from(["0403", "3403", "0301", "9999"]),
    ),
    min_size=1,
    max_size=12,
)


@given(PERSONS)
def test_parser_reports_exactly_the_rows_it_refuses(rows: list[tuple[str, date, str]]) -> None:
    """Every row is either accepted as an observation or named by its line number."""
    in_force = {"0403": (date(1, 1, 1), date(2020, 1, 1)), "3403": (date(2020, 1, 1), date.max)}
    in_force["0301"] = (date(1, 1, 1), date.max)

    def number_in_force(number: str, day: date) -> bool:
        span = in_force.get(number)
        return span is not None and span[0] <= day < span[1]

    body = "".join(
        f"p,{person},Kull 2010,2012-08-14,true,{day.isoformat()},{number}\n"
        for person, day, number in rows
    )
    parsed = parse_followup_csv(
        (HEADER + body).encode(),
        today=date(2025, 1, 1),
        program_exists=lambda slug: slug == "p",
        number_in_force=number_in_force,
    )
    refused = {problem.line for problem in parsed.problems}
    accepted = {observation.line for observation in parsed.observations}
    assert refused | accepted == set(range(2, len(rows) + 2))
    assert not refused & accepted
    for line, (_person, day, number) in enumerate(rows, start=2):
        assert (line in accepted) == number_in_force(number, day)
