"""The calendar feeds at secret addresses (no log-in: calendar apps cannot log in)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from traineenett.competence import selectors
from traineenett.core.ical import CalendarEvent, calendar_response


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.feed_by_token(token)
    if feed is None:
        return render(request, "competence/feed_unknown.html", status=404)
    events = []
    for session in selectors.feed_sessions(feed):
        days = list(session.session_days.all())
        for number, day in enumerate(days, start=1):
            summary = f"{session.title} ({session.module.name})"
            if len(days) > 1:
                summary += " " + _("day %(number)s of %(count)s") % {
                    "number": number,
                    "count": len(days),
                }
            events.append(
                CalendarEvent(
                    uid=f"competence-session-{session.pk}-day-{number}@traineenett",
                    start=day.starts_at,
                    end=day.ends_at,
                    summary=summary,
                    location=session.place,
                    description=session.description,
                )
            )
    owner = feed.trainee.full_name if feed.trainee else feed.cohort.label  # type: ignore[union-attr]
    name = _("Competence programme – %(owner)s") % {"owner": owner}
    return calendar_response(events, name, "competence.ics", attachment=False)
