from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from traineenett.core.models import Invitation, Program, RoleKind
from traineenett.members.selectors import member_organisations


def add_service_errors(error: ValidationError, *forms_: forms.BaseForm) -> None:
    """Put a service's field errors on the form that has the field (else on the first)."""
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        target = next((form for form in forms_ if field in form.fields), forms_[0])
        target.add_error(field if field in target.fields else None, field_errors)


def limit_choices(form: forms.BaseForm, field: str, queryset: QuerySet[Any]) -> None:
    """Restrict a model choice field to what the programme may choose from."""
    cast(forms.ModelChoiceField, form.fields[field]).queryset = queryset


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "kind", "organisation"]
        help_texts = {"organisation": _("Required for host contacts.")}

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", member_organisations(program))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == RoleKind.HOST and not data.get("organisation"):
            self.add_error("organisation", _("A host contact must belong to an organisation."))
        return data


class ProgramSettingsForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "region_name",
            "founded_year",
            "rotation_period_count",
            "rotation_period_months",
            "competence_days_required",
            "min_higher_education_years",
            "max_years_since_graduation",
            "employment_model",
        ]
        help_texts = {
            "rotation_period_count": _("Used for new cohorts; existing periods are kept."),
        }


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
