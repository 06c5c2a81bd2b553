from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from traineenett.recruitment.services import applications_purge


class Command(BaseCommand):
    help = (
        "Anonymise unsuccessful applications whose retention period has ended (their "
        "uploads are deleted). Run daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be anonymised."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = applications_purge(dry_run=options["dry_run"])
        verb = "would be anonymised" if options["dry_run"] else "anonymised"
        self.stdout.write(f"{count} application(s) {verb}.")
