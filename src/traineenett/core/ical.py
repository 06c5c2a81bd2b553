"""iCalendar files and feeds (RFC 5545), one way for the whole platform.

Times are written in the Europe/Oslo time zone with its VTIMEZONE, so Outlook and Google
show them right whatever the subscriber's own zone. Recruitment days (an ``.ics`` per
candidate and host) and the competence programme (a feed per trainee and cohort) use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

OSLO = ZoneInfo("Europe/Oslo")
PRODUCT_ID = "-//Traineenett//traineenett//NB"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str  # stable across downloads, so a re-import updates instead of duplicating
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""


def calendar_bytes(events: Iterable[CalendarEvent], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Oslo")
    stamp = timezone.now()
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start.astimezone(OSLO))
        event.add("dtend", item.end.astimezone(OSLO))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def calendar_response(
    events: Iterable[CalendarEvent], name: str, filename: str, *, attachment: bool = True
) -> HttpResponse:
    """An ``.ics`` download (``attachment``) or a subscribable feed (``attachment=False``)."""
    response = HttpResponse(
        calendar_bytes(events, name), content_type="text/calendar; charset=utf-8"
    )
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
