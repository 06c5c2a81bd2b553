import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Migrate the database, load the demo data and serve on 127.0.0.1 (default port 8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="prepare only, do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        if "TRAINEENETT_BASE_URL" not in os.environ:
            # Links printed by the demo (the survey link) point at the port it serves on.
            settings.SITE_URL = f"http://127.0.0.1:{options['port']}"
        settings_dir = settings.VAR_DIR
        settings_dir.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=self.stdout)
        if options["no_serve"]:
            return
        from waitress import serve

        from traineenett.wsgi import application

        port = options["port"]
        self.stdout.write(f"\nTraineenett demo: http://127.0.0.1:{port}/  (Ctrl+C to stop)\n")
        self.stdout.flush()
        # The demo serves on the loopback interface only: its log-ins share one password.
        serve(application, host="127.0.0.1", port=port, threads=8, _quiet=True)
