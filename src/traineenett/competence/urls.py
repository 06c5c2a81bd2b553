from django.urls import path

from traineenett.competence import views

app_name = "competence"
urlpatterns = [
    path("competence/", views.home, name="home"),
    path("competence/check-in/", views.check_in, name="check_in"),
    path("competence/calendar/new-address/", views.feed_regenerate, name="feed_regenerate"),
    path("competence/sessions/", views.session_list, name="sessions"),
    path("competence/sessions/new/", views.session_create, name="session_create"),
    path("competence/sessions/<int:pk>/", views.session_detail, name="session"),
    path("competence/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("competence/sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("competence/sessions/<int:pk>/materials/new/", views.material_add, name="material_add"),
    path("competence/sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("competence/sessions/<int:pk>/code/", views.checkin_screen, name="checkin_screen"),
    path("competence/sessions/<int:pk>/apology/", views.apology, name="apology"),
    path(
        "competence/sessions/<int:pk>/assignments/new/",
        views.assignment_create,
        name="assignment_create",
    ),
    path("competence/materials/<int:pk>/", views.material_download, name="material"),
    path("competence/assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("competence/assignments/<int:pk>/write/", views.reflection_write, name="reflection_write"),
    path("competence/reflections/<int:pk>/", views.reflection_detail, name="reflection"),
    path(
        "competence/reflections/<int:pk>/comment/",
        views.reflection_comment,
        name="reflection_comment",
    ),
    path("competence/modules/", views.module_list, name="modules"),
    path("competence/modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("competence/settings/", views.settings_edit, name="settings"),
    path("competence/overview/", views.overview, name="overview"),
    path("competence/overview/<int:pk>/export/", views.overview_export, name="overview_export"),
    path(
        "competence/cohorts/<int:pk>/calendar/new-address/",
        views.cohort_feed_regenerate,
        name="cohort_feed_regenerate",
    ),
    path("competence/trainees/<int:pk>/", views.progress, name="progress"),
    path("competence/trainees/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("competence/groups/", views.group_rounds, name="rounds"),
    path("competence/groups/rounds/<int:pk>/", views.round_detail, name="round"),
    path("competence/groups/rounds/<int:pk>/rebuild/", views.round_rebuild, name="round_rebuild"),
    path("competence/groups/members/<int:pk>/move/", views.member_move, name="member_move"),
    path("competence/groups/<int:pk>/", views.group_detail, name="group"),
    path("competence/groups/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("competence/tasks/<int:pk>/toggle/", views.task_toggle, name="task_toggle"),
]
