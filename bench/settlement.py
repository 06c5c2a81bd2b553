"""Benchmark the settlement report: 20 000 alumni with 100 000 residence observations.

    python bench/settlement.py [--repeats N] [--keep] [--seed S]

Unless ``DATABASE_URL`` is set, creates a fresh SQLite file bench/out/settlement.sqlite3,
migrates it and fills it deterministically: 10 programmes (catchment = one county each),
2 000 alumni per programme in 8 cohorts ending 2012–2023, 5 residence observations per
alumnus around the horizons (±200 days, so some fall outside the 183-day window),
reported with the number in force on the day (old 04xx/05xx numbers before 2020), a third
of them outside the catchment. Then times ``settlement_report`` (every programme and the
total, the same code path as ``traineenett settlement-report``) N times and prints a
Markdown table (also written to bench/out/settlement.md). Exits 1 when the median is over
the 2-second budget.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"
BUDGET_SECONDS = 2.0
PROGRAMMES, ALUMNI_EACH, OBSERVATIONS_EACH = 10, 2_000, 5
COUNTIES = ("34", "18", "50", "46", "15", "42", "11", "40", "55", "03")
AS_OF = date(2026, 6, 1)


def setup_django(keep: bool) -> Path | None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    database: Path | None = None
    if "DATABASE_URL" not in os.environ:
        OUT_DIR.mkdir(exist_ok=True)
        database = OUT_DIR / "settlement.sqlite3"
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traineenett.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return database


def generate(seed: int) -> None:
    from django.db import transaction

    from traineenett.cohorts.models import Cohort
    from traineenett.core.models import Municipality, Program
    from traineenett.core.services import program_create
    from traineenett.followup.demo import Numbers
    from traineenett.followup.models import Alumnus, ResidenceObservation
    from traineenett.followup.services import municipality_calendar
    from traineenett.followup.settlement import target_date

    rng = random.Random(seed)
    calendar = municipality_calendar()
    numbers = Numbers(calendar)
    all_codes = sorted(Municipality.objects.values_list("number", flat=True))
    reported: dict[tuple[str, date], str] = {}

    def number_on(code: str, day: date) -> str:
        key = (code, day)
        if key not in reported:
            reported[key] = numbers.on(code, day)
        return reported[key]

    with transaction.atomic():
        for index, county in enumerate(COUNTIES):
            program = program_create(
                slug=f"settlement-{index:02d}",
                name=f"Settlement benchmark {index:02d}",
                catchment_codes=county,
            )
            inside = sorted(program.catchment.values_list("number", flat=True))
            outside = [code for code in all_codes if code not in set(inside)]
            cohorts = [
                Cohort.objects.create(
                    program=program,
                    label=f"Kull {year}",
                    starts_on=date(year, 8, 15),
                    ends_on=date(year + 2, 8, 14),
                    common_salary=0,
                )
                for year in range(2010, 2022, 3 if index % 2 else 2)
            ][:8]
            alumni = []
            for number in range(ALUMNI_EACH):
                cohort = cohorts[number % len(cohorts)]
                alumni.append(
                    Alumnus(
                        program=program,
                        person=f"B{index:02d}-{number:05d}",
                        cohort=cohort,
                        program_end=cohort.ends_on,
                        offered_job=rng.choice([True, True, True, False, None]),
                        origin=rng.choice(["moved", "local", ""]),
                    )
                )
            Alumnus.objects.bulk_create(alumni, batch_size=2000)
            rows = []
            for alumnus in Alumnus.objects.filter(program=program).only("pk", "program_end"):
                for observation in range(OBSERVATIONS_EACH):
                    day = target_date(alumnus.program_end, observation % 4) + timedelta(
                        days=rng.randint(-200, 200)
                    )
                    day = min(day, AS_OF)
                    code = rng.choice(outside) if rng.random() < 0.33 else rng.choice(inside)
                    rows.append(
                        ResidenceObservation(
                            alumnus_id=alumnus.pk,
                            observed_on=day,
                            municipality_number=number_on(code, day),
                            source="import",
                        )
                    )
            ResidenceObservation.objects.bulk_create(rows, batch_size=5000)
    assert Program.objects.filter(slug__startswith="settlement-").count() == PROGRAMMES


def measure(repeats: int) -> tuple[list[float], list[float], int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from traineenett.core.models import Program
    from traineenett.followup.selectors import settlement_report

    programs = list(Program.objects.filter(slug__startswith="settlement-").order_by("slug"))
    times, cpu = [], []
    report = None
    queries = 0
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as context:
            report = settlement_report(programs, AS_OF)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        queries = len(context.captured_queries)
    return times, cpu, queries, report


def n(value: int) -> str:
    """A count with a space as the thousands separator, as written in Norwegian."""
    return f"{value:,}".replace(",", " ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--keep", action="store_true", help="reuse the generated database")
    options = parser.parse_args()
    database = setup_django(options.keep)

    from traineenett.followup.models import Alumnus, ResidenceObservation

    generated = 0.0
    if not Alumnus.objects.filter(program__slug__startswith="settlement-").exists():
        start = time.perf_counter()
        generate(options.seed)
        generated = time.perf_counter() - start
    alumni = Alumnus.objects.filter(program__slug__startswith="settlement-").count()
    observations = ResidenceObservation.objects.filter(
        alumnus__program__slug__startswith="settlement-"
    ).count()
    times, cpu, queries, report = measure(options.repeats)
    median = statistics.median(times)
    total = report.total  # type: ignore[attr-defined]
    three = total.horizon(3)
    from django.db import connection

    lines = [
        "| | |",
        "|---|---|",
        f"| machine | {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()} |",
        f"| database | {connection.vendor}{' (' + database.name + ')' if database else ''} |",
        f"| data | {PROGRAMMES} programmes, {n(alumni)} alumni, {n(observations)} residence observations |",
        f"| generation | {generated:.1f} s{' (reused)' if not generated else ''} |",
        f"| report (as of {AS_OF.isoformat()}) | median {median:.2f} s, min {min(times):.2f} s, max {max(times):.2f} s over {len(times)} runs |",
        f"| CPU time of the process | median {statistics.median(cpu):.2f} s (excludes waiting for a busy machine; with SQLite the database work is in the process) |",
        f"| load average at the end | {os.getloadavg()[0]:.1f} |",
        f"| SQL queries per report | {queries} |",
        f"| total after 3 years | {n(three.resident)} resident of {n(three.known)} known ({n(three.eligible)} eligible) |",
        f"| budget | {BUDGET_SECONDS:.1f} s: {'met' if median <= BUDGET_SECONDS else 'MISSED'} |",
    ]
    table = "\n".join(lines)
    print(table)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "settlement.md").write_text(table + "\n", encoding="utf-8")
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
