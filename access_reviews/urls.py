from django.urls import path

from . import views

app_name = "access_reviews"

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("nueva/", views.campaign_open, name="campaign_open"),
    path("cuentas-inactivas/", views.dormant_list, name="dormant_list"),
    path("<int:campaign_pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:campaign_pk>/ratificar/", views.items_confirm, name="items_confirm"),
    path("<int:campaign_pk>/reporte/", views.campaign_report, name="campaign_report"),
    path("cuentas/<int:review_item_pk>/revocar/", views.item_revoke, name="item_revoke"),
]
