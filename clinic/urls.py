from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "SI joint injections"
admin.site.site_title = "SI joint injections"
admin.site.index_title = "Clinic records"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("assessments.urls")),
]
