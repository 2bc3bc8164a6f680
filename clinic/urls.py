from django.contrib import admin
from django.urls import include, path

from assessments import enrolment, health, two_factor

admin.site.site_header = "SI joint injections"
admin.site.site_title = "SI joint injections"
admin.site.index_title = "Clinic records"
# The few models are one click away on the index; the sidebar took 280 px from every table.
admin.site.enable_nav_sidebar = False
# One login page for the admin and the bedside pages, with the authenticator code.
admin.site.login_form = two_factor.TwoFactorLoginForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("account/two-factor/", enrolment.enrol, name=two_factor.ENROL_URL_NAME),
    path("diary/", include("assessments.diary.urls")),
    path("account/whoami/", health.whoami, name="whoami"),
    path("health/", health.health, name="health"),
    path("", include("assessments.urls")),
]
