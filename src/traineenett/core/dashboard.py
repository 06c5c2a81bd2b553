"""Panels that other apps add to the programme dashboard.

An app adds a panel by giving its ``dashboard`` module a function
``panel(request) -> Panel | None`` (``None`` when the user may not see it, or there is
nothing to show). The dashboard renders the panels in the order of ``PANEL_APPS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from traineenett.core.permissions import ProgramRequest

PANEL_APPS = ("competence", "recruitment", "rotation", "followup", "finance")


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def panels(request: ProgramRequest) -> list[Panel]:
    found = []
    for app in PANEL_APPS:
        name = f"traineenett.{app}.dashboard"
        if find_spec(name) is None:
            continue
        panel = import_module(name).panel(request)
        if panel is not None:
            found.append(panel)
    return found
