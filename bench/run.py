"""Render every list, detail and form page at national scale; report queries and time.

    python bench/run.py [--requests N] [--keep]

Exits non-zero when a page's p95 exceeds the budget or its query count differs between
a small and the large programme. See bench/README.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OUT_DIR = Path(__file__).resolve().parent / "out"
BUDGET_MS = 150.0
SKIP_PREFIXES = ("admin/", "i18n/", "accounts/", "invitation/")
# The first of these whose role grants a view's capability fetches the page.
PERSONAS = ("coordinator", "host", "trainee", "board", "analyst", "facilitator")
# Views declared with a capability every role has that then let only hosts go on.
PERSONA_FOR = {
    "recruitment:need_submit": "host",
    "recruitment:host_review": "host",
    "recruitment:host_availability": "host",
    "recruitment:host_calendar": "host",
    "competence:apology": "trainee",  # a trainee's own things (404 to anyone else)
    "competence:reflection_write": "trainee",
}
# Apps still being written: their data is not generated and their pages are listed as
# TEMPORARILY skipped (surveys, competence and finance were, until 27.11.2026 17:25 UTC).
PENDING_APPS: tuple[str, ...] = ()
PENDING_ROUTES = (("surveys", "survey/"), ("competence", "calendar/competence/"))  # at the root
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass(frozen=True)
class Page:
    name: str
    route: str
    view: Callable[..., Any]


@dataclass
class Target:
    """A programme, the values to put in its URLs and a client per persona."""

    program: Any
    # "<app>:<segment before <pk>>" or "<segment>" -> pk; "<app>:<kwarg>" -> other kwargs
    # (tokens, years); <app> is the namespace, or the first path segment at the root.
    ids: dict[str, int | str]
    clients: dict[str, Any]  # logged in per persona, and "anonymous"


@dataclass(frozen=True)
class Result:
    page: str
    persona: str
    kind: str  # the response's content type, short: html, ics, csv, xlsx, pdf, json, xml
    small: int
    large: int
    median: float
    p95: float
    cpu: float  # median CPU time: the wall time less waiting for a busy machine


def pages(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Page]:
    """Every URL pattern of the project outside SKIP_PREFIXES, with its full name."""
    from django.urls import URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIP_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from pages(pattern.url_patterns, route, inner)
        else:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
            yield Page(name, route, pattern.callback)


def persona(page: Page) -> str:
    """Who fetches the page: anonymous for public programme pages (``@public``) and for
    personal links at the root; else the first persona whose role has the capability."""
    from traineenett.core.permissions import CAPABILITIES

    if page.name in PERSONA_FOR:
        return PERSONA_FOR[page.name]
    if "<str:token>" in page.route and "program_slug" not in page.route:
        return "anonymous"
    capability = getattr(page.view, "required_capability", "")
    if capability is None:
        return "anonymous"
    return next(p for p in PERSONAS if not capability or capability in CAPABILITIES[p])


def pending(page: Page, apps: tuple[str, ...]) -> bool:
    """Is the page one of the apps still being finished (or their personal links)?"""
    routes = tuple(route for app, route in PENDING_ROUTES if app in apps)
    return page.name.split(":")[0] in apps or page.route.startswith(routes)


def target(program: Any, skip: tuple[str, ...]) -> Target:
    from django.db.models import Count
    from django.test import Client

    from traineenett.cohorts.models import Cohort, Trainee
    from traineenett.core.models import Role
    from traineenett.members.models import Membership

    roles = {
        role.kind: role for role in Role.objects.filter(program=program).select_related("user")
    }
    trainee = Trainee.objects.get(program=program, user=roles["trainee"].user)  # most placements
    cohort = (
        Cohort.objects.filter(program=program).annotate(n=Count("trainees")).order_by("-n", "pk")
    )
    ids: dict[str, int | str] = {
        "cohorts": cohort[0].pk,
        "trainees": trainee.pk,
        "placements": trainee.placements.order_by("pk")[0].pk,
        "members": Membership.objects.get(
            program=program, organisation=roles["host"].organisation
        ).pk,
        "roles": roles["coordinator"].pk,
    }
    for app, app_ids in APP_IDS.items():
        if app not in skip:
            ids |= app_ids(program, roles)
    clients = {"anonymous": Client()}
    for kind in PERSONAS:
        clients[kind] = Client()
        clients[kind].force_login(roles[kind].user, backend=MODEL_BACKEND)
    return Target(program, ids, clients)


def recruitment_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """The show-case application 0 (see generate.py) and what hangs off it."""
    from generate import APPLICANT_TOKEN
    from traineenett.recruitment.models import Application, Document, DocumentKind, Round

    application = Application.objects.get(
        program=program, idempotency_key=f"bench-{program.slug}-0"
    )
    round_ = Round.objects.get(cohort=application.cohort)
    position = application.choices.get(rank=1).position
    document = Document.objects.get(application=application, kind=DocumentKind.CV)
    return {
        "recruitment:rounds": round_.pk,
        "recruitment:positions": position.pk,
        "recruitment:jobs": position.pk,
        "recruitment:applications": application.pk,
        "recruitment:candidates": application.pk,
        "recruitment:documents": document.pk,
        "recruitment:interview-days": round_.interview_plan.days.order_by("date")[0].pk,
        "recruitment:organisations": roles["host"].organisation_id,
        "apply:token": APPLICANT_TOKEN.format(slug=program.slug, index=0),
        "apply:document_id": document.pk,
    }


def rotation_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """The cohort of the programme's rotation plan, its first trainee, a conflict."""
    from traineenett.rotation.models import ForbiddenPair, RotationPlan

    plan = RotationPlan.objects.filter(program=program).order_by("pk")[0]
    trainee = plan.cohort.trainees.order_by("last_name", "first_name", "pk")[0]
    return {
        "rotation:cohorts": plan.cohort_id,
        "rotation:plans": plan.pk,
        "rotation:trainees": trainee.pk,
        "rotation:conflicts": ForbiddenPair.objects.filter(trainee__program=program)
        .order_by("pk")[0]
        .pk,
    }


