"""Formatting of settlement figures: Norwegian percentages and suppressed cells."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from traineenett.followup.tables import Count, Share, marker

register = template.Library()


@register.filter
def percent(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    return f"{number_format(value * 100, decimal_pos=decimals)}\u00a0%"


@register.simple_tag
def share_cell(cell: Share) -> SafeString:
    """ "67 % (4 of 6)"; "<5" where suppressed, "×" where withheld to protect a suppressed
    cell; "–" with nobody to count."""
    if cell.denominator_suppressed:
        return format_html('<span class="suppressed">{}</span>', marker(cell.denominator_withheld))
    if cell.numerator_suppressed:
        return format_html(
            '<span class="suppressed">{}</span> <span class="of">{}</span>',
            marker(cell.numerator_withheld),
            _("(n = %(known)s)") % {"known": cell.denominator},
        )
    if not cell.denominator:
        return format_html('<span class="of">{}</span>', "–")
    return format_html(
        '{} <span class="of">{}</span>',
        percent(cell.share),
        _("(%(resident)s of %(known)s)") % {"resident": cell.numerator, "known": cell.denominator},
    )


@register.simple_tag
def count_cell(cell: Count) -> SafeString:
    if cell.suppressed:
        return format_html('<span class="suppressed">{}</span>', marker(cell.withheld))
    return format_html("{}", number_format(cell.value, force_grouping=True))
