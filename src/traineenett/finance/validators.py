"""Norwegian payment validators (python-stdnum)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr


def validate_bank_account(value: str) -> None:
    """Eleven digits with a valid mod-11 check digit (a Norwegian bank account number)."""
    try:
        kontonr.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid bank account number (11 digits, mod-11 check digit)."),
            code="invalid_bank_account",
            params={"value": value},
        ) from None


def normalise_bank_account(value: str) -> str:
    return kontonr.compact(value or "")


def format_bank_account(value: str) -> str:
    """8601.11.17947: bank, account group and number separated by dots."""
    return str(kontonr.format(value))


def kid_for(year: int, number: int) -> str:
    """A KID payment reference: the year, the invoice number in six digits and a MOD10
    (Luhn) check digit, e.g. 2026 / 42 → 20260000425."""
    base = f"{year}{number:06d}"
    return base + luhn.calc_check_digit(base)


def kid_is_valid(kid: str) -> bool:
    return kid.isdigit() and luhn.is_valid(kid)
