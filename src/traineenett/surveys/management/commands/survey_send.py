from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.surveys.services import surveys_send


class Command(BaseCommand):
    help = (
        "Create missing survey waves, e-mail the invitations of every open wave and the "
        "reminders that are due (meant for a daily cron; running it twice a day sends "
        "nothing twice)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="the site's address, for the links in the e-mails "
            "(default: the SITE_URL setting: $TRAINEENETT_BASE_URL or http://127.0.0.1:8000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base_url"].rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError(f"--base-url must start with http:// or https://, not {base!r}")
        result = surveys_send(link_builder=lambda path: base + path)
        self.stdout.write(
            f"{result.waves_created} wave(s) created, {result.invited} invitation(s) and "
            f"{result.reminded} reminder(s) sent."
        )
