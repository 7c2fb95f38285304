from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("nuevo/", views.agreement_create, name="create"),
    path("<int:agreement_pk>/", views.agreement_detail, name="detail"),
    path("<int:agreement_pk>/editar/", views.agreement_edit, name="edit"),
    path("<int:agreement_pk>/vigencia/", views.agreement_activate, name="activate"),
    path("<int:agreement_pk>/renovar/", views.agreement_renew, name="renew"),
    path("<int:agreement_pk>/documentos/nuevo/", views.document_upload, name="document_upload"),
    path("<int:agreement_pk>/enlaces/<int:party_pk>/designar/", views.officer_designate, name="officer_designate"),
    path("<int:agreement_pk>/enlaces/<int:party_pk>/suplente/", views.officer_deputy, name="officer_deputy"),
    path("<int:agreement_pk>/enlaces/<int:party_pk>/informe/", views.officer_report, name="officer_report"),
    path("<int:agreement_pk>/enlaces/<int:party_pk>/cuenta/", views.officer_account, name="officer_account"),
    path("cartas-del-enlace/", views.officer_letters, name="officer_letters"),
    path("<int:agreement_pk>/partes/<int:party_pk>/domicilio/", views.party_address, name="party_address"),
    path("<int:agreement_pk>/partes/<int:party_pk>/plazo-enlace/", views.party_deadline, name="party_deadline"),
    path("<int:agreement_pk>/avisos/nuevo/", views.termination_notice_create, name="termination_create"),
    path(
        "<int:agreement_pk>/avisos/<int:notice_pk>/definitivo/", views.termination_finalize, name="termination_finalize"
    ),
    path("<int:agreement_pk>/avisos/<int:notice_pk>/respuesta/", views.rescission_answer, name="rescission_answer"),
    path("<int:agreement_pk>/avisos/<int:notice_pk>/retirar/", views.termination_withdraw, name="termination_withdraw"),
    path("<int:agreement_pk>/modificaciones/nueva/", views.amendment_create, name="amendment_create"),
    path("<int:agreement_pk>/obligaciones/nueva/", views.obligation_create, name="obligation_create"),
    path("obligaciones/<int:obligation_pk>/cumplimiento/", views.compliance_create, name="compliance_create"),
    path("cumplimiento/", views.compliance_overview, name="compliance"),
    path("documentos/<int:document_pk>/descargar/", views.document_download, name="document_download"),
    path("firmas/", views.signatory_list, name="signatory_list"),
    path("firmas/nueva/", views.signatory_submit, name="signatory_submit"),
    path("firmas/<int:signatory_pk>/", views.signatory_detail, name="signatory_detail"),
    path("firmas/<int:signatory_pk>/<slug:signatory_action>/", views.signatory_decide, name="signatory_decide"),
    path("membresias/", views.membership_list, name="membership_list"),
    path("membresias/solicitar/", views.membership_request, name="membership_request"),
    path("membresias/<int:membership_pk>/", views.membership_detail, name="membership_detail"),
    path("membresias/<int:membership_pk>/resolver/", views.membership_decide, name="membership_decide"),
    path("membresias/<int:membership_pk>/baja/", views.membership_exit, name="membership_exit"),
    path("membresias/<int:membership_pk>/documentos/", views.membership_follow_up, name="membership_follow_up"),
    path("membresias/<int:membership_pk>/terminar/", views.membership_terminate, name="membership_terminate"),
    path("dias-inhabiles/", views.non_working_days, name="non_working_days"),
    path(
        "dias-inhabiles/<int:non_working_day_pk>/eliminar/", views.non_working_day_delete, name="non_working_day_delete"
    ),
    path("avisos-integrantes/", views.member_notice_list, name="member_notice_list"),
    path("avisos-integrantes/nuevo/", views.member_notice_create, name="member_notice_create"),
]
