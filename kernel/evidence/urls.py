from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("<str:folio>/", views.verify, name="verify"),
]
