from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort
from traineenett.competence.models import (
    AttendanceStatus,
    CompetenceSettings,
    Group,
    Module,
    Session,
)
from traineenett.core.forms import limit_choices
from traineenett.core.forms_widgets import DateInput
from traineenett.core.models import Program, Role, RoleKind, User

DAY_ROWS = 3


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["name", "description", "position"]

    def validate_unique(self) -> None:
        pass  # the service explains a repeated name


def facilitators_of(program: Program) -> Any:
    ids = Role.objects.filter(
        program=program, kind__in=[RoleKind.FACILITATOR, RoleKind.COORDINATOR]
    ).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids)


class SessionForm(forms.ModelForm):
    """A session and up to three days, each a date with a start and an end time."""

    cohorts = forms.ModelMultipleChoiceField(
        label=_("Cohorts"), queryset=Cohort.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Session
        fields = ["title", "module", "cohorts", "place", "facilitator", "description"]

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        initial_days = kwargs.pop("days", [])
        super().__init__(*args, **kwargs)
        limit_choices(self, "module", Module.objects.filter(program=program))
        limit_choices(self, "cohorts", Cohort.objects.filter(program=program))
        limit_choices(self, "facilitator", facilitators_of(program))
        for number in range(1, DAY_ROWS + 1):
            day = initial_days[number - 1] if len(initial_days) >= number else None
            required = number == 1
            self.fields[f"date_{number}"] = forms.DateField(
                label=_("Day %(number)s: date") % {"number": number},
                required=required,
                widget=DateInput(),
                initial=timezone.localtime(day.starts_at).date() if day else None,
            )
            self.fields[f"start_{number}"] = forms.TimeField(
                label=_("Day %(number)s: starts") % {"number": number},
                required=required,
                widget=TimeInput(),
                initial=timezone.localtime(day.starts_at).time() if day else time(9, 0),
            )
            self.fields[f"end_{number}"] = forms.TimeField(
                label=_("Day %(number)s: ends") % {"number": number},
                required=required,
                widget=TimeInput(),
                initial=timezone.localtime(day.ends_at).time() if day else time(16, 0),
            )

    def day_rows(self) -> list[tuple[int, Any, Any, Any]]:
        return [
            (n, self[f"date_{n}"], self[f"start_{n}"], self[f"end_{n}"])
            for n in range(1, DAY_ROWS + 1)
        ]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.Meta.fields]

    def days(self) -> list[tuple[datetime, datetime]]:
        found = []
        zone = timezone.get_current_timezone()
        for number in range(1, DAY_ROWS + 1):
            date = self.cleaned_data.get(f"date_{number}")
            start = self.cleaned_data.get(f"start_{number}")
            end = self.cleaned_data.get(f"end_{number}")
            if date and start and end:
                found.append(
                    (
                        datetime.combine(date, start, tzinfo=zone),
                        datetime.combine(date, end, tzinfo=zone),
                    )
                )
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for number in range(2, DAY_ROWS + 1):
            given = [data.get(f"{part}_{number}") for part in ("date", "start", "end")]
            if data.get(f"date_{number}") and not all(given):
                self.add_error(
                    f"end_{number}", _("Give the start and the end of day %(n)s.") % {"n": number}
                )
        for number in range(1, DAY_ROWS + 1):
            start, end = data.get(f"start_{number}"), data.get(f"end_{number}")
            if data.get(f"date_{number}") and start and end and end <= start:
                self.add_error(
                    f"end_{number}",
                    _("Day %(number)s ends before it starts.") % {"number": number},
                )
        return data

    def _post_clean(self) -> None:
        pass  # the service validates the session with its days


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    file = forms.FileField(label=_("File"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url") and not data.get("file"):
            self.add_error("url", _("Give a link or upload a file."))
        return data


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the facilitator"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class ApologyForm(forms.Form):
    reason = forms.CharField(label=_("Why can you not come?"), max_length=300)


class AttendanceForm(forms.Form):
    """One status choice per trainee of the session."""

    def __init__(self, *args: Any, rows: list[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows_data = rows
        choices = [("", _("— not registered —")), *AttendanceStatus.choices]
        for trainee, attendance in rows:
            self.fields[f"trainee_{trainee.pk}"] = forms.ChoiceField(
                label=trainee.full_name,
                choices=choices,
                required=False,
                initial=attendance.status if attendance else "",
            )

    def rows(self) -> list[tuple[Any, Any, Any]]:
        return [(t, a, self[f"trainee_{t.pk}"]) for t, a in self.rows_data]

    def statuses(self) -> dict[int, str]:
        return {t.pk: self.cleaned_data[f"trainee_{t.pk}"] for t, _a in self.rows_data}


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    prompt = forms.CharField(
        label=_("What to reflect on"), widget=forms.Textarea(attrs={"rows": 4})
    )
    due_at = forms.DateTimeField(label=_("Deadline"), widget=DateTimeInput())


class ReflectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your reflection"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "How does the session's theory apply in your current placement? Only you, "
            "the facilitator and the coordinator can read it."
        ),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}))


class GroupRoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    cohorts = forms.ModelMultipleChoiceField(
        label=_("Cohorts"), queryset=Cohort.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    group_size = forms.IntegerField(label=_("Group size"), min_value=2, max_value=50, initial=5)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "cohorts", Cohort.objects.filter(program=program))


class MoveForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Move to group"), queryset=Group.objects.none())
    pinned = forms.BooleanField(label=_("Pin here when rebuilding"), required=False, initial=True)

    def __init__(self, *args: Any, round_: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "group", Group.objects.filter(round=round_))
        self.fields["group"].label_from_instance = lambda g: _("Group %(n)s") % {"n": g.number}  # type: ignore[attr-defined]


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Shared notes"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CompetenceSettings
        fields = [
            "credit_present",
            "credit_late",
            "credit_excused",
            "credit_absent",
            "late_after_minutes",
            "absence_warning_percent",
            "consecutive_absence_limit",
            "checkin_code_seconds",
            "checkin_grace_minutes",
            "reminder_days_before",
        ]
