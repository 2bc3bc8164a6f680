from django.urls import path

from . import views

app_name = "diary"

urlpatterns = [
    path("<str:token>/", views.entry, name="entry"),
    path("<str:token>/thanks/", views.thanks, name="thanks"),
]
