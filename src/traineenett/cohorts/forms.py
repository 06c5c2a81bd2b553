from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort, Period, Placement, Trainee
from traineenett.core.forms import limit_choices
from traineenett.core.forms_widgets import DateInput
from traineenett.core.models import Municipality, Program
from traineenett.members.selectors import member_organisations


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["label", "starts_on", "ends_on", "common_salary"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {
            "ends_on": _("Leave empty to derive it from the programme's rotation periods.")
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["ends_on"].required = bool(self.instance.pk)

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        clash = Cohort.objects.filter(program=self.program, label__iexact=label).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("This programme already has a cohort called “%(label)s”.") % {"label": label}
            )
        return label

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The end must be after the start."))
        return data

    def validate_unique(self) -> None:
        pass  # clean_label checks the label within the programme


class PeriodsForm(forms.Form):
    """One start and end field per period of a cohort."""

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            self.fields[f"start_{period.number}"] = forms.DateField(
                label=_("P%(number)s start") % {"number": period.number},
                initial=period.starts_on,
                widget=DateInput(),
            )
            self.fields[f"end_{period.number}"] = forms.DateField(
                label=_("P%(number)s end") % {"number": period.number},
                initial=period.ends_on,
                widget=DateInput(),
            )

    def rows(self) -> list[tuple[Period, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"start_{p.number}"], self[f"end_{p.number}"]) for p in self.periods]

    def spans(self) -> dict[int, tuple[Any, Any]]:
        return {
            p.number: (self.cleaned_data[f"start_{p.number}"], self.cleaned_data[f"end_{p.number}"])
            for p in self.periods
        }


class TraineeForm(forms.ModelForm):
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality before the programme"),
        queryset=Municipality.objects.all(),
        required=False,
    )

    class Meta:
        model = Trainee
        fields = [
            "first_name",
            "last_name",
            "email",
            "discipline",
            "degree",
            "institution",
            "higher_education_years",
            "home_municipality",
            "employer",
        ]

    def __init__(self, *args: Any, program: Program, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        limit_choices(self, "employer", member_organisations(program))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        clash = Trainee.objects.filter(cohort=self.cohort, email__iexact=email).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise forms.ValidationError(
                _("A trainee in this cohort already has this e-mail address.")
            )
        return email

    def validate_unique(self) -> None:
        pass  # clean_email checks the e-mail within the cohort


class PlacementForm(forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["period", "organisation", "mentor", "share_percent"]

    def __init__(self, *args: Any, program: Program, trainee: Trainee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "period", trainee.cohort.periods.order_by("number"))
        limit_choices(self, "organisation", member_organisations(program))

    def validate_unique(self) -> None:
        pass  # the service explains a repeated host in words

    def _post_clean(self) -> None:
        # The service validates the whole placement against the trainee's other ones.
        pass
