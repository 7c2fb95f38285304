from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("exportar.csv", views.timeline_csv, name="timeline_csv"),
]
