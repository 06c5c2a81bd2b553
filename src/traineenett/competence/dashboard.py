"""The competence programme's panel on the dashboard: the next session (and, for a
trainee, their days so far)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from traineenett.competence import selectors
from traineenett.core.dashboard import Panel
from traineenett.core.permissions import TRAINEE_COMPETENCE, VIEW_COMPETENCE, ProgramRequest


def panel(request: ProgramRequest) -> Panel | None:
    access = request.access
    if not access.can(VIEW_COMPETENCE):
        return None
    now = timezone.now()
    upcoming = selectors.sessions_visible_to(access).filter(ends_at__gte=now).order_by("starts_at")
    context: dict[str, Any] = {
        "next": upcoming.first(),
        "url": reverse("competence:sessions", args=[access.program.slug]),
        "progress": None,
    }
    if access.can(TRAINEE_COMPETENCE):
        trainee = selectors.my_trainee(access)
        if trainee is not None:
            context["progress"] = selectors.progress_of([trainee], now)[0].progress
            context["url"] = reverse("competence:home", args=[access.program.slug])
    return Panel("competence/_panel.html", context)
