from django.urls import path

from traineenett.rotation import views

app_name = "rotation"
urlpatterns = [
    path("rotation/", views.index, name="index"),
    path("rotation/weights/", views.weights, name="weights"),
    path("rotation/cohorts/<int:pk>/", views.cohort_build, name="cohort"),
    path("rotation/cohorts/<int:pk>/places/", views.places, name="places"),
    path("rotation/cohorts/<int:pk>/wishes/", views.wishes_overview, name="wishes"),
    path("rotation/cohorts/<int:pk>/conflicts/", views.conflicts, name="conflicts"),
    path("rotation/conflicts/<int:pk>/delete/", views.conflict_delete, name="conflict_delete"),
    path("rotation/trainees/<int:pk>/wishes/", views.trainee_wishes, name="trainee_wishes"),
    path("rotation/plans/<int:pk>/", views.plan_detail, name="plan"),
    path("rotation/plans/<int:pk>/status/", views.plan_status, name="plan_status"),
    path("rotation/plans/<int:pk>/solve/", views.plan_solve_again, name="plan_solve"),
    path("rotation/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("rotation/plans/<int:pk>/check/", views.plan_check, name="plan_check"),
    path("rotation/plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("rotation/plans/<int:pk>/replan/", views.plan_replan, name="plan_replan"),
    path("rotation/plans/<int:pk>/stability/", views.plan_stability, name="plan_stability"),
    path("my-wishes/", views.my_wishes, name="my_wishes"),
    path("rotation/ratings/", views.host_ratings, name="host_ratings"),
]
