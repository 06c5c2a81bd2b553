"""The competence programme through its services and pages."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import World
from tests.factories import (
    CohortFactory,
    PlacementFactory,
    RoleFactory,
    TraineeFactory,
    UserFactory,
)
from tests.factories_competence import competence, plan_session
from tests.helpers import queries_for
from traineenett.competence import checkin, services
from traineenett.competence.models import (
    AbsenceWarningSent,
    Attendance,
    AttendanceStatus,
    GroupMember,
    GroupRound,
    Module,
    Reflection,
    Session,
)
from traineenett.core.models import AuditEntry, RoleKind

OSLO = ZoneInfo("Europe/Oslo")


def oslo(*args: int) -> datetime:
    return datetime(*args, tzinfo=OSLO)  # type: ignore[misc]


def code_at(session: Session, moment: datetime) -> str:
    seconds = services.competence_settings(session.program).checkin_code_seconds
    return checkin.code_for(settings.SECRET_KEY, session.pk, checkin.window_of(moment, seconds))


# ------------------------------------------------------------------------- sessions


def session_post(world: World, **overrides: str) -> dict[str, str]:
    module = services.modules_ensure_defaults(program=world.program)[0]
    data = {
        "title": "Ledelse 1",
        "module": str(module.pk),
        "cohorts": str(world.cohort.pk),
        "place": "Hamar",
        "description": "",
        "date_1": "2026-03-10",
        "start_1": "09:00",
        "end_1": "16:00",
        "date_2": "2026-03-11",
        "start_2": "09:00",
        "end_2": "12:00",
    }
    data.update(overrides)
    return data


def test_default_modules_are_created_once(world: World) -> None:
    names = [m.name for m in services.modules_ensure_defaults(program=world.program)]
    assert len(names) == 3
    services.modules_ensure_defaults(program=world.program)
    assert Module.objects.filter(program=world.program).count() == 3


def test_coordinator_plans_a_two_day_session_with_a_half_day(
    world: World, coordinator_client
) -> None:
    url = reverse("competence:session_create", args=[world.program.slug])
    response = coordinator_client.post(url, session_post(world))
    session = Session.objects.get(title="Ledelse 1")
    assert response.status_code == 302
    assert session.days == Decimal("1.5")
    assert [d.value for d in session.session_days.all()] == [1, Decimal("0.5")]
    assert timezone.localtime(session.starts_at) == oslo(2026, 3, 10, 9)
    assert timezone.localtime(session.ends_at) == oslo(2026, 3, 11, 12)
    assert AuditEntry.objects.filter(action="competence.session.created").exists()


def test_a_day_ending_before_it_starts_is_refused(world: World, coordinator_client) -> None:
    url = reverse("competence:session_create", args=[world.program.slug])
    response = coordinator_client.post(url, session_post(world, start_2="13:00", end_2="11:00"))
    assert response.status_code == 200
    assert "end_2" in response.context["form"].errors
    assert not Session.objects.exists()


def test_the_service_refuses_an_end_before_the_start_too(world: World, english: None) -> None:
    module = services.modules_ensure_defaults(program=world.program)[0]
    with pytest.raises(ValidationError) as error:
        services.session_create(
            program=world.program,
            module=module,
            title="x",
            cohorts=[world.cohort],
            days=[(oslo(2026, 3, 10, 12), oslo(2026, 3, 10, 9))],
        )
    assert "end_1" in error.value.message_dict
    assert not Session.objects.exists()


def test_overlapping_sessions_for_a_cohort_are_refused(world: World, coordinator_client) -> None:
    url = reverse("competence:session_create", args=[world.program.slug])
    coordinator_client.post(url, session_post(world))
    second_cohort = CohortFactory(program=world.program, label="Kull 2026")
    response = coordinator_client.post(
        url,
        session_post(
            world,
            title="Endring",
            cohorts=[str(world.cohort.pk), str(second_cohort.pk)],
            date_1="2026-03-11",
            start_1="10:00",
            end_1="15:00",
            date_2="",
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["date_1"]
    assert "Ledelse 1" in errors[0] and "Kull 2025" in errors[0]
    assert Session.objects.count() == 1
    # Another cohort alone at the same time is fine.
    response = coordinator_client.post(
        url,
        session_post(
            world,
            title="Endring",
            cohorts=str(second_cohort.pk),
            date_1="2026-03-11",
            start_1="10:00",
            end_1="15:00",
            date_2="",
        ),
    )
    assert response.status_code == 302
    assert Session.objects.count() == 2


def test_editing_a_session_does_not_clash_with_itself(world: World, coordinator_client) -> None:
    session = plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9))
    url = reverse("competence:session_edit", args=[world.program.slug, session.pk])
    data = session_post(world, title="Flyttet", date_1="2026-03-10", start_1="10:00", date_2="")
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Flyttet"
    assert timezone.localtime(session.starts_at) == oslo(2026, 3, 10, 10)


def test_a_cancelled_session_is_deleted_after_confirmation(
    world: World, coordinator_client
) -> None:
    session = plan_session(world.program, [world.cohort], timezone.now() + timedelta(days=30))
    services.apology_submit(session=session, trainee=world.trainee, reason="Syk")
    services.assignment_create(
        session=session, title="Refleksjon", prompt="?", due_at=session.ends_at + timedelta(days=7)
    )
    url = reverse("competence:session_delete", args=[world.program.slug, session.pk])
    detail = coordinator_client.get(
        reverse("competence:session", args=[world.program.slug, session.pk])
    )
    assert url in detail.content.decode()
    page = coordinator_client.get(url)
    assert page.status_code == 200 and "Slett samling</button>" in page.content.decode()
    assert Session.objects.filter(pk=session.pk).exists()  # a GET deletes nothing
    response = coordinator_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("competence:sessions", args=[world.program.slug])
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not Attendance.objects.filter(session_id=session.pk).exists()
    assert AuditEntry.objects.filter(
        action="competence.session.deleted", object_id=str(session.pk)
    ).exists()


def test_a_session_with_attendance_or_reflections_is_not_deleted(
    world: World, coordinator_client
) -> None:
    objects = competence(world)  # running now, with the trainee's reflection
    url = reverse("competence:session_delete", args=[world.program.slug, objects.session.pk])
    page = coordinator_client.get(url).content.decode()
    assert "1 refleksjonsnotat er skrevet til den." in page
    assert "Slett samling</button>" not in page
    response = coordinator_client.post(url, follow=True)
    assert "Samlingen kan ikke slettes." in response.content.decode()
    assert Session.objects.filter(pk=objects.session.pk).exists()
    assert Reflection.objects.filter(pk=objects.reflection.pk).exists()
    held = plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9), title="Holdt")
    services.attendance_register(session=held, statuses={world.trainee.pk: "absent"})
    with pytest.raises(ValidationError) as error:
        services.session_delete(session=held)
    assert "1 oppmøteregistrering finnes for den." in error.value.messages[0]
    assert Session.objects.filter(pk=held.pk).exists()


def test_sessions_of_another_cohort_are_hidden_from_a_trainee(world: World) -> None:
    other_cohort = CohortFactory(program=world.program, label="Kull 2026")
    own = plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9), title="Vår samling")
    other = plan_session(world.program, [other_cohort], oslo(2026, 3, 10, 9), title="Deres")
    client = world.client_for("trainee")
    page = client.get(reverse("competence:sessions", args=[world.program.slug]))
    assert own.title in page.content.decode() and other.title not in page.content.decode()
    assert (
        client.get(reverse("competence:session", args=[world.program.slug, other.pk])).status_code
        == 404
    )


def test_session_list_queries_do_not_grow_with_sessions(world: World, coordinator_client) -> None:
    url = reverse("competence:sessions", args=[world.program.slug])
    plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9))
    queries_for(coordinator_client, url)
    few = queries_for(coordinator_client, url)
    for week in range(1, 6):
        plan_session(
            world.program, [world.cohort], oslo(2026, 3, 10, 9) + timedelta(weeks=week), days=2
        )
    assert queries_for(coordinator_client, url) == few


def test_material_link_and_upload(world: World, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    objects = competence(world)
    client = world.client_for("facilitator")
    url = reverse("competence:material_add", args=[world.program.slug, objects.session.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url, {"title": "Notat", "file": SimpleUploadedFile("notat.txt", b"hei")})
    assert response.status_code == 302
    material = objects.session.materials.get(title="Notat")
    download = world.client_for("trainee").get(
        reverse("competence:material", args=[world.program.slug, material.pk])
    )
    assert b"".join(download.streaming_content) == b"hei"
    response = client.post(url, {"title": "Tomt"})
    assert "url" in response.context["form"].errors


# ------------------------------------------------------------------------- iCalendar


def test_trainee_feed_is_read_back_with_oslo_times_across_dst(world: World) -> None:
    # Summer time ends 25 October 2026: one day before (CEST) and one after (CET).
    session = plan_session(
        world.program, [world.cohort], oslo(2026, 10, 23, 9), hours=7, days=1, title="Før"
    )
    after = plan_session(
        world.program, [world.cohort], oslo(2026, 10, 26, 9), hours=3, days=2, title="Etter"
    )
    other_cohort = CohortFactory(program=world.program, label="Kull 2026")
    plan_session(world.program, [other_cohort], oslo(2026, 10, 23, 9), title="Ikke vår")
    token = services.feed_for_trainee(world.trainee).token
    response = world.client_for("anonymous").get(
        reverse("competence_feed", kwargs={"token": token})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert any(c.name == "VTIMEZONE" and c["TZID"] == "Europe/Oslo" for c in calendar.walk())
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 3  # one day before, two after; not the other cohort's session
    before = events[f"competence-session-{session.pk}-day-1@traineenett"]
    start = before.decoded("DTSTART")
    assert (start.date(), start.time()) == (date(2026, 10, 23), time(9))
    assert start.utcoffset() == timedelta(hours=2)
    assert str(before["DTSTART"].params["TZID"]) == "Europe/Oslo"
    second = events[f"competence-session-{after.pk}-day-2@traineenett"]
    second_start = second.decoded("DTSTART")
    assert (second_start.date(), second_start.time()) == (date(2026, 10, 27), time(9))
    assert second.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert second.decoded("DTEND").time() == time(12)
    assert "Etter" in str(second["SUMMARY"])


def test_cohort_feed_and_regenerated_addresses(world: World, coordinator_client) -> None:
    plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9))
    feed = services.feed_for_cohort(world.cohort)
    old = feed.token
    url = reverse("competence_feed", kwargs={"token": old})
    assert (
        len(icalendar.Calendar.from_ical(coordinator_client.get(url).content).walk("VEVENT")) == 1
    )
    coordinator_client.post(
        reverse("competence:cohort_feed_regenerate", args=[world.program.slug, world.cohort.pk])
    )
    assert coordinator_client.get(url).status_code == 404
    feed.refresh_from_db()
    assert feed.token != old
    trainee_client = world.client_for("trainee")
    trainee_token = services.feed_for_trainee(world.trainee).token
    trainee_client.post(reverse("competence:feed_regenerate", args=[world.program.slug]))
    assert (
        trainee_client.get(reverse("competence_feed", kwargs={"token": trainee_token})).status_code
        == 404
    )


# -------------------------------------------------------------------------- check-in


@pytest.fixture
def running(world: World) -> Session:
    """A session for the world's cohort that started 10 minutes ago."""
    return plan_session(
        world.program,
        [world.cohort],
        timezone.now() - timedelta(minutes=10),
        facilitator=world.users["facilitator"],
    )


