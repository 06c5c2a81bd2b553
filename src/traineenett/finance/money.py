"""Money arithmetic and formatting (pure Python, no Django).

The one rounding rule of the platform: every amount is a ``Decimal``; an invoice line's
net amount (quantity × unit price) is rounded to whole øre with ROUND_HALF_UP, its VAT
(net × rate) is computed from that rounded net and rounded the same way, the line total is
net + VAT, and an invoice's totals are the sums of its lines. Quantities that come from
day-precise pro-rating (months hosted) are rounded to four decimals first, so that the
printed quantity × the printed price gives the printed amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
QUANTITY_STEP = Decimal("0.0001")
ZERO = Decimal("0")


def round_ore(amount: Decimal) -> Decimal:
    """Round to whole øre, halves away from zero (ROUND_HALF_UP)."""
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_quantity(quantity: Decimal) -> Decimal:
    return quantity.quantize(QUANTITY_STEP, rounding=ROUND_HALF_UP)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, vat_percent: Decimal
) -> tuple[Decimal, Decimal, Decimal]:
    """(net, VAT, total) of one invoice line under the rounding rule above."""
    net = round_ore(quantity * unit_price)
    vat = round_ore(net * vat_percent / 100)
    return net, vat, net + vat


def format_nok(amount: Decimal | int | None, *, currency: bool = True) -> str:
    """Norwegian format: "12 345,50 kr" (a no-break space between thousands), "-1 250,00 kr"."""
    if amount is None:
        return "–"
    value = round_ore(Decimal(amount))
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{sign}{chr(0xA0).join(groups)},{fraction}"
    return f"{text}\xa0kr" if currency else text
