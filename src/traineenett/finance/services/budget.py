"""Yearly budget and accounts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from traineenett.core.audit import audit
from traineenett.core.models import Program
from traineenett.finance.models import (
    BudgetLine,
    BudgetSection,
    CostCategory,
    RevenueSource,
)

# -------------------------------------------------------------------------------- budget


def budget_categories() -> list[tuple[str, str, Any]]:
    """(section, category, label) in the order of the budget form."""
    costs: list[tuple[str, str, Any]] = [
        (str(BudgetSection.COST), value, label) for value, label in CostCategory.choices
    ]
    return costs + [
        (str(BudgetSection.REVENUE), value, label) for value, label in RevenueSource.choices
    ]


@transaction.atomic
def budget_save(
    *,
    program: Program,
    year: int,
    rows: dict[str, tuple[Decimal, Decimal]],
    actor: Any = None,
) -> list[BudgetLine]:
    """Store a year's budget and actuals, {category: (budgeted, actual)}; all or nothing."""
    sections = {category: section for section, category, _label in budget_categories()}
    labels = {category: label for _section, category, label in budget_categories()}
    errors: dict[str, list[str]] = {}
    for category, (budgeted, actual) in rows.items():
        if category not in sections:
            errors.setdefault("__all__", []).append(
                _("Unknown budget category: %(category)s.") % {"category": category}
            )
        elif budgeted < 0 or actual < 0:
            errors.setdefault(category, []).append(
                _("%(line)s: amounts cannot be negative.") % {"line": labels[category]}
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for category, (budgeted, actual) in rows.items():
        line, _created = BudgetLine.objects.update_or_create(
            program=program,
            year=year,
            category=category,
            defaults={"section": sections[category], "budgeted": budgeted, "actual": actual},
        )
        saved.append(line)
    audit(
        action="finance.budget.saved",
        obj=None,
        actor=actor,
        program=program,
        changes={"year": year, "lines": len(saved)},
    )
    return saved
