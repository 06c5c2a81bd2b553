from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.core.models import Program
from traineenett.surveys.services import waves_sync


class Command(BaseCommand):
    help = (
        "Create the missing alumni-survey waves of every cohort (idempotent; meant for a "
        "daily cron). --program SLUG limits it to one programme."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", metavar="SLUG", help="only this programme")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.order_by("slug")
        if options["program"]:
            programs = programs.filter(slug=options["program"])
            if not programs.exists():
                raise CommandError(f"unknown programme: {options['program']}")
        total = 0
        for program in programs:
            created = waves_sync(program)
            total += created
            if created:
                self.stdout.write(f"{program.slug}: {created} wave(s) created")
        self.stdout.write(f"{total} survey wave(s) created.")
