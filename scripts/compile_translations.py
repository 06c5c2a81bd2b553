#!/usr/bin/env python3
"""Compile Traineenett's message catalogues (``django.po`` → ``django.mo``) with polib.

    python scripts/compile_translations.py          # write every locale's django.mo
    python scripts/compile_translations.py --check  # write nothing; exit 1 on a problem

The ``.mo`` files are committed and shipped in the package, so this needs no GNU gettext.
The output is deterministic: polib writes the entries sorted, and the header fields that
only record when ``makemessages`` ran (``POT-Creation-Date``, ``PO-Revision-Date``) are
left out of the ``.mo``, so re-extracting without changing a translation changes no ``.mo``.

``--check`` compiles in memory and fails if a committed ``.mo`` differs from what its
``.po`` gives (someone forgot to compile) or if a catalogue that must be complete (nb,
the default UI language) has an untranslated or fuzzy entry. English is the source
language: its catalogue only has to exist, with empty msgstrs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "src" / "traineenett"
# The project catalogue (core, members, cohorts) and one per app that has its own
# ``locale`` folder (makemessages puts an app's strings there).
CATALOGUE_GLOBS = ("locale/*/LC_MESSAGES/django", "*/locale/*/LC_MESSAGES/django")
COMPLETE_LANGUAGES = ("nb",)
VOLATILE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")


def po_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(path for pattern in CATALOGUE_GLOBS for path in package_dir.glob(f"{pattern}.po"))


def mo_files(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    return sorted(path for pattern in CATALOGUE_GLOBS for path in package_dir.glob(f"{pattern}.mo"))


def compile_po(po_path: Path) -> bytes:
    """The ``.mo`` bytes for ``po_path``; the same ``.po`` always gives the same bytes."""
    catalogue = polib.pofile(str(po_path))
    for name in VOLATILE_HEADERS:
        catalogue.metadata.pop(name, None)
    data: bytes = catalogue.to_binary()
    return data


def incomplete_entries(po_path: Path) -> list[str]:
    """Untranslated or fuzzy entries of ``po_path``, one readable line each."""
    problems = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete or entry.translated():  # translated() is False when fuzzy
            continue
        state = "fuzzy" if entry.fuzzy else "untranslated"
        where = f" ({entry.occurrences[0][0]})" if entry.occurrences else ""
        problems.append(f"{state}: {entry.msgid!r}{where}")
    return problems


def check(package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every problem with the catalogues under ``package_dir``; empty when all is well."""
    problems: list[str] = []
    fix = "run scripts/compile_translations.py"
    sources = po_files(package_dir)
    if not sources:
        problems.append(f"no catalogues under {package_dir}")
    for po_path in sources:
        mo_path = po_path.with_suffix(".mo")
        name = po_path.relative_to(package_dir)
        try:
            polib.pofile(str(po_path))
        except OSError as error:  # polib reports a syntax error as an OSError
            problems.append(f"{name}: cannot be read: {error}")
            continue
        if not mo_path.exists():
            problems.append(f"{name}: no django.mo; {fix}")
        elif mo_path.read_bytes() != compile_po(po_path):
            problems.append(f"{name}: django.mo is out of date; {fix}")
        if po_path.parent.parent.name in COMPLETE_LANGUAGES:
            problems.extend(f"{name}: {line}" for line in incomplete_entries(po_path))
    for mo_path in mo_files(package_dir):
        if not mo_path.with_suffix(".po").exists():
            problems.append(f"{mo_path.relative_to(package_dir)}: no django.po next to it")
    return problems


def compile_all(package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """Write every ``django.mo`` that differs from its ``.po``; return those written."""
    written = []
    for po_path in po_files(package_dir):
        mo_path = po_path.with_suffix(".mo")
        data = compile_po(po_path)
        if not mo_path.exists() or mo_path.read_bytes() != data:
            mo_path.write_bytes(data)
            written.append(mo_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile the django.po catalogues with polib.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a .mo is stale or the nb catalogue is incomplete",
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print(f"Translation check failed ({len(problems)} problem(s)).", file=sys.stderr)
            return 1
        print("Translations OK: every django.mo matches its django.po.")
        return 0
    for mo_path in compile_all():
        print(f"wrote {mo_path.relative_to(ROOT)}")
    for po_path in po_files():
        if po_path.parent.parent.name in COMPLETE_LANGUAGES:
            for line in incomplete_entries(po_path):
                print(f"warning: {po_path.relative_to(ROOT)}: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
