from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("suspendidas/", views.suspended_list, name="suspended_list"),
    path("<int:pk>/reactivar/", views.reactivate, name="reactivate"),
]
