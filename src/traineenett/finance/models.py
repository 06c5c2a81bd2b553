"""Fees, invoices, budgets, membership applications and the board."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from traineenett.cohorts.models import Cohort
from traineenett.core.models import Municipality, Program
from traineenett.finance.validators import format_bank_account, validate_bank_account
from traineenett.members.models import Organisation, OrganisationKind, Sector

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class FinanceSettings(models.Model):
    """A programme's invoicing settings; created with defaults on first use."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="finance_settings"
    )
    seller_name = models.CharField(_("invoicing entity"), max_length=200, blank=True)
    seller_organisation_number = models.CharField(
        _("organisation number of the invoicing entity"), max_length=9, blank=True
    )
    bank_account = models.CharField(
        _("bank account"), max_length=11, blank=True, validators=[validate_bank_account]
    )
    due_days = models.PositiveSmallIntegerField(
        _("days to pay"), default=14, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    employer_costs_percent = models.DecimalField(
        _("employer costs (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("26.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Employer's national insurance, holiday pay and pension on top of salary."),
    )

    class Meta:
        verbose_name = _("finance settings")
        verbose_name_plural = _("finance settings")

    def __str__(self) -> str:
        return str(self.program)


class BillingContact(models.Model):
    """Where a member's invoices go (per programme and organisation)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    invoice_email = models.EmailField(_("invoice e-mail address"))
    reference = models.CharField(_("buyer's reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("billing contact")
        verbose_name_plural = _("billing contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organisation"], name="one_billing_contact_per_member"
            )
        ]

    def __str__(self) -> str:
        return self.invoice_email


class FeeSchedule(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fee_schedules")
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("valid from"))
    ends_on = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="fee_schedule_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class FeeKind(models.TextChoices):
    ANNUAL = "annual", _("Annual fee per tier")
    PER_DAY = "per_day", _("Per hosted trainee-day")
    PER_MONTH = "per_month", _("Per hosted trainee-month")
    PER_PLACEMENT = "per_placement", _("Per placement")


class FeeCondition(models.TextChoices):
    ANY = "any", _("Always")
    WITH_TRAINEE = "with_trainee", _("Only with a trainee that year")
    WITHOUT_TRAINEE = "without_trainee", _("Only without a trainee that year")


class VatRate(models.TextChoices):
    STANDARD = "25.00", _("25 %")
    EXEMPT = "0.00", _("Exempt (0 %)")


class FeeRule(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=20, choices=FeeKind.choices)
    description = models.CharField(_("text on the invoice"), max_length=150)
    tier = models.CharField(
        _("fee tier"),
        max_length=50,
        blank=True,
        help_text=_("Annual fees: the membership fee tier; empty for every tier."),
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=FeeCondition.choices, default=FeeCondition.ANY
    )
    amount = models.DecimalField(
        _("amount (NOK, without VAT)"), max_digits=12, decimal_places=2, validators=NON_NEGATIVE
    )
    vat_rate = models.CharField(
        _("VAT"), max_length=6, choices=VatRate.choices, default=VatRate.STANDARD
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["kind", "tier", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_rule_not_negative")
        ]

    def __str__(self) -> str:
        return self.description


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")


class Invoice(models.Model):
    """An invoice or a credit note. Numbers, KID and dates are set when it is issued."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invoices")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("member")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    is_credit_note = models.BooleanField(_("credit note"), default=False)
    credits = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    reissue_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissues",
        verbose_name=_("reissue of"),
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    number = models.PositiveIntegerField(_("invoice number"), null=True, blank=True)
    kid = models.CharField(_("KID"), max_length=25, blank=True)
    issued_on = models.DateField(_("invoice date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    seller_name = models.CharField(max_length=200, blank=True)
    seller_organisation_number = models.CharField(max_length=9, blank=True)
    buyer_name = models.CharField(max_length=200)
    buyer_organisation_number = models.CharField(max_length=9)
    bank_account = models.CharField(max_length=11, blank=True)
    email_to = models.EmailField(_("invoice e-mail address"), blank=True)
    buyer_reference = models.CharField(_("buyer's reference"), max_length=100, blank=True)
    note = models.CharField(_("note on the invoice"), max_length=300, blank=True)
    net_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    vat_total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-year", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "number"], name="unique_invoice_number"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="invoice_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.display_number or f"#{self.pk}"

    @property
    def display_number(self) -> str:
        return f"{self.year}-{self.number:05d}" if self.number is not None else ""

    @property
    def bank_account_display(self) -> str:
        """The account as printed on Norwegian invoices: 8601.11.17947."""
        return format_bank_account(self.bank_account) if self.bank_account else ""

    @property
    def is_draft(self) -> bool:
        return self.status == InvoiceStatus.DRAFT


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(_("description"), max_length=250)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=4)
    unit_price = models.DecimalField(_("unit price (NOK)"), max_digits=12, decimal_places=2)
    vat_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    net = models.DecimalField(max_digits=14, decimal_places=2)
    vat = models.DecimalField(max_digits=14, decimal_places=2)
    total = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description


class InvoiceCounter(models.Model):
    """The last invoice number given per programme and year (locked while numbering)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.program_id}/{self.year}: {self.last_number}"


class BudgetSection(models.TextChoices):
    COST = "cost", _("Costs")
    REVENUE = "revenue", _("Revenue")


class CostCategory(models.TextChoices):
    COORDINATION = "coordination", _("Coordination")
    COMPETENCE = "competence", _("Competence programme")
    MARKETING = "marketing", _("Marketing")
    EVENTS = "events", _("Events")
    OTHER_COST = "other_cost", _("Other costs")


class RevenueSource(models.TextChoices):
    MEMBER_FEES = "member_fees", _("Member fees")
    TRAINEE_FEES = "trainee_fees", _("Trainee fees")
    PUBLIC_GRANTS = "public_grants", _("Public grants")
    OTHER_REVENUE = "other_revenue", _("Other revenue")


# Revenue the members pay: the numerator of the self-financing ratio.
MEMBER_REVENUE = (RevenueSource.MEMBER_FEES, RevenueSource.TRAINEE_FEES)


class BudgetLine(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"))
    section = models.CharField(_("section"), max_length=10, choices=BudgetSection.choices)
    category = models.CharField(_("category"), max_length=20)
    budgeted = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=NON_NEGATIVE
    )
    actual = models.DecimalField(
        _("actual"), max_digits=14, decimal_places=2, default=Decimal("0"), validators=NON_NEGATIVE
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["year", "section", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "year", "category"], name="one_budget_line_per_category"
            ),
            models.CheckConstraint(
                condition=Q(budgeted__gte=0) & Q(actual__gte=0), name="budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.category}"


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the board")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MembershipApplication(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="membership_applications"
    )
    organisation_number = models.CharField(_("organisation number"), max_length=9)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("known organisation"),
    )
    organisation_name = models.CharField(_("organisation name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.COMPANY
    )
    sector = models.CharField(
        _("sector"), max_length=10, choices=Sector.choices, default=Sector.PRIVATE
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    employees = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact e-mail address"))
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    invoice_email = models.EmailField(_("invoice e-mail address"), blank=True)
    motivation = models.TextField(_("why do you want to join?"), max_length=3000)
    fee_tier = models.CharField(_("fee tier wanted"), max_length=50)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(_("the board's reasons"), blank=True)
    membership = models.ForeignKey(
        "members.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return self.organisation_name


class BoardSeatKind(models.TextChoices):
    MEMBER = "member", _("Member representative")
    TRAINEE = "trainee", _("Trainee representative")


class BoardRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    MEMBER = "member", _("Board member")
    DEPUTY = "deputy", _("Deputy")


class BoardSeat(models.Model):
    """A person's term on the board: for a member organisation or for a cohort's trainees."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="board_seats")
    kind = models.CharField(_("represents"), max_length=10, choices=BoardSeatKind.choices)
    role = models.CharField(
        _("role"), max_length=10, choices=BoardRole.choices, default=BoardRole.MEMBER
    )
    person_name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member organisation"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cohort"),
    )
    starts_on = models.DateField(_("term from"))
    ends_on = models.DateField(_("term until"), null=True, blank=True)

    class Meta:
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        ordering = ["kind", "person_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="board_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="member", organisation__isnull=False, cohort__isnull=True)
                    | Q(kind="trainee", cohort__isnull=False, organisation__isnull=True)
                ),
                name="board_seat_represents_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.person_name


class BoardMeeting(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="board_meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150)
    decisions = models.TextField(_("decisions"), help_text=_("One decision per line."), blank=True)

    class Meta:
        verbose_name = _("board meeting")
        verbose_name_plural = _("board meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class MeetingAttachment(models.Model):
    """A file of a board meeting; stored privately and served only through a view."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("file"), upload_to="board/%Y/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
