"""Follow-up pages: reports, exports, the benchmark's suppression, observation entry, import."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import World
from tests.factories import ProgramFactory
from tests.factories_followup import AlumnusFactory, ResidenceFactory, alumnus_of, finished_cohort
from tests.helpers import queries_for
from traineenett.followup.models import Alumnus, ResidenceObservation

AS_OF = "2025-01-01"


def populate(
    program, label: str, resident: int, away: int, unknown: int = 0, offered: int = 0
) -> None:  # type: ignore[no-untyped-def]
    """Alumni who ended 2020-08-14: ``resident`` stay in 3403, ``away`` live in Oslo."""
    cohort = finished_cohort(program, label)
    number = 0
    for count, municipality in ((resident, "3403"), (away, "0301"), (unknown, None)):
        for _ in range(count):
            number += 1
            alumnus = AlumnusFactory(
                cohort=cohort,
                person=f"{label}-{number}",
                offered_job=number <= offered,
                program_end=date(2020, 8, 14),
            )
            if municipality:
                for years in range(4):
                    ResidenceFactory(
                        alumnus=alumnus,
                        observed_on=date(2020 + years, 8, 14),
                        municipality_number=municipality,
                    )


@pytest.fixture
def followed(world: World) -> World:
    populate(world.program, "Kull 2018", resident=7, away=5, offered=9)
    populate(world.program, "Kull 2016", resident=3, away=1)
    return world


def test_report_shows_the_2011_table_and_accessible_charts(followed: World) -> None:
    url = reverse("followup:report", args=[followed.program.slug]) + f"?as_of={AS_OF}"
    response = followed.client_for("coordinator").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    # Kull 2018: 7 of 12 resident (58 %); the programme: 10 of 16 (63 %).
    assert "(7 av 12)" in html
    assert "(10 av 16)" in html
    assert "58\u00a0%" in html
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) >= 3
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby" in svg
    assert html.count("<title id=") == len(svgs)
    assert html.count("<desc id=") == len(svgs)
    assert "Kaplan–Meier" in html


def test_cohort_report_compares_with_the_other_cohorts(followed: World) -> None:
    cohort = followed.program.cohorts.get(label="Kull 2016")
    url = reverse("followup:cohort_report", args=[followed.program.slug, cohort.pk])
    html = followed.client_for("board").get(url + f"?as_of={AS_OF}").content.decode()
    assert "(3 av 4)" in html  # this cohort
    assert "(7 av 12)" in html  # the others


def test_analyst_sees_no_cell_under_5_on_the_programme_report(followed: World) -> None:
    url = reverse("followup:report", args=[followed.program.slug]) + f"?as_of={AS_OF}"
    response = followed.client_for("analyst").get(url)
    html = response.content.decode()
    assert "(3 av 4)" not in html  # Kull 2016: 4 alumni, 3 resident
    assert "&lt;5" in html
    # Kull 2018 (7 of 12) is withheld in the same columns: the programme's total is on the
    # benchmark, and total minus Kull 2018 would give Kull 2016.
    assert "(7 av 12)" not in html
    assert "×" in html
    assert "(10 av 16)" in html  # the programme's total, as on the benchmark
    assert_no_small_cells(html)
    # Each step of a Kaplan–Meier curve is one or a few persons: no curve for the analyst.
    assert response.context["page"].survival is None
    assert followed.client_for("board").get(url).context["page"].survival is not None


def test_analyst_cannot_recover_a_small_cohort_from_the_cohort_pages(followed: World) -> None:
    slug = followed.program.slug
    client = followed.client_for("analyst")
    for label in ("Kull 2016", "Kull 2018"):
        cohort = followed.program.cohorts.get(label=label)
        url = reverse("followup:cohort_report", args=[slug, cohort.pk]) + f"?as_of={AS_OF}"
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        for shown in ("(3 av 4)", "(7 av 12)", "(1 av 4)", "(5 av 12)"):
            assert shown not in html, (label, shown)
        assert response.context["page"].origin_table is None
        assert "×" in html
        assert_no_small_cells(html, some_shown=False)


def cells(html: str) -> list[list[str]]:
    """The text of every body row of every table (th and td cells)."""
    rows = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, flags=re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
            rows.append(
                [
                    re.sub(r"<[^>]+>", " ", cell).strip()
                    for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
                ]
            )
    return rows


def assert_no_small_cells(html: str, *, some_shown: bool = True) -> None:
    """Every number of persons shown in a table is at least 5 (percentages aside)."""
    shown = 0
    for row in cells(html):
        for cell in row[1:]:
            text = cell.replace("&lt;5", "").replace("\u00a0", " ")
            text = re.sub(r"\d+(,\d+)?\s*%", "", text)
            for number in re.findall(r"\d+", text):
                shown += 1
                assert int(number) >= 5, f"a cell under 5 is shown: {row}"
    assert shown > 0 or not some_shown  # the check looked at real figures


def test_analyst_never_sees_a_cell_under_5_on_the_benchmark(world: World) -> None:
    other = world.other_program
    populate(world.program, "Kull 2018", resident=7, away=5, offered=9)
    populate(other, "Kull 2018", resident=3, away=6, offered=2)  # 3 resident: suppressed
    third = ProgramFactory(slug="helgeland", name="Trainee Helgeland", catchment=["1820"])
    populate(third, "Kull 2018", resident=0, away=8)
    url = reverse("followup:benchmark", args=[world.program.slug]) + f"?as_of={AS_OF}"
    response = world.client_for("analyst").get(url)
    assert response.status_code == 200
    html = response.content.decode()
    table = cells(html.split("<table>")[1])
    rows = {row[0]: row for row in table if row}
    assert rows["Trainee Innlandet"][3].startswith("58")  # 7 of 12
    assert rows["Trainee Salten"][3].startswith("&lt;5")  # 3 of 9
    assert rows["Trainee Helgeland"][3].startswith("&lt;5")  # 0 of 8
    # The total would reveal the suppressed cells (10 of 29 minus 7 of 12): suppressed too.
    assert rows["Alle programmer"][3].startswith("×")
    assert "(3 av 9)" not in html and "(10 av 29)" not in html
    assert_no_small_cells(html)


def test_the_benchmark_is_for_analysts_only(followed: World) -> None:
    url = reverse("followup:benchmark", args=[followed.program.slug])
    assert followed.client_for("coordinator").get(url).status_code == 403


def test_csv_and_excel_exports(followed: World) -> None:
    client = followed.client_for("coordinator")
    slug = followed.program.slug
    response = client.get(reverse("followup:export_csv", args=[slug]) + f"?as_of={AS_OF}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "label",
        "alumni",
        "offered_job_yes",
        "offered_job_known",
        "offered_job_share",
    ]
    by_label = {row[0]: row for row in rows[1:]}
    assert by_label["Kull 2018"][1:5] == ["12", "9", "12", "0.75"]
    h3 = rows[0].index("h3_resident")
    assert by_label[followed.program.name][h3 : h3 + 4] == ["10", "16", "16", "0.625"]
    response = client.get(reverse("followup:export_xlsx", args=[slug]) + f"?as_of={AS_OF}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[2]
    assert header[0] == "label"
    total = values[-1]
    assert total[0] == followed.program.name
    assert total[header.index("h3_share")] == pytest.approx(0.625)


def test_analyst_exports_are_suppressed(followed: World) -> None:
    response = followed.client_for("analyst").get(
        reverse("followup:export_csv", args=[followed.program.slug]) + f"?as_of={AS_OF}"
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_label = {row[0]: row for row in rows[1:]}
    assert by_label["Kull 2016"][1] == "<5"
    assert by_label["Kull 2018"][1] == "×"  # withheld: the total is public
    assert by_label[followed.program.name][1] == "16"
    for row in rows[1:]:
        for value in row[1:]:
            if value.isdigit():
                assert int(value) >= 5


def test_coordinator_records_a_residence_and_sees_errors(world: World) -> None:
    alumnus = alumnus_of(world)
    client = world.client_for("coordinator")
    url = reverse("followup:residence_add", args=[world.program.slug, alumnus.pk])
    response = client.post(
        url, {"residence-observed_on": "2021-03-01", "residence-municipality_number": "0403"}
    )
    assert response.status_code == 400
    assert "0403" in response.content.decode()
    assert not ResidenceObservation.objects.exists()
    response = client.post(
        url, {"residence-observed_on": "2019-03-01", "residence-municipality_number": "0403"}
    )
    assert response.status_code == 302
    assert alumnus.residences.get().municipality_number == "0403"
    detail = client.get(reverse("followup:alumnus", args=[world.program.slug, alumnus.pk]))
    assert "0403" in detail.content.decode()


def test_coordinator_records_an_employment(world: World) -> None:
    alumnus = alumnus_of(world)
    url = reverse("followup:employment_add", args=[world.program.slug, alumnus.pk])
    response = world.client_for("coordinator").post(
        url,
        {
            "employment-observed_on": "2022-01-01",
            "employment-employer_name": "Mjøskraft AS",
            "employment-employer_is_member": "true",
            "employment-relevant_to_education": "",
        },
    )
    assert response.status_code == 302
    employment = alumnus.employments.get()
    assert (employment.employer_is_member, employment.relevant_to_education) == (True, None)


def test_alumni_sync_button(world: World) -> None:
    from tests.factories import CohortFactory, TraineeFactory

    cohort = CohortFactory(
        program=world.program, starts_on=date(2019, 8, 15), ends_on=date(2021, 8, 14)
    )
    TraineeFactory(cohort=cohort)
    client = world.client_for("coordinator")
    client.post(reverse("followup:alumni_sync", args=[world.program.slug]))
    assert Alumnus.objects.filter(program=world.program, cohort=cohort).count() == 1


def test_alumni_list_queries_do_not_grow(followed: World) -> None:
    client = followed.client_for("coordinator")
    url = reverse("followup:alumni", args=[followed.program.slug])
    few = queries_for(client, url)
    populate(followed.program, "Kull 2014", resident=6, away=4)
    assert queries_for(client, url) == few


def test_import_upload_page(world: World) -> None:
    client = world.client_for("coordinator")
    url = reverse("followup:import", args=[world.program.slug])
    header = "program,person,cohort,program_end,offered_job,observed_on,municipality\n"
    bad = (
        header
        + f"{world.program.slug},X1,Kull 2012,2014-08-14,true,2014-08-14,0403\n"
        + f"{world.other_program.slug},X2,Kull 2012,2014-08-14,true,2014-08-14,0403\n"
        + f"{world.program.slug},X3,Kull 2012,2014-08-14,maybe,2014-08-14,0403\n"
    )
    response = client.post(url, {"file": SimpleUploadedFile("h.csv", bad.encode(), "text/csv")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Linje 3:" in html and "Linje 4:" in html
    assert not Alumnus.objects.exists()
    good = header + f"{world.program.slug},X1,Kull 2012,2014-08-14,true,2014-08-14,0403\n"
    response = client.post(url, {"file": SimpleUploadedFile("h.csv", good.encode(), "text/csv")})
    assert response.status_code == 302
    assert Alumnus.objects.get(person="X1").program == world.program


def test_report_page_queries_do_not_grow(followed: World) -> None:
    client = followed.client_for("coordinator")
    url = reverse("followup:report", args=[followed.program.slug]) + f"?as_of={AS_OF}"
    few = queries_for(client, url)
    populate(followed.program, "Kull 2014", resident=6, away=4)
    assert queries_for(client, url) == few


def test_a_bad_as_of_date_is_named_and_today_is_shown(followed: World) -> None:
    url = reverse("followup:report", args=[followed.program.slug]) + "?as_of=2025-02-30"
    response = followed.client_for("coordinator").get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].as_of == timezone.localdate()
    assert 'aria-describedby="id_as_of_error"' in html
    assert "Viser tall per" in html
