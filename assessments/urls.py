from django.urls import path
from django.views.generic import RedirectView

from . import report_views

app_name = "assessments"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("injections/<int:pk>/report.pdf", report_views.injection_report, name="injection_report"),
]
