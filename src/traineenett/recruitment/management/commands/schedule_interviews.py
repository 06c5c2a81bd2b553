"""``traineenett schedule-interviews INSTANCE.json [--time-limit SECONDS] [--output FILE]``."""

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.recruitment.scheduler import InstanceError, solve

BAD_INPUT = 2  # the exit status for an instance that cannot be read or breaks the contract


def positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return seconds


class Command(BaseCommand):
    help = (
        "Place interview requests in time slots (recruitment days) with OR-Tools CP-SAT. "
        "Reads an instance in JSON, writes the schedule in JSON to stdout or --output. "
        "Exit 0 with a schedule; 2 when the file cannot be read or is not a valid instance."
    )
    requires_system_checks: list[str] = []  # a pure computation: no database, no checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", type=Path, help="the instance, a JSON file")
        parser.add_argument(
            "--time-limit",
            type=positive_seconds,
            default=10.0,
            metavar="SECONDS",
            help="stop searching after this many seconds (default 10); the result is then "
            '"feasible" unless the schedule was already proven optimal',
        )
        parser.add_argument(
            "--output", type=Path, metavar="SCHEDULE.json", help="write the schedule here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["instance"]
        try:
            instance = json.loads(path.read_bytes())
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}", returncode=BAD_INPUT) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{path}: not valid JSON: {error}", returncode=BAD_INPUT) from None
        try:
            result = solve(instance, time_limit=options["time_limit"])
        except InstanceError as error:
            lines = "\n".join(f"  {message}" for message in error.messages)
            raise CommandError(
                f"{path}: not a valid instance ({len(error.messages)} problem(s)):\n{lines}",
                returncode=BAD_INPUT,
            ) from None
        text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
        output: Path | None = options["output"]
        if output is None:
            self.stdout.write(text, ending="")
            return
        write_whole(output, text)
        self.stdout.write(
            f"{output}: {result['placed']} of {result['placed'] + len(result['unplaced'])} "
            f"requests placed ({result['status']}, {result['seconds']} s)."
        )


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file, so no half-written file remains."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}", returncode=BAD_INPUT) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a schedule is an ordinary file
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CommandError(f"{path}: {error.strerror}", returncode=BAD_INPUT) from None
