"""Helpers shared by the finance services."""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format


def short_date(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
