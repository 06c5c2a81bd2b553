"""The ``traineenett`` console command: every manage.py command plus our own."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traineenett.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    # Subcommands with a space in the contract ("program create") map onto one command.
    if len(argv) > 2 and argv[1] == "program":
        argv = [argv[0], f"program_{argv[2]}", *argv[3:]]
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        # "traineenett help plan-rotation" names the command the same way.
        if argv[1] == "help" and len(argv) > 2 and not argv[2].startswith("-"):
            argv[2] = argv[2].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
