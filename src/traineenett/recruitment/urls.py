from django.urls import path

from traineenett.recruitment import interview_views, pipeline_views, public_views, views

app_name = "recruitment"
urlpatterns = [
    # Public: the job board, positions, the feed and the application form.
    path("jobs/", public_views.job_board, name="jobs"),
    path("jobs/feed/", public_views.job_feed, name="job_feed"),
    path("jobs/apply/", public_views.apply, name="apply"),
    path("jobs/received/", public_views.received, name="received"),
    path("jobs/<int:pk>/", public_views.job_detail, name="job"),
    # Coordinator and board.
    path("recruitment/", views.overview, name="overview"),
    path("recruitment/rounds/new/", views.round_create, name="round_create"),
    path("recruitment/rounds/<int:pk>/", views.round_detail, name="round"),
    path(
        "recruitment/rounds/<int:pk>/positions/new/", views.position_create, name="position_create"
    ),
    path("recruitment/positions/<int:pk>/edit/", views.position_edit, name="position_edit"),
    path("recruitment/settings/", views.pipeline_settings, name="settings"),
    path("recruitment/figures/", views.figures, name="figures"),
    path("recruitment/applications/", pipeline_views.pipeline, name="pipeline"),
    path("recruitment/applications/kanban/", pipeline_views.kanban, name="kanban"),
    path("recruitment/applications/bulk/", pipeline_views.bulk, name="bulk"),
    path(
        "recruitment/applications/<int:pk>/", pipeline_views.application_detail, name="application"
    ),
    path(
        "recruitment/applications/<int:pk>/action/",
        pipeline_views.application_action,
        name="application_action",
    ),
    path(
        "recruitment/applications/<int:pk>/offer/", pipeline_views.offer_create, name="offer_create"
    ),
    path(
        "recruitment/applications/<int:pk>/interviews.ics",
        interview_views.candidate_calendar,
        name="candidate_calendar",
    ),
    path("recruitment/documents/<int:pk>/", views.document_download, name="document"),
    # Recruitment days.
    path(
        "recruitment/rounds/<int:pk>/interviews/", interview_views.interview_plan, name="interviews"
    ),
    path(
        "recruitment/interview-days/<int:pk>/delete/",
        interview_views.day_delete,
        name="interview_day_delete",
    ),
    path(
        "recruitment/interview-days/<int:pk>/print/",
        interview_views.day_print,
        name="interview_day_print",
    ),
    path(
        "recruitment/organisations/<int:pk>/interviews.ics",
        interview_views.host_calendar,
        name="host_calendar",
    ),
    # Hosts.
    path("recruitment/host/", views.host_home, name="host_home"),
    path("recruitment/rounds/<int:pk>/needs/", views.need_submit, name="need_submit"),
    path("recruitment/host/candidates/<int:pk>/", views.host_review, name="host_review"),
    path(
        "recruitment/rounds/<int:pk>/availability/",
        views.host_availability,
        name="host_availability",
    ),
]
