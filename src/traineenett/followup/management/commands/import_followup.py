"""``traineenett import-followup FILE.csv``: follow-up history, all or nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.followup.services import ImportRejected, followup_import


class Command(BaseCommand):
    help = (
        "Import follow-up history: UTF-8 CSV with the header "
        "program,person,cohort,program_end,offered_job,observed_on,municipality, one row per "
        "residence observation. All or nothing; importing the same file twice changes nothing. "
        "Exit status 0 when imported, 1 when the file is refused (every error is listed)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            result = followup_import(data=data)
        except ImportRejected as rejected:
            for line, message in rejected.errors:
                self.stderr.write(f"{path}:{line}: {message}")
            raise CommandError(
                f"{path}: {len(rejected.errors)} error(s); nothing was imported."
            ) from None
        self.stdout.write(
            f"{path}: {result.rows} row(s) read; {result.alumni_created} new alumni, "
            f"{result.alumni_updated} updated, {result.cohorts_created} new cohort(s), "
            f"{result.observations_created} new residence observation(s)."
        )
