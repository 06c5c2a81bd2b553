"""URLs outside any programme (personal links and the like); included at the root."""

from django.urls import path

from traineenett.competence import public_views

urlpatterns = [
    path("calendar/competence/<str:token>.ics", public_views.calendar_feed, name="competence_feed"),
]
