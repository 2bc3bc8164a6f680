from django.urls import path

from . import views
from .reports import views as report_views
from .views import diary, follow_up, patients, readings, signoff, statistics, workups

app_name = "assessments"

urlpatterns = [
    path("", views.today_board, name="board"),
    path("follow-up/", follow_up.call_list, name="call_list"),
    path("patients/", patients.patient_search, name="patient_search"),
    path("patients/<int:patient_id>/work-up/", workups.work_up, name="work_up"),
    path(
        "patients/<int:patient_id>/work-up/<int:work_up_id>/", workups.work_up, name="work_up_edit"
    ),
    path("stats/", statistics.dashboard, name="statistics"),
    path("stats/table.csv", statistics.table_csv, name="statistics_csv"),
    path("injections/new/", views.new_injection, name="new_injection"),
    path("injections/<int:pk>/", views.injection_detail, name="injection_detail"),
    path("injections/<int:pk>/reading/", views.quick_reading, name="quick_reading"),
    path("injections/<int:pk>/baseline/", readings.baseline_reading, name="baseline_reading"),
    path(
        "injections/<int:pk>/readings/<int:reading_pk>/correct/",
        readings.correct_reading,
        name="correct_reading",
    ),
    path("injections/<int:pk>/sign/", signoff.sign_off, name="sign_off"),
    path("injections/<int:pk>/week/", views.follow_up_week, name="follow_up_week"),
    path("injections/<int:pk>/report.pdf", report_views.injection_report, name="injection_report"),
    path("injections/<int:pk>/diary-link/", diary.issue_link, name="diary_link"),
    path("injections/<int:pk>/diary-link/revoke/", diary.revoke_link, name="diary_link_revoke"),
    path("injections/<int:pk>/handout.pdf", diary.handout, name="handout"),
    path("injections/<int:pk>/paper-diary/", diary.paper_diary, name="paper_diary"),
]
