"""`traineenett program create`, the console command and programme validation."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import World
from traineenett.core.models import AuditEntry, Program

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.django_db
def test_program_create_expands_counties_and_municipalities() -> None:
    out = io.StringIO()
    call_command(
        "program_create", "innlandet", name="Trainee Innlandet", catchment="34,0301", stdout=out
    )
    program = Program.objects.get(slug="innlandet")
    numbers = set(program.catchment.values_list("number", flat=True))
    assert len(numbers) == 47  # the 46 municipalities of Innlandet and Oslo
    assert {"3403", "3405", "0301"} <= numbers
    assert (program.rotation_period_count, program.rotation_period_months) == (3, 8)
    assert program.competence_days_required == 20
    assert program.min_higher_education_years == 4
    assert "47 municipalities" in out.getvalue()
    assert AuditEntry.objects.filter(action="core.program.created", program=program).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("slug", "catchment", "message"),
    [
        ("bad", "34,9999,77", "9999, 77"),
        ("admin", "34", "reserved"),
        ("bad", "", "at least one"),
    ],
)
def test_program_create_rejects_bad_input(slug: str, catchment: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("program_create", slug, name="X", catchment=catchment)
    assert not Program.objects.filter(slug=slug).exists()


@pytest.mark.django_db
def test_program_create_rejects_a_duplicate_slug() -> None:
    call_command(
        "program_create", "salten", name="Trainee Salten", catchment="1804", stdout=io.StringIO()
    )
    with pytest.raises(CommandError, match="already exists"):
        call_command("program_create", "salten", name="Another", catchment="1804")
    assert Program.objects.get(slug="salten").name == "Trainee Salten"


def test_console_command_maps_the_contract_onto_django_commands() -> None:
    """`traineenett program create --help` reaches our command through the console script."""
    result = subprocess.run(
        [sys.executable, "-m", "traineenett.cli", "program", "create", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--catchment" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "traineenett.cli", "import-municipality-changes", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "KLASS" in result.stdout


def test_coordinator_changes_programme_settings(world: World) -> None:
    client = world.client_for("coordinator")
    url = reverse("core:settings", args=[world.program.slug])
    data = {
        "name": "Trainee Innlandet",
        "region_name": "Innlandet",
        "founded_year": "1998",
        "rotation_period_count": "4",
        "rotation_period_months": "6",
        "competence_days_required": "20",
        "min_higher_education_years": "4",
        "max_years_since_graduation": "2",
        "employment_model": "shared",
    }
    response = client.post(url, {**data, "rotation_period_count": "0"})
    assert "rotation_period_count" in response.context["form"].errors
    world.program.refresh_from_db()
    assert world.program.rotation_period_count == 3
    assert client.post(url, data).status_code == 302
    world.program.refresh_from_db()
    assert (world.program.rotation_period_count, world.program.rotation_period_months) == (4, 6)
    assert world.program.employment_model == "shared"
    entry = AuditEntry.objects.get(action="core.program.updated")
    assert entry.changes["rotation_period_count"] == [3, 4]


def test_help_names_a_command_with_hyphens_as_the_contract_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from traineenett.cli import main

    main(["traineenett", "help", "plan-rotation"])
    assert "--time-limit" in capsys.readouterr().out
