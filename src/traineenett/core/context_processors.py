from typing import Any

from django.http import HttpRequest

from traineenett.core import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The programme and the capabilities the templates use to build the menu."""
    access = getattr(request, "access", None)
    return {
        "program": getattr(request, "program", None),
        "access": access,
        "can": access.capabilities if access is not None else frozenset(),
        "caps": permissions,
    }
