from typing import Any

from django.http import HttpRequest

from traineenett.core import permissions


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The programme and the capabilities the templates use to build the menu."""
    access = getattr(request, "access", None)
    # A programme is named on the page only to those with a role in it: a 404 for an
    # outsider must look exactly like the 404 of a programme that does not exist.
    member = access is not None and access.is_member
    return {
        "program": getattr(request, "program", None) if member else None,
        "access": access,
        "can": access.capabilities if access is not None else frozenset(),
        "caps": permissions,
    }
