from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("leida/", views.mark_read, name="mark_read"),
    path("todas-leidas/", views.mark_all_read, name="mark_all_read"),
    path("envios/", views.outbox, name="outbox"),
    path("envios/reenviar/", views.resend, name="resend"),
]
