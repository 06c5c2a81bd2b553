from django.urls import path

from traineenett.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("members/new/", views.member_create, name="create"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="edit"),
    path("members/<int:pk>/end/", views.member_end, name="end"),
    path("my-organisation/", views.own_organisation, name="own_organisation"),
]