def followup_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """The finished cohort with most alumni; the first alumnus observed four times."""
    from django.db.models import Count

    from traineenett.followup.models import Alumnus

    alumni = Alumnus.objects.filter(program=program).annotate(n=Count("residences"))
    cohort = alumni.values("cohort").annotate(size=Count("pk")).order_by("-size", "cohort")
    return {
        "followup:cohorts": cohort[0]["cohort"],
        "followup:alumni": alumni.order_by("-n", "pk")[0].pk,
    }


def surveys_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """The open wave with most invitations and its first (unanswered) personal link."""
    from django.db.models import Count

    from traineenett.surveys.models import Invitation, Wave
    from traineenett.surveys.services import invitation_token

    wave = (
        Wave.objects.filter(program=program)
        .annotate(n=Count("invitations"))
        .order_by("-n", "pk")[0]
    )
    invitation = Invitation.objects.filter(wave=wave).order_by("pk")[0]
    return {"surveys:waves": wave.pk, "survey:token": invitation_token(invitation)}


def competence_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """The trainee log-in's cohort: its first session (held: attendance, an assignment,
    reflections, a file), its next session (for an apology), its group."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from traineenett.cohorts.models import Trainee
    from traineenett.competence.models import (
        CalendarFeed,
        GroupMember,
        GroupTask,
        Material,
        Module,
        Reflection,
        Session,
    )

    trainee = Trainee.objects.get(program=program, user=roles["trainee"].user)
    sessions = Session.objects.filter(cohorts=trainee.cohort)
    held = sessions.filter(ends_at__lt=timezone.now()).order_by("starts_at")[0]
    coming = sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at")[0]
    assignment = held.assignments.order_by("pk")[0]
    member = GroupMember.objects.filter(trainee__cohort=trainee.cohort).order_by("pk")[0]
    return {
        "competence:sessions": held.pk,
        "competence:apology:sessions": coming.pk,
        "competence:materials": Material.objects.filter(session=held).exclude(file="").get().pk,
        "competence:assignments": assignment.pk,
        "competence:reflections": Reflection.objects.filter(assignment=assignment)
        .order_by("pk")[0]
        .pk,
        "competence:modules": Module.objects.filter(program=program).order_by("pk")[0].pk,
        "competence:overview": trainee.cohort_id,
        "competence:cohorts": trainee.cohort_id,
        "competence:trainees": trainee.pk,
        # The certificate: the first trainee present at all ten sessions (20 days).
        "competence:certificate:trainees": Trainee.objects.filter(program=program)
        .annotate(present=Count("attendances", filter=Q(attendances__status="present")))
        .filter(present__gte=10)
        .order_by("pk")[0]
        .pk,
        "competence:rounds": member.round_id,
        "competence:members": member.pk,
        "competence:groups": member.group_id,
        "competence:tasks": GroupTask.objects.filter(group=member.group).order_by("pk")[0].pk,
        "calendar:token": CalendarFeed.objects.get(trainee=trainee).token,
    }


def finance_ids(program: Any, roles: dict[str, Any]) -> dict[str, int | str]:
    """An issued invoice of the host log-in's organisation (also for "my invoices"), a
    draft for the edit page, the first of everything else."""
    from django.utils import timezone

    from traineenett.finance.models import (
        BillingContact,
        BoardMeeting,
        BoardSeat,
        FeeSchedule,
        Invoice,
        MeetingAttachment,
        MembershipApplication,
    )

    invoices = Invoice.objects.filter(program=program).order_by("pk")
    numbered = invoices.filter(number__isnull=False)
    issued = (numbered.filter(organisation=roles["host"].organisation) or numbered)[0]
    schedule = FeeSchedule.objects.filter(program=program).order_by("pk")[0]
    meeting = BoardMeeting.objects.filter(program=program).order_by("pk")[0]
    return {
        "finance:billing": BillingContact.objects.filter(program=program).order_by("pk")[0].pk,
        "finance:fees": schedule.pk,
        "finance:rules": schedule.rules.order_by("pk")[0].pk,
        "finance:invoices": issued.pk,
        "finance:invoice_edit:invoices": invoices.filter(number__isnull=True)[0].pk,
        "finance:invoice_id": issued.pk,
        "finance:year": timezone.localdate().year,
        "finance:applications": MembershipApplication.objects.filter(program=program)
        .order_by("pk")[0]
        .pk,
        "finance:seats": BoardSeat.objects.filter(program=program).order_by("pk")[0].pk,
        "finance:meetings": meeting.pk,
        "finance:attachments": MeetingAttachment.objects.filter(meeting=meeting)[0].pk,
    }


APP_IDS: dict[str, Callable[[Any, dict[str, Any]], dict[str, int | str]]] = {
    "recruitment": recruitment_ids,
    "rotation": rotation_ids,
    "followup": followup_ids,
    "surveys": surveys_ids,
    "competence": competence_ids,
    "finance": finance_ids,
}


def url(page: Page, on: Target) -> str:
    from django.urls import reverse

    app = page.name.split(":")[0] if ":" in page.name else page.route.split("/")[0]
    kwargs: dict[str, Any] = {}
    for key in re.findall(r"<(?:\w+:)?(\w+)>", page.route):
        segment = re.search(rf"([\w-]+)/<(?:\w+:)?{key}>", page.route)
        names = []
        if key == "pk" and segment:  # most specific first: this page, this app, any app
            names = [f"{page.name}:{segment[1]}", f"{app}:{segment[1]}", segment[1]]
        names += [f"{page.name}:{key}", f"{app}:{key}"]
        found = next((on.ids[name] for name in names if name in on.ids), None)
        if key == "program_slug":
            kwargs[key] = on.program.slug
        elif found is not None:
            kwargs[key] = found
        else:
            sys.exit(
                f"{page.name} ({page.route}): no value for <{key}> (tried {', '.join(names)}); "
                "add one in bench/run.py"
            )
    return reverse(page.name, kwargs=kwargs)


def fetch(client: Any, path: str) -> tuple[int, str, list[dict[str, str]]]:
    """Status, short content type and the SQL of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    kind = response.get("Content-Type", "").split(";")[0].split("/")[-1]
    kind = KINDS.get(kind, kind)
    return response.status_code, kind, captured.captured_queries


