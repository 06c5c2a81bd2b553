"""The recruitment panel on the programme dashboard."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from traineenett.core.dashboard import Panel
from traineenett.core.permissions import HOST_RECRUITMENT, VIEW_RECRUITMENT, ProgramRequest
from traineenett.recruitment import selectors
from traineenett.recruitment.models import Application, Round


def panel(request: ProgramRequest) -> Panel | None:
    access = request.access
    program = request.program
    if access.can(VIEW_RECRUITMENT):
        round_ = Round.objects.filter(program=program).select_related("cohort").first()
        if round_ is None:
            return None
        by_stage = (
            Application.objects.filter(cohort=round_.cohort, anonymised_at__isnull=True)
            .values("stage__name", "stage__order")
            .annotate(count=Count("pk"))
            .order_by("stage__order")
        )
        return Panel(
            "recruitment/_panel.html",
            {
                "round": round_,
                "stages": [(row["stage__name"], row["count"]) for row in by_stage],
                "url": reverse("recruitment:pipeline", args=[program.slug]),
            },
        )
    if access.can(HOST_RECRUITMENT):
        return Panel(
            "recruitment/_panel.html",
            {
                "candidates": selectors.host_candidates(access).count(),
                "url": reverse("recruitment:host_home", args=[program.slug]),
            },
        )
    return None
