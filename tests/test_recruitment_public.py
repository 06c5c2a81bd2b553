"""The public side of recruitment: job board, structured data, feed, the application form
with its bad input, double submits, bots, and the applicant's personal link."""

from __future__ import annotations

import json
import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories_recruitment import (
    make_application,
    make_position,
    make_round,
    pdf_bytes,
    pdf_upload,
)
from traineenett.recruitment.models import Application, Document, Position


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the rate limit counts in the cache


@pytest.fixture
def position(world: World) -> Position:
    round_ = make_round(world.program, world.cohort)
    return make_position(round_, [world.organisation_a, world.organisation_b, None])


def form_data(position: Position, **overrides: Any) -> dict[str, Any]:
    data = {
        "first_name": "Ingrid",
        "last_name": "Søknadsen",
        "email": "Ingrid.Soknadsen@example.org",
        "phone": "912 34 567",
        "home_municipality": "3403",
        "choice_1": str(position.pk),
        "choice_2": "",
        "choice_3": "",
        "relevant_work_months": "6",
        "cover_letter": "Jeg vil jobbe i Innlandet.",
        "source": "fair",
        "consent": "on",
        "website": "",
        "idempotency_key": "key-abc-123",
        "education-TOTAL_FORMS": "2",
        "education-INITIAL_FORMS": "0",
        "education-MIN_NUM_FORMS": "1",
        "education-MAX_NUM_FORMS": "4",
        "education-0-degree": "Master i økonomi",
        "education-0-institution": "NTNU",
        "education-0-field": "economics",
        "education-0-years": "5",
        "education-0-ects": "",
        "education-0-graduated_on": "2025-06-15",
        "cv": SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf"),
        "diploma": SimpleUploadedFile("vitnemal.pdf", pdf_bytes(), content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def apply_url(world: World) -> str:
    return reverse("recruitment:apply", args=[world.program.slug])


# ---------------------------------------------------------------------- job board


def test_job_board_lists_only_open_published_positions(world: World, position: Position) -> None:
    round_ = position.round
    make_position(round_, [world.organisation_b], title="Upublisert stilling", published=False)
    make_position(
        round_,
        [world.organisation_b],
        title="Utløpt stilling",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    response = Client().get(reverse("recruitment:jobs", args=[world.program.slug]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Trainee i energi" in content
    assert "Upublisert stilling" not in content
    assert "Utløpt stilling" not in content


def test_position_page_has_jobposting_structured_data(world: World, position: Position) -> None:
    response = Client().get(reverse("recruitment:job", args=[world.program.slug, position.pk]))
    assert response.status_code == 200
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    data = json.loads(match.group(1))
    assert data["@type"] == "JobPosting"
    assert data["title"] == "Trainee i energi"
    assert data["validThrough"].startswith(position.deadline.isoformat())
    assert data["datePosted"] == timezone.localdate().isoformat()
    assert data["employmentType"] == "FULL_TIME"
    assert data["hiringOrganization"]["name"] == "Mjøskraft AS"
    assert data["jobLocation"]["address"]["addressCountry"] == "NO"
    assert data["jobLocation"]["address"]["addressRegion"] == "Innlandet"


def test_structured_data_cannot_break_out_of_its_script(world: World, position: Position) -> None:
    Position.objects.filter(pk=position.pk).update(title="</script><script>alert(1)</script>")
    response = Client().get(reverse("recruitment:job", args=[world.program.slug, position.pk]))
    assert "</script><script>alert(1)" not in response.content.decode()


def test_feed_lists_open_positions(world: World, position: Position) -> None:
    response = Client().get(reverse("recruitment:job_feed", args=[world.program.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert b"<title>Trainee i energi</title>" in response.content
    assert f"/jobs/{position.pk}/".encode() in response.content


# ------------------------------------------------------------------- application


def test_apply_stores_screens_and_mails_the_personal_link(
    world: World, position: Position, django_capture_on_commit_callbacks: Any
) -> None:
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(world), form_data(position))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.email == "ingrid.soknadsen@example.org"
    assert application.phone == "+4791234567"
    assert application.stage.key == "received"
    assert application.eligible  # five years, graduated 2025, six months of work
    assert sorted(application.documents.values_list("kind", flat=True)) == ["cv", "diploma"]
    document = application.documents.first()
    assert document is not None
    assert document.file.name.startswith("private/recruitment/")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/apply/[^/\s]+/)", mail.outbox[0].body)
    assert link
    assert response["Location"] == link.group(1)
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "Trainee i energi" in page.content.decode()


def test_a_double_submit_makes_one_application(world: World, position: Position) -> None:
    client = Client()
    first = client.post(apply_url(world), form_data(position))
    second = client.post(apply_url(world), form_data(position))
    assert Application.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    # A retry from another browser (no session) gets the "received" page, still one row.
    third = Client().post(apply_url(world), form_data(position))
    assert third["Location"] == reverse("recruitment:received", args=[world.program.slug])
    assert Application.objects.count() == 1


def test_one_application_per_person_and_cohort(world: World, position: Position) -> None:
    Client().post(apply_url(world), form_data(position))
    response = Client().post(
        apply_url(world), form_data(position, idempotency_key="another-key-456")
    )
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {
                "cv": SimpleUploadedFile(
                    "cv.docx", b"PK\x03\x04 word", content_type="application/pdf"
                )
            },
            "cv",
        ),
        (
            {
                "cv": SimpleUploadedFile(
                    "cv.pdf", b"%PDF-1.7 not really", content_type="application/pdf"
                )
            },
            "cv",
        ),
        ({"consent": ""}, "consent"),
        ({"phone": "12"}, "phone"),
        ({"education-0-graduated_on": "2031-06-01"}, "education-0-graduated_on"),
        ({"education-0-years": "", "education-0-ects": ""}, "education-0-years"),
        ({"choice_2": "PLACEHOLDER"}, "choice_2"),
    ],
    ids=["not-a-pdf", "fake-pdf", "no-consent", "bad-phone", "far-future", "no-length", "same"],
)
def test_bad_input_is_named_and_typed_values_are_kept(
    world: World, position: Position, overrides: dict[str, Any], field: str, english: Any
) -> None:
    if overrides.get("choice_2") == "PLACEHOLDER":
        overrides = {"choice_2": str(position.pk)}
    response = Client().post(apply_url(world), form_data(position, **overrides))
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content, f"no error on {field}"
    assert 'value="Søknadsen"' in content  # what was typed is kept
    assert "Jeg vil jobbe i Innlandet." in content
    assert Application.objects.count() == 0
    assert Document.objects.count() == 0


def test_a_file_over_the_limit_is_refused(world: World, position: Position, settings: Any) -> None:
    settings.RECRUITMENT_MAX_UPLOAD_BYTES = 200
    response = Client().post(apply_url(world), form_data(position))
    assert response.status_code == 400
    content = response.content.decode()
    error = re.search(r'<ul class="errorlist" id="id_cv_error"><li>(.*?)</li>', content)
    assert error, "no error on the CV"
    assert "200" in error.group(1)
    assert Application.objects.count() == 0


def test_after_the_deadline_the_form_is_closed(world: World, position: Position) -> None:
    client = Client()
    assert client.get(apply_url(world)).status_code == 200
    Position.objects.filter(pk=position.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    # Sent after the deadline: the reason on the field, and what was typed is kept.
    response = client.post(apply_url(world), form_data(position))
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_choice_1_error"' in content
    passed = timezone.localdate() - timedelta(days=1)
    assert passed.strftime("%d.%m.%Y") in content
    assert 'value="Søknadsen"' in content
    assert Application.objects.count() == 0
    # A new visitor finds the form closed.
    closed = Client().get(apply_url(world))
    assert closed.status_code == 200
    assert "recruitment/public/apply_closed.html" in [t.name for t in closed.templates]


def test_a_position_closing_while_the_form_is_open_is_a_field_error(
    world: World, position: Position, english: Any
) -> None:
    other = make_position(position.round, [world.organisation_b], title="Trainee i bank")
    Position.objects.filter(pk=position.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    response = Client().post(apply_url(world), form_data(position, choice_2=str(other.pk)))
    assert response.status_code == 400
    assert 'id="id_choice_1_error"' in response.content.decode()
    assert Application.objects.count() == 0


def test_the_honeypot_stores_nothing(world: World, position: Position) -> None:
    response = Client().post(apply_url(world), form_data(position, website="http://spam"))
    assert response.status_code == 302
    assert Application.objects.count() == 0


def test_the_form_is_rate_limited_per_address(world: World, position: Position) -> None:
    client = Client()
    for _ in range(20):
        client.post(apply_url(world), {"idempotency_key": "x"})
    assert client.post(apply_url(world), {"idempotency_key": "x"}).status_code == 429
    other_address = Client(REMOTE_ADDR="10.0.0.9")
    assert other_address.post(apply_url(world), {"idempotency_key": "x"}).status_code == 400


def test_the_form_states_the_retention_period(world: World, position: Position) -> None:
    response = Client().get(apply_url(world))
    assert "365" in response.content.decode()
    assert 'name="idempotency_key"' in response.content.decode()


# --------------------------------------------------------------- personal link


def test_a_wrong_or_expired_link_is_a_plain_404(world: World, position: Position) -> None:
    application, token = make_application(world.program, world.cohort, [position])
    assert Client().get(f"/apply/{token}x/").status_code == 404
    Application.objects.filter(pk=application.pk).update(
        token_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = Client().get(f"/apply/{token}/")
    assert response.status_code == 404
    assert b"Traceback" not in response.content
    assert Client().get(f"/apply/{token}/my-data.json").status_code == 404


def test_the_applicant_completes_downloads_and_withdraws(world: World, position: Position) -> None:
    application, token = make_application(world.program, world.cohort, [position])
    client = Client()
    response = client.post(
        f"/apply/{token}/complete/",
        {
            "phone": "+46 70 123 45 67",
            "relevant_work_months": "3",
            "cover_letter": "Oppdatert søknad",
            "cv": pdf_upload("ny-cv.pdf"),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.phone == "+46701234567"
    assert application.documents.get(kind="cv").original_name == "ny-cv.pdf"

    data = client.get(f"/apply/{token}/my-data.json")
    assert data.status_code == 200
    assert data["Content-Disposition"].startswith("attachment")
    exported = json.loads(data.content)
    assert exported["email"] == application.email
    assert exported["cover_letter"] == "Oppdatert søknad"
    assert exported["positions"] == [{"rank": 1, "title": "Trainee i energi"}]
    assert exported["educations"][0]["institution"] == "NTNU"

    document = application.documents.get()
    download = client.get(f"/apply/{token}/documents/{document.pk}/")
    assert download.status_code == 200
    assert download.content.startswith(b"%PDF-")

    assert client.post(f"/apply/{token}/withdraw/").status_code == 302
    application.refresh_from_db()
    assert application.withdrawn_at is not None
    assert application.closed_at is not None
    # A closed application can no longer be changed.
    refused = client.post(
        f"/apply/{token}/complete/",
        {"phone": "91234567", "relevant_work_months": "0", "cover_letter": ""},
    )
    assert refused.status_code == 400


def test_another_applicants_document_is_not_served_by_my_link(
    world: World, position: Position
) -> None:
    _mine, token = make_application(world.program, world.cohort, [position])
    theirs, _ = make_application(world.program, world.cohort, [position], documents=True)
    document = theirs.documents.get()
    assert Client().get(f"/apply/{token}/documents/{document.pk}/").status_code == 404


def test_the_complete_form_refuses_a_bad_phone(world: World, position: Position) -> None:
    application, token = make_application(world.program, world.cohort, [position])
    response = Client().post(
        f"/apply/{token}/complete/",
        {"phone": "abc", "relevant_work_months": "1", "cover_letter": "Hei"},
    )
    assert response.status_code == 400
    assert 'id="id_phone_error"' in response.content.decode()
    application.refresh_from_db()
    assert application.cover_letter == "Jeg vil bo i regionen."


def test_graduation_must_be_by_the_cohort_start(world: World, position: Position) -> None:
    late = world.cohort.starts_on + timedelta(days=1)
    response = Client().post(
        apply_url(world), form_data(position, **{"education-0-graduated_on": late.isoformat()})
    )
    assert response.status_code == 400
    on_time = Client().post(
        apply_url(world),
        form_data(
            position,
            idempotency_key="k2",
            **{"education-0-graduated_on": world.cohort.starts_on.isoformat()},
        ),
    )
    assert on_time.status_code == 302


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submits_make_one_application() -> None:
    """A double click that reaches two workers at once: the unique idempotency key and
    e-mail make one application, and both requests get it back."""
    from tests.factories import CohortFactory, MembershipFactory, ProgramFactory
    from traineenett.recruitment import services

    program = ProgramFactory()
    cohort = CohortFactory(program=program)
    membership = MembershipFactory(program=program)
    position = make_position(make_round(program, cohort), [membership.organisation])
    barrier = threading.Barrier(2)
    results: list[int] = []

    def submit() -> None:
        try:
            barrier.wait()
            application, _token = services.application_submit(
                program=program,
                cohort=cohort,
                data={
                    "first_name": "Ola",
                    "last_name": "Samtidig",
                    "email": "ola.samtidig@example.org",
                    "phone": "+4791234567",
                    "home_municipality": None,
                    "relevant_work_months": 0,
                    "cover_letter": "",
                    "source": "website",
                },
                educations=[],
                positions=[position],
                documents=[],
                idempotency_key="same-click",
            )
            results.append(application.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Application.objects.count() == 1
    assert results == [Application.objects.get().pk] * 2