KINDS = {
    "calendar": "ics",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "rss+xml": "rss",
}


def timed(client: Any, path: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one GET."""
    wall, cpu = time.perf_counter(), time.process_time()
    status = client.get(path).status_code
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if status != 200:
        sys.exit(f"GET {path}: HTTP {status}")
    return wall * 1000, cpu * 1000


def shape(sql: str) -> str:
    """The statement with literals as ? and IN lists collapsed, to compare across programmes."""
    return re.sub(r"IN \((\?, )*\?\)", "IN (?)", re.sub(r"'[^']*'|\b\d+\b", "?", sql))


def growth(small: list[dict[str, str]], large: list[dict[str, str]]) -> list[str]:
    """The statements (with literals as ?) whose count differs between the programmes."""
    before, after = Counter(shape(q["sql"]) for q in small), Counter(shape(q["sql"]) for q in large)
    return [
        f"    {before[sql]} -> {after[sql]} x  {sql}"
        for sql in sorted(before | after)
        if before[sql] != after[sql]
    ]


def slowest(queries: list[dict[str, str]]) -> list[str]:
    total = sum(float(q["time"]) for q in queries) * 1000
    worst = max(queries, key=lambda q: float(q["time"]))
    return [f"    SQL {total:.0f} ms in all; slowest: {worst['sql'][:300]}"]


def measure(
    page: Page, small: Target, large: Target, requests: int
) -> tuple[Result | str, list[str]]:
    """Query counts on both programmes, then ``requests`` timed GETs on the large one."""
    who = persona(page)
    small_path, large_path = url(page, small), url(page, large)
    # Warm-up on both (template and other caches, per-programme settings made on first use).
    fetch(small.clients[who], small_path)
    fetch(large.clients[who], large_path)
    status, kind, small_sql = fetch(small.clients[who], small_path)
    if status == 405:
        return "POST-only", []
    large_status, _kind, large_sql = fetch(large.clients[who], large_path)
    if status == large_status == 302:
        return "redirects on GET", []
    if (status, large_status) != (200, 200):
        sys.exit(
            f"{page.name} as {who}: HTTP {status} ({small_path}), {large_status} ({large_path})"
        )
    walls, cpus = zip(
        *(timed(large.clients[who], large_path) for _ in range(requests)), strict=True
    )
    p95 = statistics.quantiles(walls, n=20, method="inclusive")[-1]
    median, cpu = statistics.median(walls), statistics.median(cpus)
    result = Result(page.name, who, kind, len(small_sql), len(large_sql), median, p95, cpu)
    problems = []
    if result.small != result.large:
        problems += [f"{page.name}: {result.small} queries (small), {result.large} (large):"]
        problems += growth(small_sql, large_sql)
    if p95 > BUDGET_MS:
        busy = "over the budget on CPU alone" if cpu > BUDGET_MS else "the rest was waiting"
        problems += [
            f"{page.name}: p95 {p95:.0f} ms > {BUDGET_MS:.0f} ms "
            f"(median {median:.0f} ms, of which CPU {cpu:.0f} ms: {busy})"
        ]
        problems += slowest(large_sql)
    return result, problems


def report(results: list[Result], header: list[str], problems: list[str]) -> str:
    lines = [
        *header,
        "",
        "| page (URL name) | as | type | queries (small) | queries (large) "
        "| median ms | p95 ms | CPU ms |",
    ]
    lines.append("|---|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        flag = " ⚠" if r.small != r.large or r.p95 > BUDGET_MS else ""
        times = f"{r.median:.1f} | {r.p95:.1f} | {r.cpu:.1f}"
        lines.append(
            f"| {r.page}{flag} | {r.persona} | {r.kind} | {r.small} | {r.large} | {times} |"
        )
    verdict = "FAIL" if problems else "PASS"
    grow = [r.page for r in results if r.small != r.large]
    slow = [r.page for r in results if r.p95 > BUDGET_MS]
    heavy = [r.page for r in results if r.cpu > BUDGET_MS]
    lines += [
        "",
        f"**{verdict}** (budget: p95 ≤ {BUDGET_MS:.0f} ms, equal query counts): "
        f"{len(grow)} of {len(results)} pages with growing queries, {len(slow)} over the "
        f"budget in wall time, {len(heavy)} also in median CPU time"
        + (f" ({', '.join(heavy)})" if heavy else ""),
        "",
        *problems,
    ]
    return "\n".join(lines) + "\n"


def dataset() -> str:
    from django.utils import translation

    from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
    from traineenett.core.models import AuditEntry, Program, User
    from traineenett.members.models import Membership, Organisation

    models = (
        Program,
        Organisation,
        Membership,
        Cohort,
        Period,
        Trainee,
        Placement,
        User,
        AuditEntry,
    )
    with translation.override("en"):
        return ", ".join(f"{m.objects.count():,} {m._meta.verbose_name_plural}" for m in models)


def configure(keep: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traineenett.settings")
    if "DATABASE_URL" not in os.environ:
        OUT_DIR.mkdir(exist_ok=True)
        database = OUT_DIR / "bench.sqlite3"
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            shutil.rmtree(OUT_DIR / "media", ignore_errors=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    # Uploaded documents of the generated data (CVs) go under bench/out, not var/.
    os.environ.setdefault("TRAINEENETT_MEDIA_ROOT", str(OUT_DIR / "media"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed GETs per page")
    parser.add_argument("--keep", action="store_true", help="reuse bench/out/bench.sqlite3")
    parser.add_argument(
        "--pending",
        default=",".join(PENDING_APPS),
        help="apps to leave out, comma-separated (default: %(default)s; '' = none)",
    )
    args = parser.parse_args()
    skip = tuple(app for app in args.pending.split(",") if app)
    configure(args.keep)

    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the POST-only probes' 405s
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # font subsetting of the PDFs
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from generate import APPS, generate, is_generated
    from traineenett.core.models import Program

    load = os.getloadavg()[0]
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    parts: dict[str, float] = {}
    if not is_generated():
        parts = generate(apps=[app for app in APPS if app not in skip])
    generated = time.perf_counter()

    programs = Program.objects.filter(slug__startswith="bench-").annotate(n=Count("trainees"))
    large = programs.order_by("-n", "slug")[0]
    # The smallest programme with the same rotation and employment model as the large one.
    alike = programs.filter(
        employment_model=large.employment_model,
        rotation_period_count=large.rotation_period_count,
        rotation_period_months=large.rotation_period_months,
    )
    small = alike.order_by("n", "slug")[0]
    targets = target(small, skip), target(large, skip)
    results, problems, skipped, postponed = [], [], [], []
    for page in pages():
        if pending(page, skip):
            postponed.append(page.name)
            continue
        result, page_problems = measure(page, *targets, args.requests)
        if isinstance(result, str):
            skipped.append(f"{page.name} ({result})")
        else:
            results.append(result)
            problems += page_problems
    done = time.perf_counter()

    header = [
        "# Traineenett scale benchmark",
        "",
        f"- Machine: {os.cpu_count()} CPUs, {platform.platform()}, "
        f"Python {platform.python_version()}, load average at start {load:.2f}",
        f"- Database: {connection.vendor}",
        f"- Data: {dataset()}",
        f"- Large: {large.slug} ({large.n} trainees); small: {small.slug} ({small.n} trainees)",
        f"- {args.requests} timed GETs per page on the large programme; not pages: "
        + (", ".join(skipped) or "none"),
        "- TEMPORARILY skipped (apps still being finished: "
        + (", ".join(skip) or "none")
        + "): "
        + (", ".join(postponed) or "none"),
        f"- Migrate {migrated - start:.1f} s, generate {generated - migrated:.1f} s "
        f"({', '.join(f'{part} {s:.0f} s' for part, s in parts.items()) or 'kept'}), "
        f"benchmark {done - generated:.1f} s",
    ]
    text = report(results, header, problems)
    print(text)
    OUT_DIR.mkdir(exist_ok=True)
    (OUT_DIR / "results.md").write_text(text, encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
