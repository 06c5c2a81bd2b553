from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from traineenett.core.demo import PASSWORD, seed_demo
from traineenett.core.models import Program


class Command(BaseCommand):
    help = "Load the deterministic demo data (Trainee Innlandet and Trainee Helgeland)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete the demo programmes first")

    def handle(self, *args: Any, **options: Any) -> None:
        demo = Program.objects.filter(slug__in=["trainee-innlandet", "trainee-helgeland"])
        links = []
        if demo.exists() and not options["reset"]:
            self.stdout.write("Demo data is already loaded (use --reset to load it again).")
        else:
            if options["reset"]:
                from traineenett.cohorts.models import Trainee

                Trainee.objects.filter(program__in=demo).delete()
                demo.delete()
            # Apps may return personal links (no log-in) beside the log-ins, e.g. a survey.
            links = [login for login in seed_demo() if "://" in login.email]
        self.print_logins()
        for link in links:
            self.stdout.write(f"  {f'{link.program}: {link.role}':<60} {link.email}")

    def print_logins(self) -> None:
        from traineenett.core.models import Role, User

        self.stdout.write(f"\nDemo log-ins (password for all: {PASSWORD}):")
        for user in User.objects.filter(is_superuser=True, email__endswith=".demo"):
            self.stdout.write(f"  {'platform admin':<60} {user.email}")
        roles = (
            Role.objects.filter(program__slug__in=["trainee-innlandet", "trainee-helgeland"])
            .select_related("program", "user", "organisation")
            .order_by("program__slug", "kind", "user__email")
        )
        for role in roles:
            label = f"{role.program.slug}: {role.get_kind_display()}"
            if role.organisation:
                label += f" ({role.organisation.name})"
            self.stdout.write(f"  {label:<60} {role.user.email}")
