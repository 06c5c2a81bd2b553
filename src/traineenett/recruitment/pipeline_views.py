"""The pipeline: list and kanban views, bulk actions, one application, offers."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from traineenett.core.forms import add_service_errors
from traineenett.core.permissions import (
    MANAGE_RECRUITMENT,
    VIEW_RECRUITMENT,
    ProgramRequest,
    requires,
)
from traineenett.recruitment import selectors, services
from traineenett.recruitment.forms import BulkForm, MoveForm, NoteForm, OfferForm, OverrideForm
from traineenett.recruitment.models import Application, Offer, Position, Stage

PAGE_SIZE = 100
KANBAN_CARDS_PER_STAGE = 30


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(request: ProgramRequest) -> selectors.PipelineFilter:
    get = request.GET
    return selectors.PipelineFilter(
        round_id=_int(get.get("round")),
        stage_id=_int(get.get("stage")),
        position_id=_int(get.get("position")),
        eligible=get.get("eligible", "") if get.get("eligible") in {"yes", "no"} else "",
        duplicates=get.get("duplicates") == "1",
        query=get.get("q", "").strip()[:100],
    )


def _filter_context(
    request: ProgramRequest, filters: selectors.PipelineFilter
) -> dict[str, object]:
    program = request.program
    return {
        "filters": filters,
        "stages": services.stages_ensure(program),
        "rounds": selectors.rounds_of_program(program),
        "positions": Position.objects.filter(round__program=program).order_by("title"),
        "query_string": urlencode(
            {k: str(v) for k, v in request.GET.items() if k != "page" and v}, doseq=False
        ),
    }


@requires(VIEW_RECRUITMENT)
def pipeline(request: ProgramRequest) -> HttpResponse:
    filters = _filters(request)
    applications = selectors.pipeline(request.program, filters)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _filter_context(request, filters)
    context.update(
        {
            "page": page,
            "now": timezone.now(),
            "bulk_form": BulkForm(stages=selectors.stages_of_program(request.program)),
            "can_manage": request.access.can(MANAGE_RECRUITMENT),
        }
    )
    return render(request, "recruitment/pipeline.html", context)


@dataclass(frozen=True)
class KanbanColumn:
    stage: Stage
    cards: list[Application]
    total: int
    list_url: str

    @property
    def hidden(self) -> int:
        return self.total - len(self.cards)


@requires(VIEW_RECRUITMENT)
def kanban(request: ProgramRequest) -> HttpResponse:
    filters = _filters(request)
    program = request.program
    cards = list(selectors.kanban_cards(program, filters, KANBAN_CARDS_PER_STAGE))
    counts = selectors.stage_counts(program, filters)
    context = _filter_context(request, filters)
    others = {k: str(v) for k, v in request.GET.items() if k not in {"page", "stage"} and v}
    list_url = reverse("recruitment:pipeline", args=[program.slug])
    columns = [
        KanbanColumn(
            stage=stage,
            cards=[a for a in cards if a.stage_id == stage.pk],
            total=counts.get(stage.pk, 0),
            list_url=f"{list_url}?{urlencode({**others, 'stage': str(stage.pk)})}",
        )
        for stage in context["stages"]  # type: ignore[attr-defined]
    ]
    context.update(
        {
            "columns": columns,
            "now": timezone.now(),
            "can_manage": request.access.can(MANAGE_RECRUITMENT),
        }
    )
    return render(request, "recruitment/kanban.html", context)


@requires(MANAGE_RECRUITMENT)
def bulk(request: ProgramRequest) -> HttpResponse:
    program = request.program
    services.stages_ensure(program)
    form = BulkForm(request.POST or None, stages=selectors.stages_of_program(program))
    back = request.POST.get("next", "")
    target = back if back.startswith(f"/{program.slug}/") else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.applications_bulk(
                program=program,
                application_ids=data["applications"],
                stage=data["stage"] if data["action"] == "move" else None,
                reject_reason=data["reason"] if data["action"] == "reject" else "",
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, _("%(count)s applications changed.") % {"count": moved})
            return redirect(target or "recruitment:pipeline", *([] if target else [program.slug]))
    if request.method == "POST":
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else str(message))
        return redirect(target or "recruitment:pipeline", *([] if target else [program.slug]))
    return redirect("recruitment:pipeline", program.slug)


def _detail_context(request: ProgramRequest, application: Application) -> dict[str, object]:
    program = request.program
    services.stages_ensure(program)
    offer = Offer.objects.filter(application=application).select_related("position").first()
    return {
        "application": application,
        "educations": application.educations.all(),
        "choices": application.choices.select_related("position"),
        "documents": application.documents.all(),
        "notes": application.notes.select_related("author"),
        "history": application.stage_changes.select_related("stage", "actor"),
        "scores": application.scores.select_related("criterion", "reviewer", "organisation"),
        "requests": application.interview_requests.select_related("organisation"),
        "duplicates": selectors.duplicates_of(application),
        "offer": offer,
        "move_form": MoveForm(
            stages=selectors.stages_of_program(program), initial={"stage": application.stage}
        ),
        "note_form": NoteForm(),
        "override_form": OverrideForm(
            initial={
                "decision": {None: "", True: "yes", False: "no"}[application.eligibility_override],
                "note": application.eligibility_note,
            }
        ),
        "can_manage": request.access.can(MANAGE_RECRUITMENT),
        "now": timezone.now(),
    }


@requires(VIEW_RECRUITMENT)
def application_detail(request: ProgramRequest, pk: int) -> HttpResponse:
    application = selectors.application_of_program(request.program, pk)
    return render(
        request, "recruitment/application_detail.html", _detail_context(request, application)
    )


@requires(MANAGE_RECRUITMENT)
def application_action(request: ProgramRequest, pk: int) -> HttpResponse:
    """One form post on the application page: move, add a note or override eligibility."""
    program = request.program
    application = selectors.application_of_program(program, pk)
    context = _detail_context(request, application)
    action = request.POST.get("action", "")
    if request.method != "POST":
        return redirect("recruitment:application", program.slug, application.pk)
    try:
        if action == "move":
            form = MoveForm(request.POST, stages=selectors.stages_of_program(program))
            context["move_form"] = form
            if form.is_valid():
                services.application_move(
                    application=application, stage=form.cleaned_data["stage"], actor=request.user
                )
                messages.success(
                    request, _("Moved to %(stage)s.") % {"stage": form.cleaned_data["stage"].name}
                )
                return redirect("recruitment:application", program.slug, application.pk)
        elif action == "note":
            form = NoteForm(request.POST)  # type: ignore[assignment]
            context["note_form"] = form
            if form.is_valid():
                services.note_add(
                    application=application, text=form.cleaned_data["text"], actor=request.user
                )
                messages.success(request, _("Note added."))
                return redirect("recruitment:application", program.slug, application.pk)
        elif action == "override":
            form = OverrideForm(request.POST)  # type: ignore[assignment]
            context["override_form"] = form
            if form.is_valid():
                services.eligibility_override_set(
                    application=application,
                    eligible=form.decision_value(),  # type: ignore[attr-defined]
                    note=form.cleaned_data["note"],
                    actor=request.user,
                )
                messages.success(request, _("Eligibility saved."))
                return redirect("recruitment:application", program.slug, application.pk)
        else:
            return redirect("recruitment:application", program.slug, application.pk)
    except ValidationError as error:
        add_service_errors(error, form)
    return render(request, "recruitment/application_detail.html", context, status=400)


@requires(MANAGE_RECRUITMENT)
def offer_create(request: ProgramRequest, pk: int) -> HttpResponse:
    program = request.program
    application = selectors.application_of_program(program, pk)
    positions = Position.objects.filter(choices__application=application).order_by("choices__rank")
    form = OfferForm(
        request.POST or None,
        positions=positions,
        initial={"position": positions.first(), "starts_on": application.cohort.starts_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_make(
                application=application,
                actor=request.user,
                link_builder=request.build_absolute_uri,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, _("Offer sent to %(name)s.") % {"name": application.full_name}
            )
            return redirect("recruitment:application", program.slug, application.pk)
    return render(
        request, "recruitment/offer_form.html", {"form": form, "application": application}
    )
