"""Public pages: the job board, a position, the feed, the application form, and the
applicant's own page behind the personal link."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from traineenett.core.forms import add_service_errors
from traineenett.core.ical import OSLO, calendar_response
from traineenett.core.models import Program
from traineenett.core.permissions import ProgramRequest, public
from traineenett.core.ratelimit import over_limit
from traineenett.recruitment import interviews, selectors, services
from traineenett.recruitment.documents import pdf_response
from traineenett.recruitment.forms import ApplicationForm, CompleteForm, education_formset
from traineenett.recruitment.models import Application, Interview, Offer, OfferStatus, Position

APPLY_LIMIT = 20  # form posts per address and hour
APPLY_WINDOW_SECONDS = 3600


def rate_limited(request: HttpRequest, scope: str = "apply") -> bool:
    """Count a post from this address; True when it is over the limit for the hour."""
    return over_limit(
        request, f"recruitment:{scope}", limit=APPLY_LIMIT, window_seconds=APPLY_WINDOW_SECONDS
    )


def job_posting(request: HttpRequest, position: Position) -> dict[str, Any]:
    """schema.org JobPosting structured data for a position."""
    regions = sorted(
        {
            host.organisation.municipality.name
            for host in position.hosts.all()
            if host.organisation is not None
        }
    )
    first = next((h.organisation for h in position.hosts.all() if h.organisation), None)
    program = position.round.program
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": position.title,
        "description": position.description,
        "datePosted": (position.published_on or timezone.localdate()).isoformat(),
        # The end of the deadline day in Norway (+01:00 in winter, +02:00 in summer).
        "validThrough": datetime.combine(
            position.deadline, time(23, 59, 59), tzinfo=OSLO
        ).isoformat(),
        "employmentType": "FULL_TIME",
        "hiringOrganization": {
            "@type": "Organization",
            "name": first.name if first else program.name,
        },
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": ", ".join(regions),
                "addressRegion": program.region_name or "",
                "addressCountry": "NO",
            },
        },
        "url": request.build_absolute_uri(
            reverse("recruitment:job", args=[program.slug, position.pk])
        ),
    }


@public
def job_board(request: ProgramRequest) -> HttpResponse:
    return render(
        request,
        "recruitment/public/job_board.html",
        {"public_program": request.program, "positions": selectors.open_positions(request.program)},
    )


@public
def job_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    position = selectors.open_position(request.program, pk)
    structured = (
        json.dumps(job_posting(request, position), ensure_ascii=False)
        # Escaped so the data can never end the script element it sits in.
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return render(
        request,
        "recruitment/public/job_detail.html",
        {
            "public_program": request.program,
            "position": position,
            "job_posting": mark_safe(structured),  # noqa: S308 - escaped above
        },
    )


class OpenPositionsFeed(Feed):
    """An RSS feed of a programme's open positions."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Program:
        self.request = request
        return request.program  # type: ignore[attr-defined]

    def title(self, obj: Program) -> str:
        return _("Open positions – %(program)s") % {"program": obj.name}

    def link(self, obj: Program) -> str:
        return reverse("recruitment:jobs", args=[obj.slug])

    def description(self, obj: Program) -> str:
        return _("Trainee positions open for applications.")

    def items(self, obj: Program) -> Any:
        return selectors.open_positions(obj)

    def item_title(self, item: Position) -> str:
        return item.title

    def item_description(self, item: Position) -> str:
        return item.description

    def item_link(self, item: Position) -> str:
        return reverse("recruitment:job", args=[item.round.program.slug, item.pk])


job_feed = public(OpenPositionsFeed())


