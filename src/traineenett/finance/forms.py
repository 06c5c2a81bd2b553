from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from traineenett.core.forms import limit_choices
from traineenett.core.forms_widgets import DateInput
from traineenett.core.models import Municipality, Program
from traineenett.core.validators import normalise_organisation_number, validate_organisation_number
from traineenett.finance.models import (
    BoardMeeting,
    BoardSeat,
    BoardSeatKind,
    FeeRule,
    FeeSchedule,
    FinanceSettings,
    Invoice,
    MembershipApplication,
    VatRate,
)
from traineenett.finance.validators import normalise_bank_account, validate_bank_account
from traineenett.members.models import Organisation
from traineenett.members.selectors import member_organisations


class FinanceSettingsForm(forms.ModelForm):
    bank_account = forms.CharField(
        label=_("Bank account"),
        max_length=14,
        required=False,
        help_text=_("11 digits, e.g. 8601 11 17947"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    seller_organisation_number = forms.CharField(
        label=_("Organisation number of the invoicing entity"),
        max_length=11,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = FinanceSettings
        fields = [
            "seller_name",
            "seller_organisation_number",
            "bank_account",
            "due_days",
            "employer_costs_percent",
        ]
        localized_fields = ["employer_costs_percent"]

    def clean_bank_account(self) -> str:
        value = normalise_bank_account(self.cleaned_data["bank_account"])
        if value:
            validate_bank_account(value)
        return value

    def clean_seller_organisation_number(self) -> str:
        value = normalise_organisation_number(self.cleaned_data["seller_organisation_number"])
        if value:
            validate_organisation_number(value)
        return value


class BillingContactForm(forms.Form):
    invoice_email = forms.EmailField(label=_("Invoice e-mail address"))
    reference = forms.CharField(label=_("Buyer's reference"), max_length=100, required=False)


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class FeeRuleForm(forms.ModelForm):
    amount = forms.DecimalField(
        label=_("Amount (NOK, without VAT)"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    class Meta:
        model = FeeRule
        fields = ["kind", "description", "tier", "condition", "amount", "vat_rate"]

    def clean_amount(self) -> Decimal:
        amount: Decimal = self.cleaned_data["amount"]
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."))
        return amount


class InvoiceGenerateForm(forms.Form):
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period to"), widget=DateInput())
    organisation = forms.ModelChoiceField(
        label=_("Member"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All members with something to bill"),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", member_organisations(program))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its start."))
        return data


class InvoiceDraftForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = ["email_to", "buyer_reference", "note"]


class InvoiceLineForm(forms.Form):
    description = forms.CharField(label=_("Description"), max_length=250)
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=12,
        decimal_places=4,
        initial=Decimal(1),
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (NOK)"),
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    vat_rate = forms.TypedChoiceField(
        label=_("VAT"), choices=VatRate.choices, coerce=Decimal, initial=VatRate.STANDARD
    )

    def clean_unit_price(self) -> Decimal:
        price: Decimal = self.cleaned_data["unit_price"]
        if price < 0:
            raise forms.ValidationError(_("The unit price cannot be negative."))
        return price

    def clean_quantity(self) -> Decimal:
        quantity: Decimal = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise forms.ValidationError(_("The quantity must be more than zero."))
        return quantity


class PaidForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the credit note"), max_length=200)
    reissue = forms.BooleanField(
        label=_("Open a new draft with the same lines to correct and issue"),
        required=False,
        initial=True,
    )


class BudgetForm(forms.Form):
    """Two amount fields (budget, actual) per category."""

    def __init__(self, *args: Any, categories: list[tuple[str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        for _section, category, label in categories:
            for column, column_label in (("budgeted", _("budget")), ("actual", _("actual"))):
                self.fields[f"{category}_{column}"] = forms.DecimalField(
                    label=f"{label}: {column_label}",
                    max_digits=14,
                    decimal_places=2,
                    min_value=Decimal(0),
                    initial=Decimal(0),
                    required=False,
                    localize=True,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )

    def rows(self) -> dict[str, tuple[Decimal, Decimal]]:
        data = self.cleaned_data
        return {
            category: (
                data.get(f"{category}_budgeted") or Decimal(0),
                data.get(f"{category}_actual") or Decimal(0),
            )
            for _section, category, _label in self.categories
        }

    def table(self) -> list[tuple[str, str, Any, Any]]:
        return [
            (section, label, self[f"{category}_budgeted"], self[f"{category}_actual"])
            for section, category, label in self.categories
        ]


class MembershipApplicationForm(forms.ModelForm):
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=11,
        help_text=_("9 digits, e.g. 974 760 673"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        to_field_name="number",
        required=False,
        help_text=_("Not needed when we already know the organisation."),
    )

    class Meta:
        model = MembershipApplication
        fields = [
            "organisation_number",
            "organisation_name",
            "kind",
            "sector",
            "municipality",
            "employees",
            "contact_name",
            "contact_email",
            "contact_phone",
            "invoice_email",
            "fee_tier",
            "motivation",
        ]
        help_texts = {
            "organisation_name": _("Not needed when we already know the organisation."),
            "invoice_email": _("Where invoices go; the contact's address if empty."),
        }
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }

    def __init__(self, *args: Any, fee_tiers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation_name"].required = False
        if fee_tiers:
            self.fields["fee_tier"] = forms.ChoiceField(
                label=_("Fee tier wanted"), choices=[(tier, tier) for tier in fee_tiers]
            )

    def clean_organisation_number(self) -> str:
        number = normalise_organisation_number(self.cleaned_data["organisation_number"])
        validate_organisation_number(number)
        return number


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    starts_on = forms.DateField(
        label=_("Membership starts"),
        widget=DateInput(),
        required=False,
        help_text=_("Needed when the application is approved."),
    )
    fee_tier = forms.CharField(label=_("Fee tier"), max_length=50, required=False)
    note = forms.CharField(label=_("The board's reasons"), widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "approve" and not data.get("starts_on"):
            self.add_error("starts_on", _("Give the date the membership starts."))
        return data


class BoardSeatForm(forms.ModelForm):
    class Meta:
        model = BoardSeat
        fields = [
            "kind",
            "role",
            "person_name",
            "email",
            "organisation",
            "cohort",
            "starts_on",
            "ends_on",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {
            "organisation": _("For a member representative."),
            "cohort": _("For a trainee representative."),
        }

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "organisation", member_organisations(program))
        limit_choices(self, "cohort", program.cohorts.all())

    def clean(self) -> dict[str, Any]:
        """A seat represents a member organisation or a cohort, never both."""
        data = super().clean() or {}
        if data.get("kind") == BoardSeatKind.MEMBER:
            data["cohort"] = None
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the member organisation represented."))
        elif data.get("kind") == BoardSeatKind.TRAINEE:
            data["organisation"] = None
            if not data.get("cohort"):
                self.add_error("cohort", _("Choose the cohort the trainee represents."))
        return data


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(label=_("Last day of the term"), widget=DateInput())


class MeetingForm(forms.ModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["held_on", "title", "decisions"]
        widgets = {"held_on": DateInput()}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, office document, text or image; at most 10 MB.")
    )
