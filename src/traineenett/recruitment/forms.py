"""Forms for recruitment. They validate input only; the services do the writing."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort
from traineenett.core.forms import limit_choices
from traineenett.core.forms_widgets import DateInput
from traineenett.core.models import Municipality
from traineenett.members.models import Organisation
from traineenett.recruitment.documents import check_pdf
from traineenett.recruitment.models import (
    Application,
    Criterion,
    InterviewPlan,
    Position,
    Source,
    Stage,
)

DECIDED_LATER = "later"


def split_list(text: str) -> list[str]:
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]


def normalise_phone(value: str) -> str:
    """A Norwegian (default region) or international number in E.164, or a field error."""
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, e.g. 912 34 567 or +46 70 123 45 67."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PdfField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check_pdf(upload)
        return upload


# --------------------------------------------------------------- rounds, needs, positions


class RoundForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    needs_deadline = forms.DateField(label=_("Deadline for competence needs"), widget=DateInput())

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "cohort", cohorts)


class NeedForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    disciplines = forms.CharField(
        label=_("Disciplines"),
        max_length=500,
        help_text=_("Separate with commas, e.g. economics, engineering."),
    )
    places = forms.IntegerField(label=_("Number of trainees"), min_value=1, max_value=50)
    period_numbers = forms.TypedMultipleChoiceField(
        label=_("Periods you can host"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What the trainees would work on"), widget=forms.Textarea, required=False
    )
    place_of_work = forms.CharField(label=_("Place of work"), max_length=200, required=False)

    def __init__(self, *args: Any, organisations: Any, periods: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", organisations)
        field = self.fields["period_numbers"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(n, f"P{n}") for n in periods]

    def clean_disciplines(self) -> list[str]:
        disciplines = split_list(self.cleaned_data["disciplines"])
        if not disciplines:
            raise ValidationError(_("Name at least one discipline."))
        return disciplines


class PositionForm(forms.ModelForm):
    disciplines_text = forms.CharField(
        label=_("Disciplines wanted"),
        max_length=500,
        help_text=_("Separate with commas."),
    )
    published = forms.BooleanField(label=_("Published on the job board"), required=False)
    host_1 = forms.ModelChoiceField(
        label=_("Host in period 1"), queryset=Organisation.objects.none()
    )
    host_2 = forms.ChoiceField(label=_("Host in period 2"), required=False)
    host_3 = forms.ChoiceField(label=_("Host in period 3"), required=False)

    class Meta:
        model = Position
        fields = ["title", "description", "deadline"]
        widgets = {"deadline": DateInput()}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        limit_choices(self, "host_1", organisations)
        choices = [
            ("", _("— not part of the track —")),
            (DECIDED_LATER, _("Decided later")),
            *[(pk, o.name) for pk, o in self.organisations.items()],
        ]
        for name in ("host_2", "host_3"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices

    def clean_disciplines_text(self) -> list[str]:
        disciplines = split_list(self.cleaned_data["disciplines_text"])
        if not disciplines:
            raise ValidationError(_("Name at least one discipline."))
        return disciplines

    def hosts(self) -> list[Organisation | None]:
        hosts: list[Organisation | None] = [self.cleaned_data["host_1"]]
        for name in ("host_2", "host_3"):
            value = self.cleaned_data.get(name) or ""
            if value == "":
                break
            hosts.append(None if value == DECIDED_LATER else self.organisations[value])
        return hosts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("host_2") and data.get("host_3"):
            self.add_error("host_3", _("Fill in period 2 before period 3."))
        if data.get("host_2") == DECIDED_LATER and data.get("host_3"):
            self.add_error("host_3", _("Only the last period may be decided later."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "description": data["description"],
            "deadline": data["deadline"],
            "disciplines": data["disciplines_text"],
            "published_on": (self.instance.published_on or timezone.localdate())
            if data.get("published")
            else None,
        }

    def _post_clean(self) -> None:
        pass  # the service validates the position


# ------------------------------------------------------------------------ application


class EducationForm(forms.Form):
    degree = forms.CharField(label=_("Degree"), max_length=150)
    institution = forms.CharField(label=_("Institution"), max_length=150)
    field = forms.CharField(label=_("Field of study"), max_length=150)
    years = forms.DecimalField(
        label=_("Years"), max_digits=3, decimal_places=1, min_value=0, max_value=12, required=False
    )
    ects = forms.IntegerField(label=_("ECTS credits"), min_value=0, max_value=720, required=False)
    graduated_on = forms.DateField(
        label=_("Graduation date (expected, if not yet finished)"), widget=DateInput()
    )

    def __init__(self, *args: Any, latest_graduation: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest_graduation = latest_graduation

    def clean_graduated_on(self) -> date:
        value: date = self.cleaned_data["graduated_on"]
        if value > self.latest_graduation:
            raise ValidationError(
                _(
                    "The graduation date is too far in the future; you must have graduated by "
                    "%(date)s."
                )
                % {"date": self.latest_graduation.strftime("%d.%m.%Y")}
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("years") is None and data.get("ects") is None and not self.errors:
            self.add_error("years", _("Give the length in years or in ECTS credits."))
        return data


class BaseEducationFormSet(forms.BaseFormSet):
    def entries(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def education_formset(data: Any, cohort: Cohort, extra: int = 1) -> BaseEducationFormSet:
    formset_class = forms.formset_factory(
        EducationForm,
        formset=BaseEducationFormSet,
        extra=extra,
        min_num=1,
        max_num=4,
        validate_min=True,
        validate_max=True,
    )
    return formset_class(  # type: ignore[return-value]
        data,
        prefix="education",
        form_kwargs={"latest_graduation": cohort.starts_on},
    )


class ApplicationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput({"autocomplete": "email"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        widget=forms.TextInput({"autocomplete": "tel", "type": "tel"}),
    )
    home_municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.order_by("name"),
        required=False,
        help_text=_("Where you live now; used only for anonymous statistics."),
    )
    choice_1 = forms.ModelChoiceField(label=_("First choice"), queryset=Position.objects.none())
    choice_2 = forms.ModelChoiceField(
        label=_("Second choice"), queryset=Position.objects.none(), required=False
    )
    choice_3 = forms.ModelChoiceField(
        label=_("Third choice"), queryset=Position.objects.none(), required=False
    )
    relevant_work_months = forms.IntegerField(
        label=_("Months of relevant work after graduation"), min_value=0, max_value=600, initial=0
    )
    cover_letter = forms.CharField(
        label=_("Cover letter"), widget=forms.Textarea, max_length=10000, required=False
    )
    cv = PdfField(label=_("CV (PDF)"), required=False)
    diploma = PdfField(label=_("Diploma and transcript (PDF)"), required=False)
    source = forms.ChoiceField(
        label=_("How did you hear about the programme?"), choices=[("", "—"), *Source.choices]
    )
    consent = forms.BooleanField(label=_("I consent"), required=True)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput({"autocomplete": "off", "tabindex": "-1"}),
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, positions: Any, retention_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("choice_1", "choice_2", "choice_3"):
            limit_choices(self, name, positions)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", secrets.token_urlsafe(24))
        self.fields["consent"].help_text = _(
            "Your application and documents are stored and processed to run the recruitment. "
            "If you are not hired, they are deleted %(days)s days after the round ends; you "
            "can withdraw and download everything at any time through your personal link."
        ) % {"days": retention_days}
        self.fields["consent"].error_messages["required"] = _(
            "You must consent to the processing of your application."
        )

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(name) for name in ("choice_1", "choice_2", "choice_3")]
        seen: set[int] = set()
        for name, position in zip(("choice_1", "choice_2", "choice_3"), chosen, strict=True):
            if position is None:
                continue
            if position.pk in seen:
                self.add_error(name, _("You have already chosen this position."))
            seen.add(position.pk)
        if data.get("choice_3") and not data.get("choice_2"):
            self.add_error("choice_2", _("Fill in the second choice before the third."))
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def positions(self) -> list[Position]:
        return [
            self.cleaned_data[name]
            for name in ("choice_1", "choice_2", "choice_3")
            if self.cleaned_data.get(name)
        ]

    def application_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "first_name",
                "last_name",
                "email",
                "phone",
                "home_municipality",
                "relevant_work_months",
                "cover_letter",
                "source",
            )
        }

    def documents(self) -> list[tuple[str, Any]]:
        return [
            (kind, self.cleaned_data[kind])
            for kind in ("cv", "diploma")
            if self.cleaned_data.get(kind)
        ]


class CompleteForm(forms.ModelForm):
    cv = PdfField(label=_("New CV (PDF)"), required=False)
    diploma = PdfField(label=_("New diploma and transcript (PDF)"), required=False)

    class Meta:
        model = Application
        fields = ["phone", "relevant_work_months", "cover_letter"]

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data["phone"])

    def documents(self) -> list[tuple[str, Any]]:
        return [
            (kind, self.cleaned_data[kind])
            for kind in ("cv", "diploma")
            if self.cleaned_data.get(kind)
        ]

    def _post_clean(self) -> None:
        pass  # the service validates


# ------------------------------------------------------------------------- pipeline


class MoveForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Move to stage"), queryset=Stage.objects.none())

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "stage", stages)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea({"rows": 3}), max_length=5000)


class OverrideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Eligibility"),
        choices=[
            ("", _("As screened")),
            ("yes", _("Eligible (override)")),
            ("no", _("Not eligible (override)")),
        ],
        required=False,
    )
    note = forms.CharField(
        label=_("Reason for the override"), widget=forms.Textarea({"rows": 2}), required=False
    )

    def decision_value(self) -> bool | None:
        return {"": None, "yes": True, "no": False}[self.cleaned_data.get("decision") or ""]


class BulkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), choices=[("move", _("Move to stage")), ("reject", _("Reject"))]
    )
    stage = forms.ModelChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason for the rejection (sent to the applicants)"),
        widget=forms.Textarea({"rows": 2}),
        required=False,
    )
    applications = forms.TypedMultipleChoiceField(coerce=int, label=_("Applications"))

    def __init__(self, *args: Any, stages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "stage", stages)
        field = self.fields["applications"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.valid_value = lambda value: str(value).isdigit()  # type: ignore[method-assign]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "move" and not data.get("stage"):
            self.add_error("stage", _("Choose the stage to move to."))
        if data.get("action") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the rejection."))
        return data


class ScorecardForm(forms.Form):
    def __init__(
        self, *args: Any, criteria: list[Criterion], initial_scores: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                coerce=int,
                choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
                initial=initial_scores.get(criterion.pk, ""),
                required=False,
                help_text=_("1 = weak, 5 = excellent"),
            )

    def values(self) -> dict[int, int]:
        return {
            criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"]
            for criterion in self.criteria
            if self.cleaned_data.get(f"criterion_{criterion.pk}") not in (None, "")
        }


class InterviewRequestForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Interview for"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", organisations)


class PipelineSettingsForm(forms.Form):
    stages = forms.CharField(
        label=_("Stages between “Received” and “Offer”, one per line"),
        widget=forms.Textarea({"rows": 5}),
        required=False,
    )
    criteria = forms.CharField(
        label=_("Scorecard criteria, one per line"), widget=forms.Textarea({"rows": 4})
    )
    retention_days = forms.IntegerField(
        label=_("Retention period for unsuccessful applications (days)"),
        min_value=1,
        max_value=3650,
    )
    rejection_template = forms.CharField(
        label=_("Rejection e-mail"),
        widget=forms.Textarea({"rows": 6}),
        required=False,
        help_text=_("{name} is replaced by the applicant's name and {reason} by the reason."),
    )


class OfferForm(forms.Form):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput())

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "position", positions)


# ------------------------------------------------------------------ recruitment days


class PlanForm(forms.ModelForm):
    class Meta:
        model = InterviewPlan
        fields = [
            "rooms",
            "slot_minutes",
            "candidate_break_slots",
            "max_per_candidate_per_day",
            "location",
        ]


class DayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(
        label=_("First slot starts"), widget=forms.TimeInput({"type": "time"}, format="%H:%M")
    )
    ends_at = forms.TimeField(
        label=_("Last slot ends"), widget=forms.TimeInput({"type": "time"}, format="%H:%M")
    )


class UnavailabilityForm(forms.Form):
    party = forms.ChoiceField(label=_("Host or candidate"))
    slots = forms.MultipleChoiceField(
        label=_("Unavailable slots"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self,
        *args: Any,
        parties: list[tuple[str, str]],
        slots: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        party = self.fields["party"]
        assert isinstance(party, forms.ChoiceField)
        party.choices = [("", "—"), *parties]
        slot_field = self.fields["slots"]
        assert isinstance(slot_field, forms.MultipleChoiceField)
        slot_field.choices = slots


class HostAvailabilityForm(forms.Form):
    """A host's own unavailable slots at the recruitment days."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    slots = forms.MultipleChoiceField(
        label=_("Slots you cannot take"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(
        self, *args: Any, organisations: Any, slots: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", organisations)
        slot_field = self.fields["slots"]
        assert isinstance(slot_field, forms.MultipleChoiceField)
        slot_field.choices = slots