@public
def apply(request: ProgramRequest) -> HttpResponse:
    program = request.program
    open_now = selectors.open_positions(program)
    wanted = request.GET.get("position", "")
    preselected = open_now.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    first_position = preselected or open_now.first()
    posted = request.POST.get("choice_1", "") if request.method == "POST" else ""
    if posted.isdigit():
        # A form filled in before the deadline and sent after it: keep what was typed and
        # let the service say which deadline passed (on the field).
        first_position = (
            selectors.published_positions(program).filter(pk=int(posted)).first() or first_position
        )
    settings = services.settings_for(program)
    if first_position is None:
        return render(
            request,
            "recruitment/public/apply_closed.html",
            {"public_program": program},
        )
    cohort = first_position.round.cohort
    positions = (
        selectors.published_positions(program) if request.method == "POST" else open_now
    ).filter(round__cohort=cohort)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        positions=positions,
        retention_days=settings.retention_days,
        initial={"choice_1": preselected},
    )
    formset = education_formset(request.POST or None, cohort)
    status = 200
    if request.method == "POST":
        if rate_limited(request):
            return render(
                request,
                "recruitment/public/rate_limited.html",
                {"public_program": program},
                status=429,
            )
        if form.is_bot:
            # A bot filled the hidden field: answer as if it worked, store nothing.
            return redirect("recruitment:received", program.slug)
        if form.is_valid() and formset.is_valid():
            try:
                _application, token = services.application_submit(
                    program=program,
                    cohort=cohort,
                    data=form.application_data(),
                    educations=formset.entries(),
                    positions=form.positions(),
                    documents=form.documents(),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    link_builder=request.build_absolute_uri,
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                key = f"recruitment_token_{form.cleaned_data['idempotency_key']}"
                if token is not None:
                    request.session[key] = token
                token = token or request.session.get(key)
                if token:
                    return redirect("applicant_page", token)
                return redirect("recruitment:received", program.slug)
        status = 400
    return render(
        request,
        "recruitment/public/apply.html",
        {
            "public_program": program,
            "form": form,
            "formset": formset,
            "cohort": cohort,
            "retention_days": settings.retention_days,
        },
        status=status,
    )


@public
def received(request: ProgramRequest) -> HttpResponse:
    return render(request, "recruitment/public/received.html", {"public_program": request.program})


# ------------------------------------------------------------------- personal link


def _application_or_404(token: str) -> Application:
    application = services.application_by_token(token)
    if application is None:
        raise Http404
    return application


def applicant_page(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        return render(request, "recruitment/public/link_invalid.html", status=404)
    offer = Offer.objects.filter(application=application).select_related("position").first()
    found = Interview.objects.filter(request__application=application).select_related(
        "request__organisation"
    )
    return render(
        request,
        "recruitment/public/applicant.html",
        {
            "public_program": application.program,
            "application": application,
            "token": token,
            "choices": application.choices.select_related("position"),
            "educations": application.educations.all(),
            "documents": application.documents.all(),
            "offer": offer,
            "offer_open": offer is not None and offer.status == OfferStatus.MADE,
            "interviews": found,
            "closed": application.withdrawn_at is not None or application.stage.is_closed,
        },
    )


def applicant_edit(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        return render(request, "recruitment/public/link_invalid.html", status=404)
    form = CompleteForm(request.POST or None, request.FILES or None, instance=application)
    status = 200
    if request.method == "POST":
        if rate_limited(request, "complete"):
            return render(
                request,
                "recruitment/public/rate_limited.html",
                {"public_program": application.program},
                status=429,
            )
        if form.is_valid():
            try:
                services.application_complete(
                    application=application,
                    data={name: form.cleaned_data[name] for name in CompleteForm.Meta.fields},
                    documents=form.documents(),
                )
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                return redirect("applicant_page", token)
        status = 400
    return render(
        request,
        "recruitment/public/applicant_edit.html",
        {"public_program": application.program, "form": form, "token": token},
        status=status,
    )


def applicant_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        return render(request, "recruitment/public/link_invalid.html", status=404)
    if application.withdrawn_at is not None or application.stage.is_closed:
        # Nothing left to withdraw (closed, or an accepted offer): the page says where it
        # stands.
        return redirect("applicant_page", token)
    if request.method == "POST":
        services.application_withdraw(application=application)
        return redirect("applicant_page", token)
    return render(
        request,
        "recruitment/public/applicant_withdraw.html",
        {"public_program": application.program, "token": token},
    )


def applicant_data(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_or_404(token)
    response = JsonResponse(
        services.application_export(application),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="application-{application.pk}.json"'
    return response


def applicant_offer(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_by_token(token)
    if application is None:
        return render(request, "recruitment/public/link_invalid.html", status=404)
    if request.method != "POST":
        # The answer is a form on the applicant's page; a link followed here goes there.
        return redirect("applicant_page", token)
    answer = request.POST.get("answer")
    if answer in {"accept", "decline"}:
        # Already answered: the page shows the answer.
        with contextlib.suppress(ValidationError):
            services.offer_answer(application=application, accept=answer == "accept")
    return redirect("applicant_page", token)


def applicant_document(request: HttpRequest, token: str, document_id: int) -> HttpResponse:
    application = _application_or_404(token)
    document = application.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404
    return pdf_response(document)


def applicant_calendar(request: HttpRequest, token: str) -> HttpResponse:
    application = _application_or_404(token)
    found = Interview.objects.filter(request__application=application).select_related(
        "request", "request__organisation", "request__application"
    )
    plan = getattr(getattr(application.cohort, "round", None), "interview_plan", None)
    return calendar_response(
        interviews.calendar_events(
            list(found), for_candidate=True, location=plan.location if plan else ""
        ),
        name=str(_("Interviews")),
        filename="interviews.ics",
    )
