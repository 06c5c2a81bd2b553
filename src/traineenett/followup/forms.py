"""Forms of the follow-up pages: they only validate; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from traineenett.core.forms_widgets import DateInput

YES_NO_UNKNOWN = [("", _("Unknown")), ("true", _("Yes")), ("false", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())


class ResidenceForm(forms.Form):
    observed_on = forms.DateField(label=_("Date"), widget=DateInput())
    municipality_number = forms.CharField(
        label=_("Municipality number"),
        max_length=4,
        help_text=_(
            "The 4-digit number as reported on that date (old numbers for old dates, "
            "e.g. 0403 Hamar before 2020)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class EmploymentForm(forms.Form):
    observed_on = forms.DateField(label=_("Date"), widget=DateInput())
    employer_name = forms.CharField(label=_("Employer"), max_length=200)
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,
        required=False,
        help_text=_("Optional; 9 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    employer_is_member = forms.TypedChoiceField(
        label=_("The employer is a member of the programme"),
        choices=YES_NO_UNKNOWN,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    relevant_to_education = forms.TypedChoiceField(
        label=_("The job is relevant to the education"),
        choices=YES_NO_UNKNOWN,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "UTF-8 with the header program,person,cohort,program_end,offered_job,"
            "observed_on,municipality; one row per residence observation."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
