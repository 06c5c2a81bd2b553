"""Roles, the capabilities they grant, and the one decorator program views declare.

The rule (as in pretix): the middleware resolves the programme and the user's access;
a view states the capability it needs. Anonymous users are sent to log in; a user with
no role in the programme gets 404 (we do not even confirm the programme has the page);
a user with a role but without the capability gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from traineenett.core.models import Program, Role, RoleKind

# Capabilities, by name. Object-level limits (a host's own organisation, a trainee's own
# plan) are applied by the selectors, which answer 404 outside them.
VIEW_DASHBOARD = "program.view_dashboard"
VIEW_MEMBERS = "members.view"
MANAGE_MEMBERS = "members.manage"
VIEW_COHORTS = "cohorts.view"
MANAGE_COHORTS = "cohorts.manage"
VIEW_TRAINEE = "trainees.view"  # coordinator/board all; host own organisation's; trainee self
MANAGE_PEOPLE = "people.manage"
VIEW_AUDIT = "audit.view"
MANAGE_PROGRAM = "program.manage"
VIEW_OWN_ORGANISATION = "host.own_organisation"
VIEW_OWN_PLAN = "trainee.own_plan"
# Recruitment (issue 3)
VIEW_RECRUITMENT = "recruitment.view"  # figures and the pipeline, read-only
MANAGE_RECRUITMENT = "recruitment.manage"  # rounds, positions, pipeline, offers, scheduling
HOST_RECRUITMENT = "recruitment.host"  # needs, review of own candidates, interview requests
# Rotation planning (issue 4)
MANAGE_ROTATION = "rotation.manage"
# Follow-up (issue 5)
VIEW_FOLLOWUP = "followup.view"  # the programme's own settlement figures
MANAGE_FOLLOWUP = "followup.manage"  # observations, imports, survey waves
VIEW_BENCHMARK = "followup.benchmark"  # cross-programme aggregates, small cells suppressed
# Competence programme (issue 6)
VIEW_COMPETENCE = "competence.view"  # sessions and progress (a trainee: own only)
MANAGE_COMPETENCE = "competence.manage"
FACILITATE_COMPETENCE = "competence.facilitate"  # attendance, comments on reflections
TRAINEE_COMPETENCE = "competence.trainee"  # check-in, apologies, own reflections, own groups
# Finance and the board (issue 7)
VIEW_FINANCE = "finance.view"  # budget, accounts, self-financing, all invoices
MANAGE_FINANCE = "finance.manage"  # fee schedules, invoices, settlements, budget
DECIDE_MEMBERSHIP = "board.decide"  # membership applications, board meetings
VIEW_OWN_INVOICES = "finance.own_invoices"  # a host: its own organisation's invoices

CAPABILITIES: dict[str, frozenset[str]] = {
    RoleKind.COORDINATOR: frozenset(
        {
            VIEW_DASHBOARD,
            VIEW_MEMBERS,
            MANAGE_MEMBERS,
            VIEW_COHORTS,
            MANAGE_COHORTS,
            VIEW_TRAINEE,
            MANAGE_PEOPLE,
            VIEW_AUDIT,
            MANAGE_PROGRAM,
            VIEW_RECRUITMENT,
            MANAGE_RECRUITMENT,
            MANAGE_ROTATION,
            VIEW_FOLLOWUP,
            MANAGE_FOLLOWUP,
            VIEW_COMPETENCE,
            MANAGE_COMPETENCE,
            FACILITATE_COMPETENCE,
            VIEW_FINANCE,
            MANAGE_FINANCE,
            DECIDE_MEMBERSHIP,
        }
    ),
    RoleKind.BOARD: frozenset(
        {
            VIEW_DASHBOARD,
            VIEW_MEMBERS,
            VIEW_COHORTS,
            VIEW_TRAINEE,
            VIEW_RECRUITMENT,
            VIEW_FOLLOWUP,
            VIEW_FINANCE,
            DECIDE_MEMBERSHIP,
        }
    ),
    RoleKind.HOST: frozenset(
        {VIEW_DASHBOARD, VIEW_TRAINEE, VIEW_OWN_ORGANISATION, HOST_RECRUITMENT, VIEW_OWN_INVOICES}
    ),
    RoleKind.TRAINEE: frozenset(
        {VIEW_DASHBOARD, VIEW_TRAINEE, VIEW_OWN_PLAN, VIEW_COMPETENCE, TRAINEE_COMPETENCE}
    ),
    RoleKind.ANALYST: frozenset({VIEW_DASHBOARD, VIEW_FOLLOWUP, VIEW_BENCHMARK}),
    RoleKind.FACILITATOR: frozenset({VIEW_DASHBOARD, VIEW_COMPETENCE, FACILITATE_COMPETENCE}),
}


class ProgramRequest(HttpRequest):
    """A request to a programme-scoped URL, as the middleware leaves it."""

    program: Program
    access: ProgramAccess
    htmx: Any  # django_htmx.middleware.HtmxDetails


@dataclass(frozen=True)
class ProgramAccess:
    """What one user may do in one programme, resolved once per request."""

    program: Program
    user_id: int | None = None
    roles: tuple[str, ...] = ()
    host_organisation_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    @property
    def capabilities(self) -> frozenset[str]:
        granted: set[str] = set()
        for role in self.roles:
            granted |= CAPABILITIES[role]
        return frozenset(granted)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def sees_all_trainees(self) -> bool:
        return self.can(VIEW_COHORTS)


def access_for(user: Any, program: Program) -> ProgramAccess:
    if not user.is_authenticated:
        return ProgramAccess(program=program)
    roles = list(
        Role.objects.filter(user=user, program=program).values_list("kind", "organisation_id")
    )
    return ProgramAccess(
        program=program,
        user_id=user.pk,
        roles=tuple(sorted({kind for kind, _ in roles})),
        host_organisation_ids=frozenset(
            organisation_id
            for kind, organisation_id in roles
            if kind == RoleKind.HOST and organisation_id
        ),
    )


ViewFunction = TypeVar("ViewFunction", bound=Callable[..., HttpResponse])


def public(view: ViewFunction) -> ViewFunction:
    """Declare a programme-scoped view open to everyone, logged in or not (the job board,
    the membership application form). The middleware still resolves the programme and
    answers 404 for an unknown one; ``request.access`` is set as for any other view."""
    view.required_capability = None  # type: ignore[attr-defined]
    return view


def requires(capability: str) -> Callable[[ViewFunction], ViewFunction]:
    """Declare the capability a programme-scoped view needs."""

    def decorator(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            access: ProgramAccess = request.access  # type: ignore[attr-defined]  # set by the middleware
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not access.is_member:
                raise Http404
            if not access.can(capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.required_capability = capability  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorator
