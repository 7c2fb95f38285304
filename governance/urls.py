from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("", views.body_list, name="body_list"),
    path("nuevo/", views.body_create, name="body_create"),
    path("<int:body_pk>/", views.body_detail, name="body_detail"),
    path("<int:body_pk>/integrantes/nuevo/", views.member_appoint, name="member_appoint"),
    path("<int:body_pk>/sesiones/nueva/", views.session_convene, name="session_convene"),
    path("<int:body_pk>/seguimiento/", views.body_follow_up, name="body_follow_up"),
    path("sesiones/<int:session_pk>/", views.session_detail, name="session_detail"),
    path("sesiones/<int:session_pk>/celebrada/", views.session_hold, name="session_hold"),
    path("sesiones/<int:session_pk>/asistencia/", views.attendance_record, name="attendance_record"),
    path("sesiones/<int:session_pk>/acta/", views.session_minutes, name="session_minutes"),
    path("sesiones/<int:session_pk>/acuerdos/nuevo/", views.acuerdo_create, name="acuerdo_create"),
    path("acuerdos/", views.acuerdo_list, name="acuerdo_list"),
    path("acuerdos/<int:acuerdo_pk>/", views.acuerdo_detail, name="acuerdo_detail"),
    path("acuerdos/<int:acuerdo_pk>/en-proceso/", views.acuerdo_start, name="acuerdo_start"),
    path("acuerdos/<int:acuerdo_pk>/cumplido/", views.acuerdo_complete, name="acuerdo_complete"),
    path("acuerdos/<int:acuerdo_pk>/cancelar/", views.acuerdo_cancel, name="acuerdo_cancel"),
    path("acuerdos/<int:acuerdo_pk>/nota/", views.acuerdo_note, name="acuerdo_note"),
    path("seguimiento/", views.institution_follow_up, name="institution_follow_up"),
    path("documentos/<int:gdocument_pk>/", views.document_download, name="document_download"),
    path("pilotos/", views.pilot_list, name="pilot_list"),
    path("pilotos/nuevo/", views.pilot_request, name="pilot_request"),
    path("pilotos/<int:pilot_pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilotos/<int:pilot_pk>/iniciar/", views.pilot_start, name="pilot_start"),
    path("pilotos/<int:pilot_pk>/ampliar/", views.pilot_extend, name="pilot_extend"),
    path("pilotos/<int:pilot_pk>/concluir/", views.pilot_end, name="pilot_end"),
    path("consentimiento/", views.consent_list, name="consent_list"),
    path("consentimiento/marcar/", views.consent_mark, name="consent_mark"),
    path("consentimiento/nueva/", views.consent_request, name="consent_request"),
    path("consentimiento/<int:consent_pk>/", views.consent_detail, name="consent_detail"),
    path("consentimiento/<int:consent_pk>/atender/", views.consent_answer, name="consent_answer"),
    path("consentimiento/<int:consent_pk>/retirar/", views.consent_withdraw, name="consent_withdraw"),
    path("incidentes/", views.incident_list, name="incident_list"),
    path("incidentes/nuevo/", views.incident_report, name="incident_report"),
    path("incidentes/<int:incident_pk>/", views.incident_detail, name="incident_detail"),
    path("incidentes/<int:incident_pk>/recibido/", views.incident_acknowledge, name="incident_acknowledge"),
    path("incidentes/<int:incident_pk>/cerrar/", views.incident_close, name="incident_close"),
]
