from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.core.services import program_create


class Command(BaseCommand):
    help = "Create a programme: traineenett program create SLUG --name NAME --catchment CODES"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--catchment",
            required=True,
            help="comma list of 4-digit municipality numbers and/or 2-digit county numbers",
        )
        parser.add_argument("--region", default="", help="region name shown on the dashboard")
        parser.add_argument("--founded", type=int, default=None, help="year founded")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            program = program_create(
                slug=options["slug"],
                name=options["name"],
                catchment_codes=options["catchment"],
                region_name=options["region"],
                founded_year=options["founded"],
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(
                    f"{field}: {' '.join(messages)}"
                    for field, messages in error.message_dict.items()
                )
            ) from None
        self.stdout.write(
            f"Created programme {program.slug} ({program.name}) with "
            f"{program.catchment.count()} municipalities in its catchment."
        )
