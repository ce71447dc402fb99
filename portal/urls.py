from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views
from portal.second_step import views as second_step_views
from portal.second_step.middleware import second_step_not_needed

urlpatterns = [
    path("", views.home, name="home"),
    path("floor/", views.floor, name="floor"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility_statement, name="accessibility_statement"),
    path("session/", views.session_status, name="session_status"),
    path("session/extend/", views.session_extend, name="session_extend"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/council-account/", include("portal.single_sign_on")),
    path("sign-out/", second_step_not_needed(auth_views.LogoutView.as_view()), name="logout"),
    *second_step_views.urlpatterns,
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("directory/", include("directory.urls")),
    path("engagement/", include("engagement.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("surveys/", include("surveys.urls")),
    path("new-deal/", include("principles.urls")),
    path("market/", include("market.urls")),
    path("admin/", admin.site.urls),
]
