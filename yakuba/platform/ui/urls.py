from django.urls import path
from django.views.generic import TemplateView

app_name = "ui"

urlpatterns = [
    path("", TemplateView.as_view(template_name="ui/home.html"), name="home"),
    path("login/", TemplateView.as_view(template_name="ui/home.html"), name="login"),
    path("otp/", TemplateView.as_view(template_name="ui/home.html"), name="otp"),
]
