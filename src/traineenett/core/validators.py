"""Norwegian validators built on maintained libraries (python-stdnum)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


def validate_organisation_number(value: str) -> None:
    """Nine digits with a valid mod-11 check digit (Brønnøysund's organisation number)."""
    try:
        orgnr.validate(value)
    except StdnumError:
        raise ValidationError(
            _("%(value)s is not a valid organisation number (9 digits with a mod-11 check digit)."),
            code="invalid_orgnr",
            params={"value": value},
        ) from None


def normalise_organisation_number(value: str) -> str:
    return orgnr.compact(value or "")
