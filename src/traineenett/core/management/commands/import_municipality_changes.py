from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.core.municipalities import KlassFormatError
from traineenett.core.services import municipality_changes_import


class Command(BaseCommand):
    help = (
        "Add a Statistics Norway KLASS change table (classification 131) to the municipality "
        "history. Columns oldCode,oldName,newCode,newName,changeOccurred; all or nothing."
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
            added = municipality_changes_import(data=data)
        except KlassFormatError as error:
            raise CommandError(f"{path}: {error}; nothing was imported") from None
        self.stdout.write(f"{path}: {added} new change(s) added to the municipality history.")
