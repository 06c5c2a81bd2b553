from django.contrib import admin

from traineenett.recruitment.models import (
    Application,
    CompetenceNeed,
    Position,
    RecruitmentSettings,
    Round,
    Stage,
)


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["cohort", "program", "needs_deadline"]
    list_filter = ["program"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "deadline", "published_on"]
    list_filter = ["round__program"]


@admin.register(CompetenceNeed)
class CompetenceNeedAdmin(admin.ModelAdmin):
    list_display = ["organisation", "round", "places"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "key", "order", "outcome"]
    list_filter = ["program"]


@admin.register(RecruitmentSettings)
class RecruitmentSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "retention_days"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Personal data: the admin shows only what is needed to find a row; the coordinator
    # works in the pipeline pages.
    list_display = ["pk", "cohort", "stage", "created_at", "anonymised_at"]
    list_filter = ["program", "stage__outcome"]
    fields = ("program", "cohort", "stage", "created_at", "anonymised_at")
    readonly_fields = ("program", "cohort", "stage", "created_at", "anonymised_at")

    def has_add_permission(self, request: object) -> bool:
        return False
