from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from traineenett.core.forms import limit_choices
from traineenett.core.forms_widgets import DateInput
from traineenett.core.models import Municipality, Program
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.members.models import Membership, Organisation
from traineenett.members.selectors import member_clusters
from traineenett.members.services import ORGANISATION_FIELDS


class OrganisationForm(forms.ModelForm):
    # The number is validated here, not by the unique constraint: a known organisation
    # number is reused when a new membership is created.
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,
        help_text=_("9 digits, e.g. 974 760 673"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), to_field_name="number"
    )

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)

    def __init__(
        self, *args: Any, program: Program, editing: Organisation | None = None, **kwargs: Any
    ) -> None:
        # The form never touches a saved organisation: the service applies the cleaned
        # data, so it can tell (and audit) what changed.
        if editing is not None:
            kwargs.setdefault("initial", model_to_dict(editing, fields=self.Meta.fields))
            kwargs["initial"]["municipality"] = editing.municipality_id
        super().__init__(*args, **kwargs)
        self.editing = editing
        clusters = member_clusters(program)
        if editing is not None:
            clusters = clusters.exclude(pk=editing.pk)
        limit_choices(self, "parent_cluster", clusters)

    def clean_organisation_number(self) -> str:
        number = normalise_organisation_number(self.cleaned_data["organisation_number"])
        validate_organisation_number(number)
        clash = Organisation.objects.filter(organisation_number=number)
        if self.editing is not None and clash.exclude(pk=self.editing.pk).exists():
            raise forms.ValidationError(
                _("Another organisation already has this organisation number.")
            )
        return number

    def validate_unique(self) -> None:
        # Uniqueness of the number is handled in clean_organisation_number.
        pass


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["starts_on", "ends_on", "fee_tier"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date must be on or after the start date."))
        return data


class MembershipEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day of membership"), widget=DateInput())
