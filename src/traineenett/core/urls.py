from django.urls import path

from traineenett.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("audit/", views.audit_log, name="audit_log"),
    path("settings/", views.program_settings, name="settings"),
]
