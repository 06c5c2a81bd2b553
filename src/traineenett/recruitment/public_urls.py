"""Applicants' personal links (no password); included at the site root."""

from django.urls import path

from traineenett.recruitment import public_views

urlpatterns = [
    path("apply/<str:token>/", public_views.applicant_page, name="applicant_page"),
    path("apply/<str:token>/complete/", public_views.applicant_edit, name="applicant_edit"),
    path("apply/<str:token>/withdraw/", public_views.applicant_withdraw, name="applicant_withdraw"),
    path("apply/<str:token>/my-data.json", public_views.applicant_data, name="applicant_data"),
    path("apply/<str:token>/offer/", public_views.applicant_offer, name="applicant_offer"),
    path(
        "apply/<str:token>/documents/<int:document_id>/",
        public_views.applicant_document,
        name="applicant_document",
    ),
    path(
        "apply/<str:token>/interviews.ics",
        public_views.applicant_calendar,
        name="applicant_calendar",
    ),
]
