"""``traineenett settlement-report``: how many alumni stay in the region (JSON or a table)."""

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from traineenett.core.models import Program
from traineenett.followup.selectors import settlement_report
from traineenett.followup.settlement import SettlementFigures


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def table_rows(label: str, figures: SettlementFigures) -> list[str]:
    offered = figures.offered_job
    cells = [
        label,
        str(figures.alumni),
        f"{_share(offered.share)} ({offered.yes}/{offered.known})",
        *(f"{_share(h.share)} ({h.resident}/{h.known}/{h.eligible})" for h in figures.horizons),
    ]
    return cells


class Command(BaseCommand):
    help = (
        "Settlement figures per programme and in total: alumni, offered a job, and residents "
        "in the catchment at the end and after 1, 2 and 3 years. Exit status 0; 1 for an "
        "unknown programme; 2 for a bad option."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", metavar="SLUG", help="one programme only")
        parser.add_argument(
            "--as-of", metavar="YYYY-MM-DD", dest="as_of", help="the as-of date (default today)"
        )
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                as_of = date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(
                    f"--as-of must be a date (YYYY-MM-DD), not {options['as_of']!r}", returncode=2
                ) from None
        programs = Program.objects.order_by("slug")
        if options["program"]:
            programs = programs.filter(slug=options["program"])
            if not programs:
                raise CommandError(f"Unknown programme {options['program']!r}.")
        report = settlement_report(list(programs), as_of)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
            return
        header = [
            "programme",
            "alumni",
            "offered a job",
            "resident at the end",
            "after 1 year",
            "after 2 years",
            "after 3 years",
        ]
        rows = [table_rows(part.program.slug, part.figures) for part in report.programs]
        rows.append(table_rows("total", report.total))
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        self.stdout.write(f"As of {as_of.isoformat()}; share (resident/known/eligible)")
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
