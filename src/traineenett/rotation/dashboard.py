"""Rotation planning on the dashboard: the coordinator's latest plan, a trainee's wishes,
a host's rating sheets."""

from __future__ import annotations

from traineenett.core.dashboard import Panel
from traineenett.core.permissions import (
    MANAGE_ROTATION,
    VIEW_OWN_ORGANISATION,
    VIEW_OWN_PLAN,
    ProgramRequest,
)
from traineenett.rotation import selectors
from traineenett.rotation.models import RotationPlan, Wish


def panel(request: ProgramRequest) -> Panel | None:
    access = request.access
    program = access.program
    if access.can(MANAGE_ROTATION):
        latest = (
            RotationPlan.objects.filter(program=program)
            .select_related("cohort")
            .order_by("-created_at", "-pk")
            .first()
        )
        return Panel("rotation/_dashboard_panel.html", {"role": "coordinator", "plan": latest})
    if access.can(VIEW_OWN_PLAN):
        records = selectors.own_trainee_records(program, access.user_id)
        if not records:
            return None
        count = Wish.objects.filter(trainee=records[0]).count()
        return Panel("rotation/_dashboard_panel.html", {"role": "trainee", "wishes": count})
    if access.can(VIEW_OWN_ORGANISATION):
        sheets = selectors.rating_sheets(program, access.host_organisation_ids)
        if not sheets:
            return None
        to_rate = sum(len(s.trainees) - len(s.scores) for s in sheets)
        return Panel("rotation/_dashboard_panel.html", {"role": "host", "to_rate": to_rate})
    return None
