from django import forms
from django.forms.renderers import DjangoTemplates


class DateInput(forms.DateInput):
    """The browser's date picker; ISO format on the wire, shown in the user's locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FormRenderer(DjangoTemplates):
    """Our form and field templates: a labelled, described field group per field."""

    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
