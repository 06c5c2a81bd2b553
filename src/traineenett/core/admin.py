from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from traineenett.core.models import (
    AuditEntry,
    County,
    Invitation,
    Municipality,
    MunicipalityChange,
    Program,
    Role,
    User,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "language")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class RoleInline(admin.TabularInline):
    model = Role
    raw_id_fields = ["user", "organisation"]
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "region_name", "founded_year", "employment_model"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["catchment"]
    inlines = [RoleInline]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county"]
    list_filter = ["county"]
    search_fields = ["number", "name"]


admin.site.register(County)
admin.site.register(MunicipalityChange)
admin.site.register(Invitation)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "program", "actor", "action", "object_repr"]
    list_filter = ["program", "action"]

    def has_change_permission(self, request, obj=None):
        return False
