from django.contrib import admin

from traineenett.surveys.models import Answer, Invitation, OptOut, SurveySettings, Wave


@admin.register(SurveySettings)
class SurveySettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "horizons", "wave_open_days", "link_valid_days", "reminder_days"]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["cohort", "program", "horizon_years", "opens_on", "closes_on"]
    list_filter = ["program", "horizon_years"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["wave", "email", "invited_at", "expires_at", "reminders_sent", "answered_at"]
    list_filter = ["program"]
    raw_id_fields = ["wave", "alumnus"]
    # The salt and the token's hash are useless to a person and stay out of sight.
    exclude = ["link_salt", "token_hash"]
    readonly_fields = ["invited_at", "expires_at", "answered_at", "last_reminded_at"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["wave", "panel_id", "answered_on", "municipality_number", "employer_name"]
    list_filter = ["program"]
    raw_id_fields = ["wave", "invitation"]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["alumnus", "program", "created_at"]
    raw_id_fields = ["alumnus"]
