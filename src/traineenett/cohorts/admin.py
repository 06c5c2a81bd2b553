from django.contrib import admin

from traineenett.cohorts.models import Cohort, Period, Placement, Trainee


class PeriodInline(admin.TabularInline):
    model = Period
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["label", "program", "starts_on", "ends_on", "common_salary"]
    list_filter = ["program"]
    inlines = [PeriodInline]


@admin.register(Trainee)
class TraineeAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "program", "cohort", "discipline"]
    list_filter = ["program"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["cohort", "user", "employer", "home_municipality"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["trainee", "period", "organisation", "share_percent"]
    raw_id_fields = ["trainee", "period", "organisation"]
