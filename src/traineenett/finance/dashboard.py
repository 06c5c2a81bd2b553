"""The finance panel of the dashboard: self-financing with its history, cost per trainee."""

from __future__ import annotations

from django.utils import timezone

from traineenett.core.dashboard import Panel
from traineenett.core.permissions import VIEW_FINANCE, ProgramRequest
from traineenett.finance import selectors


def panel(request: ProgramRequest) -> Panel | None:
    if not request.access.can(VIEW_FINANCE):
        return None
    program = request.program
    years = selectors.budget_years(program)
    return Panel(
        "finance/_dashboard_panel.html",
        {
            "years": years,
            "latest": years[-1] if years else None,
            "cost": selectors.trainee_cost(program, timezone.localdate(), years),
        },
    )
