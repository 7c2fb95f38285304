"""Routes of onboarding and the account lifecycle, mounted under /cuentas/ by portal.urls (namespace ``onboarding``)."""

from django.urls import path

from . import views_onboarding as views
from . import views_review, views_second_factor

app_name = "onboarding"

urlpatterns = [
    path("solicitudes/", views.account_request_list, name="account_request_list"),
    path("solicitudes/nueva/", views.account_request_create, name="account_request_create"),
    path("solicitudes/<int:request_pk>/", views.account_request_detail, name="account_request_detail"),
    path("solicitudes/<int:request_pk>/editar/", views.account_request_edit, name="account_request_edit"),
    path("solicitudes/<int:request_pk>/documentos/", views.account_request_upload, name="account_request_upload"),
    path(
        "solicitudes/documentos/<int:request_document_pk>/descargar/",
        views.account_request_document,
        name="account_request_document",
    ),
    path("solicitudes/<int:request_pk>/curu/", views.account_request_curu, name="account_request_curu"),
    path("solicitudes/<int:request_pk>/enviar/", views.account_request_submit, name="account_request_submit"),
    path("solicitudes/<int:request_pk>/retirar/", views.account_request_withdraw, name="account_request_withdraw"),
    path("solicitudes/<int:request_pk>/revisar/", views.account_request_review, name="account_request_review"),
    path(
        "solicitudes/<int:request_pk>/firma-autorizada/",
        views.account_request_specimen,
        name="account_request_specimen",
    ),
    path("revision/", views.review_queue, name="review_queue"),
    path(
        "documentos/<int:request_document_pk>/primera-pagina.png",
        views_review.request_letter_page,
        name="request_letter_page",
    ),
    path("activar/<str:token>/", views.account_activate, name="account_activate"),
    path("segundo-factor/", views_second_factor.second_factor_verify, name="second_factor_verify"),
    path("segundo-factor/alta/", views_second_factor.second_factor_enrol, name="second_factor_enrol"),
    path("segundo-factor/llave/alta/", views_second_factor.passkey_enrol, name="second_factor_passkey_enrol"),
    path("segundo-factor/llave/", views_second_factor.passkey_verify, name="second_factor_passkey_verify"),
    path("segundo-factor/seguridad/", views_second_factor.security, name="second_factor_security"),
    path("segundo-factor/llave/agregar/", views_second_factor.passkey_add, name="second_factor_passkey_add"),
    path("carta/", views.letter_accept, name="letter_accept"),
    path("carta/enlace/", views.letter_link_officer, name="letter_link_officer"),
    path("cartas/", views.letter_mine, name="letter_mine"),
    path("cartas/<int:letter_pk>/pdf/", views.letter_download, name="letter_download"),
    path("cartas/mia/<str:letter_kind>/pdf/", views.letter_own_download, name="letter_own_download"),
    path("cartas/mia/firmada/", views.letter_scan_upload, name="letter_scan_upload"),
    path("cartas/<int:letter_pk>/firmada/descargar/", views.letter_scan_download, name="letter_scan_download"),
    path("cartas/<int:letter_pk>/validar/", views.letter_scan_review, name="letter_scan_review"),
    path("cambios/", views.account_change_list, name="account_change_list"),
    path("cambios/nuevo/", views.account_change_create, name="account_change_create"),
    path("cambios/<int:change_pk>/", views.account_change_detail, name="account_change_detail"),
    path(
        "cambios/documentos/<int:change_document_pk>/descargar/",
        views.account_change_document,
        name="account_change_document",
    ),
    path("documentos-requeridos/", views.required_document_list, name="required_document_list"),
    path("documentos-requeridos/nuevo/", views.required_document_edit, name="required_document_create"),
    path(
        "documentos-requeridos/<int:required_document_pk>/", views.required_document_edit, name="required_document_edit"
    ),
    path("plantillas-carta/<str:letter_kind>/", views.letter_template_edit, name="letter_template_edit"),
    path("configuracion/", views.onboarding_settings_edit, name="onboarding_settings"),
]
