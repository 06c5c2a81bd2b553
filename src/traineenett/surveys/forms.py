from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from traineenett.surveys.models import SurveySettings

MUNICIPALITY_LIST_ID = "municipality-options"


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = SurveySettings
        fields = ["horizons", "wave_open_days", "link_valid_days", "reminder_days"]


RELEVANCE_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("No job / do not want to say"))]
MATTERED_CHOICES = [
    ("1", _("1 – not at all")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _("5 – very much")),
]


class AnswerForm(forms.Form):
    """The alumnus's answer. The municipality is a text input with a list of the current
    municipalities to pick from (``<datalist>``); the service checks what was typed."""

    municipality = forms.CharField(
        label=_("Municipality you live in"),
        max_length=120,
        help_text=_("Start typing the name or the 4-digit number and pick from the list."),
        widget=forms.TextInput(
            attrs={"list": MUNICIPALITY_LIST_ID, "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    employer_name = forms.CharField(
        label=_("Employer"),
        max_length=200,
        required=False,
        help_text=_("Leave empty if you have no job at the moment."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_number = forms.CharField(
        label=_("Employer's organisation number (optional)"),
        max_length=20,
        required=False,
        help_text=_("9 digits, as in the Brønnøysund Register Centre."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    relevant_to_education = forms.ChoiceField(
        label=_("Is your job relevant to your education?"),
        choices=RELEVANCE_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    programme_mattered = forms.TypedChoiceField(
        label=_("How much did the programme matter for your staying in the region?"),
        choices=MATTERED_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("From 1 (not at all) to 5 (very much)."),
    )
    email = forms.EmailField(
        label=_("Your e-mail address for the next surveys"),
        required=False,
        help_text=_("Change it if you want the next invitation elsewhere."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        relevance = data.get("relevant_to_education")
        return {
            "municipality": data.get("municipality", ""),
            "employer_name": data.get("employer_name", ""),
            "organisation_number": data.get("organisation_number", ""),
            "relevant_to_education": {"yes": True, "no": False}.get(relevance or ""),
            "programme_mattered": data.get("programme_mattered"),
            "email": data.get("email", ""),
        }
