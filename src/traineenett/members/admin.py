from django.contrib import admin

from traineenett.members.models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_number", "kind", "sector", "municipality", "employees"]
    list_filter = ["kind", "sector"]
    search_fields = ["name", "organisation_number"]
    raw_id_fields = ["parent_cluster", "municipality"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "program", "starts_on", "ends_on", "fee_tier"]
    list_filter = ["program"]
    raw_id_fields = ["organisation"]
