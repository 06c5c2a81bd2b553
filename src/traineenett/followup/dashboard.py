"""The follow-up panel of the dashboard: how many alumni live in the region."""

from __future__ import annotations

from django.utils import timezone

from traineenett.core.dashboard import Panel
from traineenett.core.permissions import VIEW_FOLLOWUP, ProgramRequest
from traineenett.followup.selectors import sees_small_cells, settlement_report


def panel(request: ProgramRequest) -> Panel | None:
    """Shown to the programme's own people; the analyst has the suppressed reports."""
    if not request.access.can(VIEW_FOLLOWUP) or not sees_small_cells(request.access):
        return None
    report = settlement_report([request.program], timezone.localdate())
    figures = report.total
    if not figures.alumni:
        return None
    return Panel("followup/_dashboard_panel.html", {"figures": figures})
