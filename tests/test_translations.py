"""The message catalogues: nb is complete, the committed .mo files are current, pages translate."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "src" / "traineenett" / "locale"
NB_PO = LOCALE_DIR / "nb" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0 +-]*\d*(?:\.\d+)?[sdifr%]")


def load_compile_script() -> ModuleType:
    path = ROOT / "scripts" / "compile_translations.py"
    spec = importlib.util.spec_from_file_location("compile_translations", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nb_catalogues() -> list[Path]:
    """The project catalogue and every app's own (apps with a ``locale`` folder)."""
    return [NB_PO, *sorted(ROOT.glob("src/traineenett/*/locale/nb/LC_MESSAGES/django.po"))]


def nb_entries() -> list[polib.POEntry]:
    return [
        entry for path in nb_catalogues() for entry in polib.pofile(str(path)) if not entry.obsolete
    ]


def test_both_catalogues_exist() -> None:
    for language in ("nb", "en"):
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").is_file()
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").is_file()


def test_every_nb_entry_is_translated_and_not_fuzzy() -> None:
    entries = nb_entries()
    assert len(entries) > 100
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_nb_translations_keep_the_placeholders() -> None:
    wrong = []
    for entry in nb_entries():
        if "python-format" not in entry.flags:
            continue
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        wrong += [text for text in translations if sorted(PLACEHOLDER.findall(text)) != wanted]
    assert wrong == []


def test_committed_mo_files_match_the_po_files() -> None:
    assert load_compile_script().check() == []


def test_compiling_is_deterministic() -> None:
    script = load_compile_script()
    assert script.compile_po(NB_PO) == script.compile_po(NB_PO)


def test_the_runtime_uses_every_nb_translation() -> None:
    with translation.override("nb"):
        for entry in nb_entries():
            if entry.msgid_plural:
                for count, form in ((1, 0), (2, 1)):
                    got = translation.ngettext(entry.msgid, entry.msgid_plural, count)
                    assert got == entry.msgstr_plural[form]
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr


def test_dashboard_summary_in_norwegian() -> None:
    singular = "%(trainees)s trainees in %(cohorts)s cohort"
    plural = "%(trainees)s trainees in %(cohorts)s cohorts"
    with translation.override("nb"):
        text = translation.ngettext(singular, plural, 12) % {"trainees": 92, "cohorts": 12}
    assert text == "92 traineer fordelt på 12 kull"


@pytest.mark.django_db
def test_login_page_is_norwegian_by_default() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Logg inn" in html
    # Only our catalogue has these (Django's own nb catalogues translate "Log in" too).
    assert "Glemt passordet?" in html
    assert "Hopp til hovedinnholdet" in html
    assert "Forgot your password?" not in html


@pytest.mark.django_db
def test_login_page_is_english_with_the_language_cookie() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Forgot your password?" in html
    assert "Skip to main content" in html
    assert "Logg inn" not in html
    assert "Glemt passordet?" not in html
