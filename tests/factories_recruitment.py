"""Recruitment objects for tests, made through the services (so they obey the rules)."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from tests.conftest import World
from traineenett.cohorts.models import Cohort
from traineenett.core.models import Program
from traineenett.members.models import Organisation
from traineenett.recruitment import interviews, services
from traineenett.recruitment.models import (
    Application,
    Document,
    InterviewDay,
    InterviewRequest,
    Position,
    Round,
    Source,
)

_counter = itertools.count(1)


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def make_round(program: Program, cohort: Cohort) -> Round:
    return services.round_create(
        program=program, cohort=cohort, needs_deadline=timezone.localdate() + timedelta(days=30)
    )


def make_position(
    round_: Round,
    hosts: list[Organisation | None],
    *,
    title: str = "Trainee i energi",
    deadline: date | None = None,
    published: bool = True,
    disciplines: list[str] | None = None,
) -> Position:
    return services.position_save(
        round_=round_,
        data={
            "title": title,
            "description": "To år, tre arbeidsgivere, ett kompetanseprogram.",
            "disciplines": disciplines or ["economics", "engineering"],
            "deadline": deadline or timezone.localdate() + timedelta(days=60),
            "published_on": timezone.localdate() if published else None,
        },
        hosts=hosts,
    )


def education(**overrides: Any) -> dict[str, Any]:
    entry = {
        "degree": "Master",
        "institution": "NTNU",
        "field": "economics",
        "years": Decimal("5"),
        "ects": None,
        "graduated_on": date(2025, 6, 15),
    }
    entry.update(overrides)
    return entry


def make_application(
    program: Program,
    cohort: Cohort,
    positions: list[Position],
    *,
    documents: bool = False,
    educations: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> tuple[Application, str]:
    number = next(_counter)
    data = {
        "first_name": "Kari",
        "last_name": f"Nordmann{number}",
        "email": f"applicant{number}@example.org",
        "phone": f"+479{number:07d}"[:11],
        "home_municipality": None,
        "relevant_work_months": 0,
        "cover_letter": "Jeg vil bo i regionen.",
        "source": Source.WEBSITE,
    }
    data.update(overrides)
    application, token = services.application_submit(
        program=program,
        cohort=cohort,
        data=data,
        educations=educations if educations is not None else [education()],
        positions=positions,
        documents=[("cv", pdf_upload())] if documents else [],
        idempotency_key=f"key-{number}-{program.pk}",
    )
    assert token is not None
    return application, token


@dataclass
class RecruitmentObjects:
    round: Round
    position: Position
    application: Application
    token: str
    document: Document
    request: InterviewRequest
    day: InterviewDay


def _objects(program: Program, cohort: Cohort, host: Organisation) -> RecruitmentObjects:
    round_ = make_round(program, cohort)
    # Host A first, the rest decided later: host B is not part of this track.
    position = make_position(round_, [host, None])
    application, token = make_application(program, cohort, [position], documents=True)
    request = InterviewRequest.objects.create(application=application, organisation=host)
    plan = interviews.plan_ensure(round_)
    day = interviews.day_add(
        plan=plan, day=date(2027, 3, 10), starts_at=time(9, 0), ends_at=time(10, 0)
    )
    return RecruitmentObjects(
        round=round_,
        position=position,
        application=application,
        token=token,
        document=application.documents.get(),
        request=request,
        day=day,
    )


def recruitment_of(w: World) -> RecruitmentObjects:
    """Programme A's recruitment objects, made once per World."""
    if "_recruitment" not in w.__dict__:
        w.__dict__["_recruitment"] = _objects(w.program, w.cohort, w.organisation_a)
    return w.__dict__["_recruitment"]  # type: ignore[no-any-return]


def other_recruitment_of(w: World) -> RecruitmentObjects:
    """The same objects in programme B (for the cross-programme 404 checks)."""
    if "_other_recruitment" not in w.__dict__:
        w.__dict__["_other_recruitment"] = _objects(
            w.other_program, w.other_cohort, w.other_membership.organisation
        )
    return w.__dict__["_other_recruitment"]  # type: ignore[no-any-return]
