"""Eligibility screening against a programme's rules: a pure function, no Django.

The reasons are returned as (code, parameters) pairs so the caller can translate them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ECTS_PER_YEAR = 60


@dataclass(frozen=True)
class EducationEntry:
    years: Decimal | None
    ects: int | None
    graduated_on: date


@dataclass(frozen=True)
class Rules:
    min_higher_education_years: int
    max_years_since_graduation: int


@dataclass(frozen=True)
class Reason:
    code: str  # "education_too_short" | "graduated_too_long_ago" | "too_much_work" | "no_education"
    params: dict[str, str]


@dataclass(frozen=True)
class Screening:
    eligible: bool
    education_years: Decimal
    reasons: tuple[Reason, ...]


def entry_years(entry: EducationEntry) -> Decimal:
    """Years of an entry: the years given, else its ECTS credits / 60."""
    if entry.years is not None:
        return Decimal(entry.years)
    if entry.ects is not None:
        return (Decimal(entry.ects) / ECTS_PER_YEAR).quantize(Decimal("0.1"))
    return Decimal(0)


def years_between(start: date, end: date) -> Decimal:
    days = (end - start).days
    return (Decimal(days) / Decimal("365.25")).quantize(Decimal("0.1"))


def screen(
    educations: list[EducationEntry], relevant_work_months: int, rules: Rules, reference: date
) -> Screening:
    """Screen an applicant at ``reference`` (usually the cohort's start).

    Eligible when the entries add up to at least the minimum years of higher education,
    the latest graduation is at most the maximum number of years before ``reference``, and
    the relevant work after graduation is at most that many years too.
    """
    reasons: list[Reason] = []
    total = sum((entry_years(entry) for entry in educations), Decimal(0))
    if not educations:
        reasons.append(Reason("no_education", {}))
    elif total < rules.min_higher_education_years:
        reasons.append(
            Reason(
                "education_too_short",
                {"years": str(total), "minimum": str(rules.min_higher_education_years)},
            )
        )
    if educations:
        latest = max(entry.graduated_on for entry in educations)
        since = years_between(latest, reference)
        if since > rules.max_years_since_graduation:
            reasons.append(
                Reason(
                    "graduated_too_long_ago",
                    {"years": str(since), "maximum": str(rules.max_years_since_graduation)},
                )
            )
    if relevant_work_months > rules.max_years_since_graduation * 12:
        reasons.append(
            Reason(
                "too_much_work",
                {
                    "months": str(relevant_work_months),
                    "maximum": str(rules.max_years_since_graduation * 12),
                },
            )
        )
    return Screening(eligible=not reasons, education_years=total, reasons=tuple(reasons))
