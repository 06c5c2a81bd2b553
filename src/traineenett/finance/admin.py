"""Django admin for finance. Invoices are read-only here: a draft is edited and a sent
invoice credited through the finance pages, so the admin can never change what was sent."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from traineenett.finance.models import (
    BillingContact,
    BoardMeeting,
    BoardSeat,
    BudgetLine,
    FeeRule,
    FeeSchedule,
    FinanceSettings,
    Invoice,
    InvoiceLine,
    MeetingAttachment,
    MembershipApplication,
)


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "seller_name", "seller_organisation_number", "bank_account"]


@admin.register(BillingContact)
class BillingContactAdmin(admin.ModelAdmin):
    list_display = ["organisation", "program", "invoice_email", "reference"]
    list_filter = ["program"]
    raw_id_fields = ["organisation"]


class FeeRuleInline(admin.TabularInline):
    model = FeeRule
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "starts_on", "ends_on"]
    list_filter = ["program"]
    inlines = [FeeRuleInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["display_number", "program", "buyer_name", "status", "issued_on", "total"]
    list_filter = ["program", "status", "is_credit_note"]
    search_fields = ["buyer_name", "buyer_organisation_number", "kid"]
    inlines = [InvoiceLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["program", "year", "section", "category", "budgeted", "actual"]
    list_filter = ["program", "year", "section"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ["organisation_name", "organisation_number", "program", "status"]
    list_filter = ["program", "status"]
    search_fields = ["organisation_name", "organisation_number"]
    raw_id_fields = ["organisation", "municipality", "membership", "decided_by"]


@admin.register(BoardSeat)
class BoardSeatAdmin(admin.ModelAdmin):
    list_display = ["person_name", "program", "kind", "role", "starts_on", "ends_on"]
    list_filter = ["program", "kind"]
    raw_id_fields = ["organisation", "cohort"]


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0


@admin.register(BoardMeeting)
class BoardMeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "held_on"]
    list_filter = ["program"]
    inlines = [MeetingAttachmentInline]
