from django.contrib import admin
from django.urls import include, path

from assessments import enrolment, health, two_factor

# One login page for the admin and the bedside pages, with the authenticator code.
admin.site.login_form = two_factor.TwoFactorLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("account/two-factor/", enrolment.enrol, name=two_factor.ENROL_URL_NAME),
    path("diary/", include("assessments.diary.urls")),
    path("reminders/", include("assessments.reminders.urls")),
    path("account/whoami/", health.whoami, name="whoami"),
    path("health/", health.health, name="health"),
    path("", include("assessments.urls")),
]
