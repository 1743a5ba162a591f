from django.urls import path

from yakuba.platform.ui import views, webhooks

app_name = "ui"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("switch/", views.switch_tenant, name="switch-tenant"),
    path("logout/", views.logout_view, name="logout"),
    path("linkage/webhooks/", webhooks.webhook_list, name="webhooks"),
    path(
        "linkage/webhooks/<int:subscription_id>/redeliver/",
        webhooks.webhook_redeliver,
        name="webhook-redeliver",
    ),
]
