"""Resolve the programme from the URL and the user's access to it, once per request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse

from traineenett.core.models import Program
from traineenett.core.permissions import access_for


class ProgramMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.program = None  # type: ignore[attr-defined]
        request.access = None  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: dict[str, Any]
    ) -> None:
        slug = kwargs.pop("program_slug", None)
        if slug is None:
            return None
        # Isolation by construction: a programme-scoped view that forgot to declare its
        # capability is a programming error, not an open door.
        if not hasattr(view, "required_capability"):
            raise ImproperlyConfigured(f"{view.__module__}.{view.__name__} declares no capability")
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise Http404
        request.program = program  # type: ignore[attr-defined]
        request.access = access_for(request.user, program)  # type: ignore[attr-defined]
        return None
