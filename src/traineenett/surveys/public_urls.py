"""The alumnus's personal survey link (no log-in); included at the site root."""

from django.urls import path

from traineenett.surveys import views

urlpatterns = [
    path("survey/<str:token>/", views.survey_answer, name="survey_answer"),
    path("survey/<str:token>/opt-out/", views.survey_opt_out, name="survey_opt_out"),
]