def test_check_in_with_the_current_code(world: World, running: Session) -> None:
    client = world.client_for("trainee")
    url = reverse("competence:check_in", args=[world.program.slug])
    response = client.post(url, {"code": services.current_code(running).lower()})
    assert response.status_code == 302
    attendance = Attendance.objects.get(session=running, trainee=world.trainee)
    assert attendance.status == AttendanceStatus.PRESENT
    assert attendance.checked_in_at is not None


def test_the_previous_windows_code_still_works_but_not_an_older_one(
    world: World, running: Session
) -> None:
    now = timezone.now()
    seconds = services.competence_settings(world.program).checkin_code_seconds
    previous = code_at(running, now - timedelta(seconds=seconds))
    older = code_at(running, now - timedelta(seconds=3 * seconds))
    with pytest.raises(ValidationError):
        services.check_in(program=world.program, trainee=world.trainee, code=older, moment=now)
    assert not Attendance.objects.exists()
    services.check_in(program=world.program, trainee=world.trainee, code=previous, moment=now)
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_wrong_code_and_twice_give_a_clear_message_and_change_nothing(
    world: World, running: Session
) -> None:
    client = world.client_for("trainee")
    url = reverse("competence:check_in", args=[world.program.slug])
    response = client.post(url, {"code": "AAAAAA"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Attendance.objects.exists()
    client.post(url, {"code": services.current_code(running)})
    first = Attendance.objects.get()
    response = client.post(url, {"code": services.current_code(running)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert Attendance.objects.get() == first
    assert Attendance.objects.get().updated_at == first.updated_at


def test_check_in_outside_the_session_is_refused(world: World) -> None:
    start = timezone.now() + timedelta(days=1)
    session = plan_session(world.program, [world.cohort], start)
    code = services.current_code(session)
    with pytest.raises(ValidationError) as error:
        services.check_in(program=world.program, trainee=world.trainee, code=code)
    assert "code" in error.value.message_dict
    # Within the grace before the start it works.
    moment = start - timedelta(minutes=10)
    services.check_in(
        program=world.program,
        trainee=world.trainee,
        code=code_at(session, moment),
        moment=moment,
    )
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_a_trainee_outside_the_sessions_cohorts_is_refused(
    world: World, running: Session, english: None
) -> None:
    stranger = TraineeFactory(cohort=CohortFactory(program=world.program, label="Kull 2026"))
    with pytest.raises(ValidationError) as error:
        services.check_in(
            program=world.program, trainee=stranger, code=services.current_code(running)
        )
    assert "not in a cohort" in error.value.message_dict["code"][0]
    assert not Attendance.objects.exists()


def test_late_check_in(world: World) -> None:
    session = plan_session(world.program, [world.cohort], timezone.now() - timedelta(minutes=40))
    attendance = services.check_in(
        program=world.program, trainee=world.trainee, code=services.current_code(session)
    )
    assert attendance.status == AttendanceStatus.LATE


def test_checkin_screen_shows_the_code_and_a_qr(world: World, running: Session) -> None:
    client = world.client_for("facilitator")
    response = client.get(
        reverse("competence:checkin_screen", args=[world.program.slug, running.pk])
    )
    html = response.content.decode()
    assert services.current_code(running) in html
    assert "<svg" in html
    # Another facilitator does not run this session: 404.
    other = UserFactory(email="annen.kursholder@example.org")
    RoleFactory(user=other, program=world.program, kind=RoleKind.FACILITATOR)
    client = world.client_for("coordinator")
    client.force_login(other)
    response = client.get(
        reverse("competence:checkin_screen", args=[world.program.slug, running.pk])
    )
    assert response.status_code == 404


def test_apology_in_advance(world: World) -> None:
    session = plan_session(world.program, [world.cohort], timezone.now() + timedelta(days=3))
    client = world.client_for("trainee")
    url = reverse("competence:apology", args=[world.program.slug, session.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and not Attendance.objects.exists()
    response = client.post(url, {"reason": "Syk barn"})
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.reason) == (AttendanceStatus.EXCUSED, "Syk barn")


def test_no_apology_after_the_start(world: World, running: Session) -> None:
    with pytest.raises(ValidationError):
        services.apology_submit(session=running, trainee=world.trainee, reason="For sent")
    assert not Attendance.objects.exists()


def test_facilitator_registers_and_marks_the_rest_absent(world: World, running: Session) -> None:
    second = TraineeFactory(cohort=world.cohort)
    client = world.client_for("facilitator")
    url = reverse("competence:attendance", args=[world.program.slug, running.pk])
    response = client.post(url, {f"trainee_{world.trainee.pk}": "late", "rest_absent": "1"})
    assert response.status_code == 302
    statuses = dict(Attendance.objects.values_list("trainee_id", "status"))
    assert statuses == {world.trainee.pk: "late", second.pk: "absent"}


# ------------------------------------------------------------------------- progress


def _held_sessions(world: World, statuses: list[str], module: Module | None = None) -> list:
    # One week apart, after any held sessions planned before (and ended by now).
    start = timezone.now() - timedelta(weeks=30 - Session.objects.count())
    sessions = []
    for index, status in enumerate(statuses):
        session = plan_session(
            world.program,
            [world.cohort],
            start + timedelta(weeks=index),
            module=module,
            title=f"Samling {Session.objects.count() + 1}",
        )
        services.attendance_register(session=session, statuses={world.trainee.pk: status})
        sessions.append(session)
    return sessions


def test_warnings_are_emailed_once_to_trainee_and_coordinator(
    world: World, django_capture_on_commit_callbacks
) -> None:
    modules = services.modules_ensure_defaults(program=world.program)
    start = timezone.now() - timedelta(weeks=5)
    for index, (module, status) in enumerate(
        [(modules[0], "present"), (modules[0], "absent"), (modules[1], "absent")]
    ):
        session = plan_session(
            world.program, [world.cohort], start + timedelta(weeks=index), module=module
        )
        services.attendance_register(session=session, statuses={world.trainee.pk: status})
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.absence_warnings_send(program=world.program)
    # 2 of 3 days missed (share ≥ 20 %) and two in a row across two modules.
    assert sent == 2
    kinds = set(AbsenceWarningSent.objects.values_list("kind", flat=True))
    assert kinds == {"share", "consecutive"}
    assert len(mail.outbox) == 2
    assert set(mail.outbox[0].to) == {world.trainee.email, "coordinator@example.org"}
    with django_capture_on_commit_callbacks(execute=True):
        assert services.absence_warnings_send(program=world.program) == 0
    assert len(mail.outbox) == 2


def test_reminders_command_sends_reflection_reminders_once(
    world: World, django_capture_on_commit_callbacks
) -> None:
    session = plan_session(world.program, [world.cohort], timezone.now() - timedelta(hours=2))
    services.assignment_create(
        session=session, title="Refleksjon", prompt="?", due_at=timezone.now() + timedelta(days=1)
    )
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("competence_reminders", "--program", world.program.slug, stdout=out)
    assert "1 reflection reminder" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[world.trainee.email]]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("competence_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("competence_reminders", "--program", "nope", stdout=io.StringIO())


def test_certificate_only_when_the_requirement_is_met(world: World) -> None:
    world.program.competence_days_required = 3
    world.program.save()
    client = world.client_for("trainee")
    url = reverse("competence:certificate", args=[world.program.slug, world.trainee.pk])
    communication, leadership, change = services.modules_ensure_defaults(program=world.program)
    # Leadership first in time, but the certificate lists the modules in programme order.
    _held_sessions(world, ["present", "absent"], module=leadership)
    refused = client.get(url)
    assert refused.status_code == 409
    assert "application/pdf" not in refused["Content-Type"]
    _held_sessions(world, ["late"], module=change)
    _held_sessions(world, ["present"], module=communication)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Ingrid Haugen" in text
    assert world.program.name in text
    lines = [line.strip() for line in text.splitlines()]
    modules = [communication.name, leadership.name, change.name]
    rows = [line for line in lines if line.split(" ")[0] in modules]
    assert rows == [f"{name} 1" for name in modules]  # the programme's order, 1 day each
    assert "Sum 3" in lines
    assert f"({world.cohort.label})," in text


def test_progress_page_of_another_trainee_is_404_for_a_trainee(world: World) -> None:
    other = TraineeFactory(cohort=world.cohort)
    client = world.client_for("trainee")
    assert (
        client.get(reverse("competence:progress", args=[world.program.slug, other.pk])).status_code
        == 404
    )


def test_overview_and_excel_export(world: World, coordinator_client) -> None:
    _held_sessions(world, ["present", "absent", "excused"])
    url = reverse("competence:overview", args=[world.program.slug]) + f"?cohort={world.cohort.pk}"
    queries_for(coordinator_client, url)  # creates the settings and the cohort's feed
    few = queries_for(coordinator_client, url)
    for _ in range(5):
        TraineeFactory(cohort=world.cohort)
    _held_sessions(world, ["late"])
    assert queries_for(coordinator_client, url) == few
    response = coordinator_client.get(
        reverse("competence:overview_export", args=[world.program.slug, world.cohort.pk])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 6  # header and six trainees
    haugen = next(row for row in rows if row[0] == "Ingrid Haugen")
    assert haugen[-4] == 2  # present + late
    assert len(workbook.worksheets[1]["A"]) == 1 + 4


def test_excel_export_keeps_typed_text_as_text(world: World, coordinator_client) -> None:
    [session] = _held_sessions(world, ["present"])
    session.title = '=HYPERLINK("https://example.org","Samling")'
    session.save(update_fields=["title"])
    response = coordinator_client.get(
        reverse("competence:overview_export", args=[world.program.slug, world.cohort.pk])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert session.title in [cell.value for cell in cells]
    assert all(cell.data_type != "f" for cell in cells)


# ------------------------------------------------------------------------ reflections


def test_reflection_links_the_current_placement_and_is_private(world: World) -> None:
    objects = competence(world)
    assert objects.reflection.placement == world.placement
    url = reverse("competence:reflection", args=[world.program.slug, objects.reflection.pk])
    assert world.client_for("trainee").get(url).status_code == 200
    assert world.client_for("facilitator").get(url).status_code == 200
    assert world.client_for("coordinator").get(url).status_code == 200
    for persona in ("host_a", "host_b", "board", "analyst"):
        assert world.client_for(persona).get(url).status_code == 403, persona
    # Another trainee in the same cohort: 404.
    classmate = TraineeFactory(cohort=world.cohort, user=UserFactory(email="klasse@example.org"))
    RoleFactory(user=classmate.user, program=world.program, kind=RoleKind.TRAINEE)
    client = world.client_for("anonymous")
    client.force_login(classmate.user)
    assert client.get(url).status_code == 404
    # A facilitator who does not run the session: 404.
    other = UserFactory(email="annen@example.org")
    RoleFactory(user=other, program=world.program, kind=RoleKind.FACILITATOR)
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_the_assignment_page_queries_do_not_grow_with_reflections(world: World) -> None:
    objects = competence(world)  # one reflection, with the trainee's placement
    client = world.client_for("facilitator")
    url = reverse("competence:assignment", args=[world.program.slug, objects.assignment.pk])
    few = queries_for(client, url)
    for index in range(4):
        trainee = TraineeFactory(cohort=world.cohort)
        PlacementFactory(trainee=trainee, organisation=world.organisation_b)
        services.reflection_submit(
            assignment=objects.assignment, trainee=trainee, text=f"Refleksjon {index}"
        )
    assert queries_for(client, url) == few
    assert world.organisation_b.name in client.get(url).content.decode()


def test_facilitator_comments_and_trainee_sees_it(world: World) -> None:
    objects = competence(world)
    url = reverse("competence:reflection_comment", args=[world.program.slug, objects.reflection.pk])
    response = world.client_for("facilitator").post(url, {"comment": "Godt observert!"})
    assert response.status_code == 302
    page = world.client_for("trainee").get(
        reverse("competence:reflection", args=[world.program.slug, objects.reflection.pk])
    )
    assert "Godt observert!" in page.content.decode()
    assert world.client_for("trainee").post(url, {"comment": "x"}).status_code == 403


def test_trainee_writes_a_reflection(world: World) -> None:
    session = plan_session(world.program, [world.cohort], timezone.now() - timedelta(hours=3))
    assignment = services.assignment_create(
        session=session, title="Endring", prompt="?", due_at=timezone.now() + timedelta(days=2)
    )
    client = world.client_for("trainee")
    url = reverse("competence:reflection_write", args=[world.program.slug, assignment.pk])
    assert client.post(url, {"text": "  "}).status_code == 200
    assert not assignment.reflections.exists()
    assert client.post(url, {"text": "Endringsledelse hos Mjøskraft"}).status_code == 302
    reflection = assignment.reflections.get()
    assert reflection.placement == world.placement
    home = client.get(reverse("competence:home", args=[world.program.slug])).content.decode()
    assert "Mjøskraft" in home


def test_assignment_deadline_before_the_session_is_refused(world: World) -> None:
    session = plan_session(world.program, [world.cohort], oslo(2026, 3, 10, 9))
    with pytest.raises(ValidationError) as error:
        services.assignment_create(
            session=session, title="x", prompt="?", due_at=oslo(2026, 3, 1, 9)
        )
    assert "due_at" in error.value.message_dict


# ---------------------------------------------------------------------------- groups


def test_group_size_larger_than_the_cohort_is_refused(world: World, coordinator_client) -> None:
    url = reverse("competence:rounds", args=[world.program.slug])
    response = coordinator_client.post(
        url, {"name": "For store", "cohorts": [str(world.cohort.pk)], "group_size": "5"}
    )
    assert response.status_code == 200
    assert "group_size" in response.context["form"].errors
    assert not GroupRound.objects.exists()


def test_groups_built_moved_pinned_and_rebuilt(world: World, coordinator_client) -> None:
    for index in range(7):
        trainee = TraineeFactory(cohort=world.cohort, discipline=["law", "biology"][index % 2])
        PlacementFactory(trainee=trainee, organisation=world.organisation_b)
    url = reverse("competence:rounds", args=[world.program.slug])
    response = coordinator_client.post(
        url, {"name": "Markedsføring", "cohorts": [str(world.cohort.pk)], "group_size": "3"}
    )
    round_ = GroupRound.objects.get()
    assert response.status_code == 302
    sizes = sorted(g.members.count() for g in round_.groups.all())
    assert sizes == [2, 3, 3]
    member = GroupMember.objects.get(round=round_, trainee=world.trainee)
    target = round_.groups.exclude(pk=member.group_id).first()
    assert target is not None
    coordinator_client.post(
        reverse("competence:member_move", args=[world.program.slug, member.pk]),
        {"group": str(target.pk), "pinned": "on"},
    )
    member.refresh_from_db()
    assert member.group == target and member.pinned
    coordinator_client.post(
        reverse("competence:round_rebuild", args=[world.program.slug, round_.pk])
    )
    member = GroupMember.objects.get(round=round_, trainee=world.trainee)
    assert member.group.number == target.number and member.pinned
    assert GroupMember.objects.filter(round=round_).count() == 8


def test_rebuild_with_an_overfull_pinned_group_explains_and_changes_nothing(
    world: World, coordinator_client
) -> None:
    for _index in range(5):
        TraineeFactory(cohort=world.cohort)
    round_ = services.group_round_build(
        program=world.program, name="Runde", cohorts=[world.cohort], group_size=3
    )
    first = round_.groups.get(number=1)
    for member in GroupMember.objects.filter(round=round_):
        services.group_member_move(member=member, group=first, pinned=True)
    before = sorted(GroupMember.objects.filter(round=round_).values_list("trainee_id", "group_id"))
    response = coordinator_client.post(
        reverse("competence:round_rebuild", args=[world.program.slug, round_.pk]), follow=True
    )
    text = response.content.decode()
    assert "grupper på høyst 3" in text  # a Norwegian explanation, not the solver's English
    assert "pinned people but room for" not in text
    after = sorted(GroupMember.objects.filter(round=round_).values_list("trainee_id", "group_id"))
    assert after == before


def test_group_page_for_members_and_coordinator_only(world: World) -> None:
    objects = competence(world)
    url = reverse("competence:group", args=[world.program.slug, objects.group.pk])
    client = world.client_for("trainee")
    response = client.post(url, {"notes": "Vi møtes tirsdag."})
    assert response.status_code == 302
    objects.group.refresh_from_db()
    assert objects.group.notes == "Vi møtes tirsdag."
    assert "Vi møtes tirsdag." in world.client_for("coordinator").get(url).content.decode()
    outsider = TraineeFactory(cohort=world.cohort, user=UserFactory(email="utenfor@example.org"))
    RoleFactory(user=outsider.user, program=world.program, kind=RoleKind.TRAINEE)
    other_group = (
        GroupMember.objects.get(round=objects.round, trainee=outsider)
        if (GroupMember.objects.filter(trainee=outsider).exists())
        else None
    )
    assert other_group is None  # joined after the groups were built
    stranger = world.client_for("anonymous")
    stranger.force_login(outsider.user)
    assert stranger.get(url).status_code == 404
    task_url = reverse("competence:task_toggle", args=[world.program.slug, objects.task.pk])
    assert stranger.post(task_url).status_code == 404
    assert client.post(task_url).status_code == 302
    objects.task.refresh_from_db()
    assert objects.task.done_at is not None


def test_trainee_home_page_shows_the_pieces(world: World) -> None:
    objects = competence(world)
    html = (
        world.client_for("trainee")
        .get(reverse("competence:home", args=[world.program.slug]))
        .content.decode()
    )
    assert objects.session.title in html
    assert "Markedsføring" in html  # the group's task
    assert world.organisation_a.name in html  # the current placement
    assert objects.feed_token in html
    assert 'name="code"' in html


def test_trainee_home_page_queries_do_not_grow(world: World) -> None:
    objects = competence(world)
    _held_sessions(world, ["present"])  # (no held session at all saves two queries)
    client = world.client_for("trainee")
    url = reverse("competence:home", args=[world.program.slug])
    queries_for(client, url)  # creates the calendar feed
    few = queries_for(client, url)
    for week in range(1, 4):
        session = plan_session(
            world.program, [world.cohort], timezone.now() + timedelta(weeks=week), days=2
        )
        services.assignment_create(
            session=session, title=f"Oppgave {week}", prompt="?", due_at=session.ends_at
        )
        services.group_task_create(
            group=objects.group, title=f"Oppgave {week}", due_on=timezone.localdate()
        )
    _held_sessions(world, ["present", "absent"])
    services.group_round_build(
        program=world.program, name="Runde 2", cohorts=[world.cohort], group_size=2
    )
    assert queries_for(client, url) == few


def test_dashboard_panel_for_a_trainee(world: World) -> None:
    competence(world)
    html = (
        world.client_for("trainee")
        .get(reverse("core:dashboard", args=[world.program.slug]))
        .content.decode()
    )
    assert reverse("competence:home", args=[world.program.slug]) in html


def test_settings_change_the_credits(world: World, coordinator_client) -> None:
    _held_sessions(world, ["late", "late"])
    url = reverse("competence:settings", args=[world.program.slug])
    form = coordinator_client.get(url).context["form"]
    data = {name: str(form.initial[name]) for name in form.fields}
    data["credit_late"] = "0.5"
    assert coordinator_client.post(url, data).status_code == 302
    page = coordinator_client.get(
        reverse("competence:progress", args=[world.program.slug, world.trainee.pk])
    )
    assert page.context["result"].progress.credited == 1
    data["absence_warning_percent"] = "0"
    response = coordinator_client.post(url, data)
    assert (
        response.status_code == 200 and "absence_warning_percent" in response.context["form"].errors
    )


def test_checkin_screen_refreshes_as_a_fragment_with_htmx(world: World, running: Session) -> None:
    client = world.client_for("facilitator")
    url = reverse("competence:checkin_screen", args=[world.program.slug, running.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert services.current_code(running) in fragment
    assert "<html" not in fragment


def test_a_session_not_running_shows_no_code(world: World) -> None:
    later = plan_session(
        world.program,
        [world.cohort],
        timezone.now() + timedelta(days=2),
        facilitator=world.users["facilitator"],
    )
    html = world.client_for("facilitator").get(
        reverse("competence:checkin_screen", args=[world.program.slug, later.pk])
    )
    assert services.current_code(later) not in html.content.decode()
    assert html.context["open"] is False


def test_the_console_command_contract(world: World, capsys, monkeypatch) -> None:
    from django.db import connections

    from traineenett.cli import main

    # run_from_argv closes the connections when done; keep the test's transaction open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    main(["traineenett", "competence-reminders", "--program", world.program.slug])
    assert f"{world.program.slug}: 0 reflection reminder(s), 0 absence warning(s)" in (
        capsys.readouterr().out
    )
    with pytest.raises(SystemExit) as exit_:
        main(["traineenett", "competence-reminders", "--program", "no-such-programme"])
    assert exit_.value.code == 1
    assert "Unknown programme: no-such-programme" in capsys.readouterr().err
