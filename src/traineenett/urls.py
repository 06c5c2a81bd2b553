from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from traineenett.core import views as core_views
from traineenett.core.forms import LoginForm

program_patterns = [
    path("", include("traineenett.core.urls")),
    path("", include("traineenett.members.urls")),
    path("", include("traineenett.cohorts.urls")),
    path("", include("traineenett.recruitment.urls")),
    path("", include("traineenett.rotation.urls")),
    path("", include("traineenett.followup.urls")),
    path("", include("traineenett.surveys.urls")),
    path("", include("traineenett.competence.urls")),
    path("", include("traineenett.finance.urls")),
]

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/", include(account_patterns)),
    path("invitation/<str:token>/", core_views.invitation_accept, name="invitation_accept"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("traineenett.recruitment.public_urls")),
    path("", include("traineenett.rotation.public_urls")),
    path("", include("traineenett.followup.public_urls")),
    path("", include("traineenett.surveys.public_urls")),
    path("", include("traineenett.competence.public_urls")),
    path("", include("traineenett.finance.public_urls")),
    path("<slug:program_slug>/", include(program_patterns)),
]
