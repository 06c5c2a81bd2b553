"""``traineenett competence-reminders``: for cron, e.g. every morning.

E-mails reminders of reflections due soon and absence warnings that are due, each only
once, for every programme (or the one given with ``--program SLUG``). Exit status 0;
1 for an unknown programme.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from traineenett.competence import services
from traineenett.core.models import Program


class Command(BaseCommand):
    help = "Send reflection reminders and absence warnings of the competence programme."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--program", help="only this programme (its short name)")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.all()
        if options["program"]:
            programs = programs.filter(slug=options["program"])
            if not programs.exists():
                raise CommandError(f"Unknown programme: {options['program']}")
        for program in programs:
            reminders = services.reflection_reminders_send(program=program)
            warnings = services.absence_warnings_send(program=program)
            self.stdout.write(
                f"{program.slug}: {reminders} reflection reminder(s), "
                f"{warnings} absence warning(s) sent"
            )
