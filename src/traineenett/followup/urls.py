from django.urls import path

from traineenett.followup import views

app_name = "followup"
urlpatterns = [
    path("follow-up/", views.report, name="report"),
    path("follow-up/cohorts/<int:pk>/", views.cohort_report, name="cohort_report"),
    path("follow-up/export.csv", views.export_csv, name="export_csv"),
    path("follow-up/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("follow-up/benchmark/", views.benchmark, name="benchmark"),
    path("follow-up/alumni/", views.alumni_list, name="alumni"),
    path("follow-up/alumni/sync/", views.alumni_sync, name="alumni_sync"),
    path("follow-up/alumni/<int:pk>/", views.alumnus_detail, name="alumnus"),
    path("follow-up/alumni/<int:pk>/residence/", views.residence_add, name="residence_add"),
    path("follow-up/alumni/<int:pk>/employment/", views.employment_add, name="employment_add"),
    path("follow-up/import/", views.import_upload, name="import"),
]
