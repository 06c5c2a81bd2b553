"""The coordinator's attendance overview as an Excel workbook (openpyxl)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from traineenett.competence.models import AttendanceStatus
from traineenett.competence.selectors import CohortOverview
from traineenett.core.spreadsheets import workbook_bytes


def overview_workbook(overview: CohortOverview) -> bytes:
    """Sheet 1: trainees × sessions with statuses and totals; sheet 2: per session."""
    labels = dict(AttendanceStatus.choices)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Per trainee")[:31]
    header = [
        _("Trainee"),
        *[f"{timezone.localtime(s.starts_at):%d.%m.%Y} {s.title}" for s in overview.sessions],
        _("Days credited"),
        _("Days required"),
        _("Reflections"),
        _("Warnings"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for progress, cells in overview.rows:
        sheet.append(
            [
                progress.trainee.full_name,
                *[str(labels[a.status]) if a else "" for a in cells],
                float(progress.progress.credited),
                float(progress.progress.required),
                progress.reflections,
                len(progress.warnings),
            ]
        )
    sheet.freeze_panes = "B2"
    per_session = workbook.create_sheet(_("Per session")[:31])
    per_session.append([_("Date"), _("Session"), _("Module"), _("Days"), _("Present or late")])
    for cell in per_session[1]:
        cell.font = Font(bold=True)
    for session, present in zip(overview.sessions, overview.present_per_session, strict=True):
        per_session.append(
            [
                timezone.localtime(session.starts_at).date(),
                session.title,
                session.module.name,
                float(session.days),
                present,
            ]
        )
    return workbook_bytes(workbook)
