from django.urls import path

from traineenett.surveys import views

app_name = "surveys"
urlpatterns = [
    path("surveys/", views.wave_list, name="waves"),
    path("surveys/settings/", views.survey_settings, name="settings"),
    path("surveys/waves/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("surveys/waves/<int:pk>/invite/", views.wave_invite, name="wave_invite"),
    path("surveys/waves/<int:pk>/remind/", views.wave_remind, name="wave_remind"),
    path("surveys/waves/<int:pk>/answers/", views.wave_answers, name="wave_answers"),
]
