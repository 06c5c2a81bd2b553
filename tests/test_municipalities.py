"""The municipality register, the change history and KLASS change tables."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from traineenett.core.models import County, Municipality, MunicipalityChange
from traineenett.core.municipalities import (
    Change,
    ChangeHistory,
    KlassFormatError,
    Status,
    parse_klass_changes,
)
from traineenett.core.selectors import municipality_resolve

HEADER = "oldCode,oldName,newCode,newName,changeOccurred\n"


# ------------------------------------------------------------------- pure resolution

SMALL = ChangeHistory(
    current_codes={"3403", "3236", "1508", "1580", "0301"},
    changes=[
        Change(date(2020, 1, 1), "0403", "3403"),
        Change(date(2020, 1, 1), "0532", "3053"),
        Change(date(2024, 1, 1), "3053", "3236"),
        Change(date(2024, 1, 1), "1507", "1508"),
        Change(date(2024, 1, 1), "1507", "1580"),
    ],
)


@pytest.mark.parametrize(
    ("code", "reported_on", "as_of", "status", "codes"),
    [
        ("0301", date(2010, 5, 1), None, Status.CURRENT, ("0301",)),
        ("0403", date(2019, 6, 1), None, Status.CURRENT, ("3403",)),
        # Two steps: Jevnaker went to Viken in 2020 and to Akershus in 2024.
        ("0532", date(2019, 6, 1), None, Status.CURRENT, ("3236",)),
        ("0532", date(2019, 6, 1), date(2023, 6, 1), Status.CURRENT, ("3053",)),
        ("3053", date(2021, 3, 1), None, Status.CURRENT, ("3236",)),
        # A stale number reported after it was replaced follows the change.
        ("0403", date(2023, 2, 1), None, Status.CURRENT, ("3403",)),
        ("1507", date(2022, 1, 1), None, Status.AMBIGUOUS, ("1508", "1580")),
        ("9999", date(2022, 1, 1), None, Status.UNKNOWN, ()),
    ],
)
def test_resolve(
    code: str, reported_on: date, as_of: date | None, status: Status, codes: tuple[str, ...]
) -> None:
    resolution = SMALL.resolve(code, reported_on, as_of)
    assert resolution.status is status
    assert resolution.codes == codes


# --------------------------------------------------------------------- KLASS parsing


def test_parse_semicolon_latin1_quoted_with_extra_columns() -> None:
    text = (
        "oldCode;oldName;oldShortName;newCode;newName;newShortName;changeOccurred\n"
        '"0412";"Ringsaker";"";"3411";"Ringsaker";"";"2020-01-01"\n'
        "0437;Tynset;;3427;Tynset;;2020-01-01\n"
        "0517;Sel;;3437;Sel;;2020-01-01\n"
        "0528;Østre Toten;;3442;Østre Toten;;2020-01-01\n"
    )
    changes = parse_klass_changes(text.encode("iso-8859-1"))
    assert [c.old_code for c in changes] == ["0412", "0437", "0517", "0528"]
    assert changes[3].new_name == "Østre Toten"
    assert changes[0].changed_on == date(2020, 1, 1)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("", 1, "empty"),
        ("oldCode,newCode\n0403,3403\n", 1, "missing column"),
        (
            HEADER + "0403,Hamar,3403,Hamar,2020-01-01\n0532,Jevnaker,30x3,Jevnaker,2020-01-01\n",
            3,
            "newCode",
        ),
        (HEADER + "0403,Hamar,3403,Hamar,1.1.2020\n", 2, "ISO date"),
        (HEADER + "0403,Hamar,3403\n", 2, "columns"),
    ],
)
def test_parse_rejects_malformed_tables_with_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(KlassFormatError) as error:
        parse_klass_changes(text.encode())
    assert error.value.line == line
    assert fragment in str(error.value)


code = st.from_regex(r"\A[0-9]{4}\Z")
# Names as in Statistics Norway's tables: Norwegian letters, digits, punctuation. A Latin-1
# file is told from UTF-8 by not decoding as UTF-8; text whose Latin-1 bytes happen to be
# valid UTF-8 (such as "Â¡") cannot be told apart by anyone, so it is not generated.
name = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 -'.,;\"",
    max_size=20,
)
change = st.builds(
    Change,
    changed_on=st.dates(min_value=date(1838, 1, 1), max_value=date(2100, 1, 1)),
    old_code=code,
    new_code=code,
    old_name=name.map(str.strip),
    new_name=name.map(str.strip),
)


@given(
    changes=st.lists(change, max_size=20),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "iso-8859-1"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_parse_round_trips_any_table(
    changes: list[Change], delimiter: str, encoding: str, quoting: int
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting)
    writer.writerow(["oldCode", "oldName", "newCode", "newName", "changeOccurred"])
    for c in changes:
        writer.writerow([c.old_code, c.old_name, c.new_code, c.new_name, c.changed_on.isoformat()])
    assert parse_klass_changes(buffer.getvalue().encode(encoding)) == changes


# ------------------------------------------------------------- the shipped register


@pytest.mark.django_db
def test_register_has_every_current_municipality_and_county() -> None:
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert Municipality.objects.filter(county_id="34").count() == 46
    hamar = Municipality.objects.get(number="3403")
    assert hamar.name == "Hamar"
    assert 60 < hamar.latitude < 62 and 10 < hamar.longitude < 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "reported_on", "expected"),
    [
        ("0403", date(2019, 1, 1), "3403"),  # Hamar
        ("0412", date(2015, 1, 1), "3411"),  # Ringsaker
        ("0501", date(2015, 1, 1), "3405"),  # Lillehammer
        ("0532", date(2015, 1, 1), "3236"),  # Jevnaker: Oppland → Viken → Akershus
        ("0533", date(2015, 1, 1), "3234"),  # Lunner
        ("3001", date(2021, 1, 1), "3101"),  # Halden: Viken → Østfold
        ("0301", date(2001, 1, 1), "0301"),  # Oslo, unchanged
    ],
)
def test_shipped_history_maps_old_numbers(old: str, reported_on: date, expected: str) -> None:
    resolution = municipality_resolve(old, reported_on)
    assert resolution.status is Status.CURRENT
    assert resolution.code == expected


@pytest.mark.django_db
def test_every_number_of_2019_maps_to_a_current_municipality() -> None:
    current = set(Municipality.objects.values_list("number", flat=True))
    for old in MunicipalityChange.objects.filter(changed_on=date(2020, 1, 1)).values_list(
        "old_code", flat=True
    ):
        resolution = municipality_resolve(old, date(2019, 12, 31))
        assert resolution.status in (Status.CURRENT, Status.AMBIGUOUS), old
        assert set(resolution.codes) <= current, old


# --------------------------------------------------------------------- the command


@pytest.mark.django_db
def test_import_command_adds_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "changes.csv"
    path.write_text(HEADER + "3403,Hamar,3499,Nye Hamar,2031-01-01\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_municipality_changes", str(path), stdout=out)
    assert "1 new change" in out.getvalue()
    assert municipality_resolve("0403", date(2019, 1, 1)).code == "3499"
    # Importing the same table again adds nothing.
    call_command("import_municipality_changes", str(path), stdout=out)
    assert MunicipalityChange.objects.filter(new_code="3499").count() == 1


@pytest.mark.django_db
def test_import_command_rejects_a_malformed_table_whole(tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = MunicipalityChange.objects.count()
    path = tmp_path / "changes.csv"
    path.write_text(
        HEADER + "3403,Hamar,3499,Nye Hamar,2031-01-01\n3405,Lillehammer,ABCD,X,2031-01-01\n"
    )
    with pytest.raises(CommandError, match="line 3"):
        call_command("import_municipality_changes", str(path))
    assert MunicipalityChange.objects.count() == before
