from django.urls import path

from traineenett.cohorts import views

app_name = "cohorts"
urlpatterns = [
    path("cohorts/", views.cohort_list, name="list"),
    path("cohorts/new/", views.cohort_create, name="create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="edit"),
    path("cohorts/<int:pk>/periods/", views.period_edit, name="periods"),
    path("cohorts/<int:pk>/trainees/new/", views.trainee_create, name="trainee_create"),
    path("trainees/", views.trainee_list, name="trainee_list"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee_detail"),
    path("trainees/<int:pk>/edit/", views.trainee_edit, name="trainee_edit"),
    path("trainees/<int:pk>/placements/new/", views.placement_create, name="placement_create"),
    path("placements/<int:pk>/edit/", views.placement_edit, name="placement_edit"),
    path("placements/<int:pk>/delete/", views.placement_delete, name="placement_delete"),
    path("my-rotation/", views.own_plan, name="own_plan"),
]
