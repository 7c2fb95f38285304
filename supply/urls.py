from django.urls import path

from . import views

app_name = "supply"

urlpatterns = [
    path("", views.delivery_list, name="list"),
    path("nueva/", views.delivery_create, name="create"),
    path("<int:delivery_pk>/", views.delivery_detail, name="detail"),
    path("<int:delivery_pk>/errores.csv", views.delivery_errors, name="errors"),
    path("<int:delivery_pk>/recibo.pdf", views.delivery_receipt, name="receipt"),
    path("<int:delivery_pk>/<slug:decision>/", views.delivery_decide, name="decide"),
    path("layouts/", views.layout_list, name="layouts"),
    path("layouts/anexo/", views.layout_create_default, name="layout_default"),
    path("layouts/<int:layout_pk>/", views.layout_detail, name="layout_detail"),
    path("catalogos/", views.catalog_list, name="catalogs"),
    path("catalogos/nuevo/", views.catalog_upload, name="catalog_upload"),
    path("catalogos/<int:catalog_pk>/", views.catalog_detail, name="catalog_detail"),
    path("evaluacion/", views.evaluation_list, name="evaluations"),
    path("evaluacion/<int:evaluation_pk>/corregir/", views.evaluation_correct, name="evaluation_correct"),
]
