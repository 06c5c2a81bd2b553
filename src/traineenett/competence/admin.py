from django.contrib import admin

from traineenett.competence.models import (
    Attendance,
    CompetenceSettings,
    GroupRound,
    Module,
    Reflection,
    Session,
)


@admin.register(CompetenceSettings)
class CompetenceSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "credit_present", "credit_late", "absence_warning_percent"]
    list_select_related = ["program"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "position"]
    list_select_related = ["program"]
    list_filter = ["program"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "program", "module", "starts_at", "days"]
    list_select_related = ["program", "module"]
    list_filter = ["program"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "trainee", "status", "source"]
    list_select_related = ["session", "trainee"]
    list_filter = ["status"]


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "trainee", "submitted_at"]
    list_select_related = ["assignment", "trainee"]


@admin.register(GroupRound)
class GroupRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "program", "group_size", "created_at"]
    list_select_related = ["program"]
