from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nuevo/", views.agreement_create, name="create"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/vigencia/", views.agreement_activate, name="activate"),
    path("<int:pk>/documentos/nuevo/", views.document_upload, name="document_upload"),
    path("<int:pk>/enlaces/<int:party_pk>/designar/", views.officer_designate, name="officer_designate"),
    path("<int:pk>/avisos/nuevo/", views.termination_notice_create, name="termination_create"),
    path("<int:pk>/avisos/<int:notice_pk>/definitivo/", views.termination_finalize, name="termination_finalize"),
    path("<int:pk>/modificaciones/nueva/", views.amendment_create, name="amendment_create"),
    path("<int:pk>/obligaciones/nueva/", views.obligation_create, name="obligation_create"),
    path("obligaciones/<int:pk>/cumplimiento/", views.compliance_create, name="compliance_create"),
    path("cumplimiento/", views.compliance_overview, name="compliance"),
    path("documentos/<int:pk>/descargar/", views.document_download, name="document_download"),
    path("firmas/", views.signatory_list, name="signatory_list"),
    path("firmas/nueva/", views.signatory_submit, name="signatory_submit"),
    path("firmas/<int:pk>/", views.signatory_detail, name="signatory_detail"),
    path("firmas/<int:pk>/<slug:action>/", views.signatory_decide, name="signatory_decide"),
    path("membresias/", views.membership_list, name="membership_list"),
    path("membresias/solicitar/", views.membership_request, name="membership_request"),
    path("membresias/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("membresias/<int:pk>/resolver/", views.membership_decide, name="membership_decide"),
    path("membresias/<int:pk>/baja/", views.membership_exit, name="membership_exit"),
    path("membresias/<int:pk>/terminar/", views.membership_terminate, name="membership_terminate"),
    path("avisos-integrantes/", views.member_notice_list, name="member_notice_list"),
    path("avisos-integrantes/nuevo/", views.member_notice_create, name="member_notice_create"),
]
