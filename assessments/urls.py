from django.urls import path

from . import views
from .reports import views as report_views

app_name = "assessments"

urlpatterns = [
    path("", views.today_board, name="board"),
    path("injections/new/", views.new_injection, name="new_injection"),
    path("injections/<int:pk>/", views.injection_detail, name="injection_detail"),
    path("injections/<int:pk>/reading/", views.quick_reading, name="quick_reading"),
    path("injections/<int:pk>/week/", views.follow_up_week, name="follow_up_week"),
    path("injections/<int:pk>/report.pdf", report_views.injection_report, name="injection_report"),
]
