"""``traineenett plan-rotation INSTANCE.json [--time-limit SECONDS] [--output PLAN.json]``."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from traineenett.rotation.solver import InstanceError, solve

EXIT_INFEASIBLE = 2


class Command(BaseCommand):
    help = (
        "Plan a rotation: read an instance (JSON), print the plan (JSON). Exit status 0 "
        "for an optimal or feasible plan, 2 for an infeasible or invalid instance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance", help="the instance file (JSON); - reads stdin")
        parser.add_argument(
            "--time-limit", type=float, default=60.0, help="seconds for the solver (default 60)"
        )
        parser.add_argument("--output", help="write the plan to this file instead of stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["instance"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{source}: {error.strerror}", returncode=EXIT_INFEASIBLE) from None
        try:
            instance = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
                returncode=EXIT_INFEASIBLE,
            ) from None
        if options["time_limit"] <= 0:
            raise CommandError("--time-limit: must be positive", returncode=EXIT_INFEASIBLE)
        try:
            plan = solve(instance, time_limit=options["time_limit"])
        except InstanceError as error:
            raise CommandError(
                "invalid instance:\n" + "\n".join(error.messages), returncode=EXIT_INFEASIBLE
            ) from None
        text = json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
        if plan["status"] == "infeasible":
            for conflict in plan["conflicts"]:
                self.stderr.write(conflict)
            sys.exit(EXIT_INFEASIBLE)
