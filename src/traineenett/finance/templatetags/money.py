"""``{{ amount|nok }}`` → "12 345,50 kr"; ``{{ amount|nok:"plain" }}`` without "kr"."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from traineenett.finance.money import format_nok

register = template.Library()


@register.filter
def nok(value: object, style: str = "") -> str:
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_nok(amount, currency=style != "plain")


@register.filter
def quantity(value: object) -> str:
    """A quantity without trailing zeros, with a decimal comma: 7,4667; 1."""
    try:
        text = f"{Decimal(str(value)):.4f}".rstrip("0").rstrip(".")
    except InvalidOperation:
        return str(value)
    return text.replace(".", ",")
