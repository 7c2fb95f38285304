import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_fsm import can_proceed

from agreements.models import AgreementParty, Institution
from audit.export import csv_safe_row
from audit.services import record_event
from kernel import documents as kernel_documents
from kernel import web
from kernel.access import permission
from kernel.pdf import render_pdf

from . import forms, selectors, services, services_incidents
from .models import Acuerdo, ConsentProcessing, Incident, Member

_page = web.page
_query_without_page = web.query_without_page

# Each list's sortable columns (?orden=, kernel.web): public keys -> orderings; the filters narrow.
BODY_SORTS = web.Sortable(
    {"clave": ("code",), "nombre": ("name",), "tipo": ("kind",), "convenio": ("agreement__folio",)},
    default="nombre",
)
SESSION_SORTS = web.Sortable({"tipo": ("kind",), "fecha": ("starts_at",), "estado": ("status",)}, default="-fecha")
ACUERDO_SORTS = web.Sortable(
    {"acuerdo": ("session__starts_at", "number"), "fecha_limite": ("due_on",), "estado": ("status",)},
    default="acuerdo",
)
PILOT_SORTS = web.Sortable(
    {
        "programa": ("title",),
        "convenio": ("agreement__folio",),
        "solicitante": ("requested_by__acronym",),
        "periodo": ("starts_on",),
        "estado": ("status",),
        "reciente": ("-requested_on", "title"),  # no column: the default, the latest requests first
    },
    default="reciente",
)
CONSENT_SORTS = web.Sortable(
    {
        "convenio": ("agreement__folio",),
        "solicita": ("requested_by__acronym",),
        "requerida": ("requested_from__acronym",),
        "fecha_limite": ("due_on",),
        "estado": ("status",),
        "solicitud": ("requested_on",),  # no column: the default, the latest requests first
    },
    default="-solicitud",
)
# Severity sorts by rank (low to critical), not by its stored word.
_SEVERITY_RANK = Case(
    *(When(severity=value, then=Value(rank)) for rank, value in enumerate(Incident.Severity.values)),
    output_field=IntegerField(),
)
INCIDENT_SORTS = web.Sortable(
    {
        "institucion": ("institution__acronym",),
        "ocurrio": ("occurred_at",),
        "gravedad": (_SEVERITY_RANK.asc(),),
        "estado": ("status",),
    },
    default="-ocurrio",
)


def _form_errors(form, error):
    for message in error.messages:
        form.add_error(None, message)


def _is_commission(user):
    return user.has_platform_scope


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(csv_safe_row(row) for row in rows)
    return response


def _form_page(request, form, *, title, back=None, lead="", submit_label=None, danger=False):
    context = {"form": form, "title": title, "back": back, "lead": lead, "submit_label": submit_label}
    return render(request, "governance/form.html", {**context, "danger": danger})


def _run(request, form, call, *, done):
    """Run a service; its refusal becomes the form's error (nothing typed is lost)."""
    try:
        result = call()
    except ValidationError as error:
        _form_errors(form, error)
        return None
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return result


# --- Bodies ----------------------------------------------------------------------------------


@permission("governance.view_body")
def body_list(request):
    filterset = selectors.body_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, BODY_SORTS)
    if request.GET.get("formato") == "csv":
        rows = (
            [
                b.code,
                b.name,
                b.get_kind_display(),
                b.agreement.folio if b.agreement else "",
                "; ".join(p.institution.acronym for p in b.parties.all()),
            ]
            for b in qs
        )
        header = [_("Clave"), _("Nombre"), _("Tipo"), _("Convenio"), _("Instituciones")]
        return _csv_response("organos.csv", header, rows)
    return render(
        request,
        "governance/body_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("governance.add_body")
@require_http_methods(["GET", "POST"])
def body_create(request):
    from agreements.selectors import agreement_list

    form = forms.BodyForm(
        request.POST or None,
        agreements=agreement_list(user=request.user),
        institutions=Institution.objects.visible_to(request.user).order_by("acronym"),
    )
    if request.method == "POST" and form.is_valid():
        body = _run(
            request,
            form,
            lambda: services.body_create(actor=request.user, **form.cleaned_data),
            done=_("Órgano registrado."),
        )
        if body is not None:
            return redirect(body)
    return _form_page(request, form, title=_("Registrar órgano"))


@permission("governance.view_body")
def body_detail(request, body_pk):
    body = selectors.body_get(user=request.user, pk=body_pk)
    today = timezone.localdate()
    members = list(body.members.select_related("institution", "notice", "replaces"))
    user = request.user
    for member in members:
        member.current = member.is_current(today)
        member.can_substitute = (
            user.has_perm("governance.add_member")
            and member.effective_until is None
            and (_is_commission(user) or member.institution_id == user.institution_id)
        )
    sessions, sorting = web.sort(request, body.sessions.all(), SESSION_SORTS)
    return render(
        request,
        "governance/body_detail.html",
        {
            "body": body,
            "parties": body.parties.select_related("institution"),
            "members": members,
            "page": _page(request, sessions),
            "query": _query_without_page(request),
            "sorting": sorting,
            "follow_up": selectors.follow_up(user=user, body=body, today=today),
        },
    )


@permission("governance.add_member")
@require_http_methods(["GET", "POST"])
def member_appoint(request, body_pk):
    body = selectors.body_get(user=request.user, pk=body_pk)
    institutions = Institution.objects.filter(body_parties__body=body)
    if not _is_commission(request.user):
        institutions = institutions.filter(pk=request.user.institution_id)
    replaces = None
    if request.GET.get("sustituye"):
        try:
            replaces = get_object_or_404(
                Member.objects.filter(body=body, institution__in=institutions, effective_until__isnull=True),
                pk=int(request.GET["sustituye"]),
            )
        except ValueError:
            raise Http404 from None
    initial = {"notified_on": timezone.localdate()}
    if replaces is not None:
        initial["institution"] = replaces.institution_id
    form = forms.MemberForm(request.POST or None, request.FILES or None, institutions=institutions, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        member = _run(
            request,
            form,
            lambda: services.member_appoint(
                actor=request.user,
                body=body,
                institution=data["institution"],
                full_name=data["full_name"],
                position=data["position"],
                email=data["email"],
                notified_on=data["notified_on"],
                effective_from=data["effective_from"],
                notice_file=data["notice"],
                replaces=replaces,
            ),
            done=_("Integrante registrado."),
        )
        if member is not None:
            return redirect(body)
    title = _("Sustituir a %(name)s") % {"name": replaces.full_name} if replaces else _("Designar integrante")
    return _form_page(request, form, title=title, back=body.get_absolute_url())


# --- Sessions --------------------------------------------------------------------------------


@permission("governance.add_session")
@require_http_methods(["GET", "POST"])
def session_convene(request, body_pk):
    body = selectors.body_get(user=request.user, pk=body_pk)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = _run(
            request,
            form,
            lambda: services.session_convene(actor=request.user, body=body, **form.cleaned_data),
            done=_("Sesión convocada."),
        )
        if session is not None:
            return redirect(session)
    return _form_page(
        request, form, title=_("Convocar sesión de %(code)s") % {"code": body.code}, back=body.get_absolute_url()
    )


@permission("governance.view_session")
def session_detail(request, session_pk):
    session = selectors.session_get(user=request.user, pk=session_pk)
    return render(
        request,
        "governance/session_detail.html",
        {
            "session": session,
            "body": session.body,
            "attendance": session.attendance.select_related("member__institution"),
            "acuerdos": selectors.acuerdo_list(user=request.user).filter(session=session).order_by("number"),
            "can_hold": can_proceed(session.hold),
            "is_held": session.status == session.Status.HELD,
        },
    )


def _session_action_refused(request, session, error):
    messages.error(request, " ".join(error.messages))
    return redirect(session)


@permission("governance.change_session")
@require_http_methods(["GET", "POST"])
def session_hold(request, session_pk):
    session = selectors.session_get(user=request.user, pk=session_pk)
    if request.method == "POST":
        try:
            services.session_hold(actor=request.user, session=session)
        except ValidationError as error:
            return _session_action_refused(request, session, error)
        messages.success(request, _("Sesión registrada como celebrada."))
        return redirect(session)
    return render(
        request,
        "governance/confirm.html",
        {
            "title": _("Registrar la sesión %(code)s como celebrada") % {"code": session.code},
            "question": _(
                "¿Confirma que la sesión se celebró? Después podrá registrar asistencia, acuerdos y el acta."
            ),
            "cancel_url": session.get_absolute_url(),
        },
    )


@permission("governance.change_session")
@require_http_methods(["GET", "POST"])
def attendance_record(request, session_pk):
    session = selectors.session_get(user=request.user, pk=session_pk)
    members = [
        m
        for m in session.body.members.select_related("institution").order_by("institution__acronym", "full_name")
        if m.is_current(session.date)
    ]
    existing = {a.member_id: a for a in session.attendance.all()}
    initial = {}
    for member_pk, row in existing.items():
        initial[f"status_{member_pk}"] = row.status
        initial[f"represented_{member_pk}"] = row.represented_by
    form = forms.AttendanceForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.attendance_record(actor=request.user, session=session, entries=form.entries()),
                done=_("Asistencia registrada."),
            )
            is not None
        ):
            return redirect(session)
    lead = "" if members else _("El órgano no tiene integrantes vigentes en la fecha de la sesión.")
    return _form_page(
        request,
        form,
        title=_("Asistencia a la sesión %(code)s") % {"code": session.code},
        back=session.get_absolute_url(),
        lead=lead,
    )


@permission("governance.change_session")
@require_http_methods(["GET", "POST"])
def session_minutes(request, session_pk):
    session = selectors.session_get(user=request.user, pk=session_pk)
    form = forms.MinutesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.session_sign_minutes(
                    actor=request.user, session=session, file=form.cleaned_data["minutes"]
                ),
                done=_("Acta firmada cargada."),
            )
            is not None
        ):
            return redirect(session)
    return _form_page(
        request,
        form,
        title=_("Acta firmada de la sesión %(code)s") % {"code": session.code},
        back=session.get_absolute_url(),
        lead=_("Al cargar el acta firmada la sesión se cierra: ya no cambian su asistencia ni sus acuerdos."),
    )


# --- Acuerdos --------------------------------------------------------------------------------


@permission("governance.add_acuerdo")
@require_http_methods(["GET", "POST"])
def acuerdo_create(request, session_pk):
    session = selectors.session_get(user=request.user, pk=session_pk)
    body = session.body
    parties = AgreementParty.objects.none()
    if body.agreement_id:
        parties = AgreementParty.objects.filter(agreement_id=body.agreement_id).select_related("institution")
    form = forms.AcuerdoForm(
        request.POST or None,
        institutions=Institution.objects.filter(body_parties__body=body).order_by("acronym"),
        parties=parties,
        initial={"deadline_kind": Acuerdo.DeadlineKind.FIXED},
    )
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.acuerdo_create(actor=request.user, session=session, **form.cleaned_data),
                done=_("Acuerdo registrado."),
            )
            is not None
        ):
            return redirect(session)
    return _form_page(
        request,
        form,
        title=_("Acuerdo de la sesión %(code)s") % {"code": session.code},
        back=session.get_absolute_url(),
    )


def _acuerdo_rows(qs, today):
    for a in qs:
        yield [
            a.code,
            a.text,
            "; ".join(r.institution.acronym for r in a.responsibles.all()) or a.responsible_people,
            a.due_on.isoformat(),
            a.get_status_display(),
            _("Sí") if a.is_overdue(today) else _("No"),
        ]


ACUERDO_HEADER = [_("Acuerdo"), _("Texto"), _("Responsables"), _("Fecha límite"), _("Estado"), _("Vencido")]


@permission("governance.view_acuerdo")
def acuerdo_list(request):
    filterset = selectors.acuerdo_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, ACUERDO_SORTS)
    if request.GET.get("formato") == "csv":
        return _csv_response("acuerdos.csv", [str(h) for h in ACUERDO_HEADER], _acuerdo_rows(qs, timezone.localdate()))
    return render(
        request,
        "governance/acuerdo_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


def _can_act_on(user, acuerdo):
    return _is_commission(user) or acuerdo.responsibles.filter(institution_id=user.institution_id).exists()


@permission("governance.view_acuerdo")
def acuerdo_detail(request, acuerdo_pk):
    acuerdo = selectors.acuerdo_get(user=request.user, pk=acuerdo_pk)
    user = request.user
    may_act = user.has_perm("governance.change_acuerdo") and _can_act_on(user, acuerdo)
    return render(
        request,
        "governance/acuerdo_detail.html",
        {
            "acuerdo": acuerdo,
            "notes": acuerdo.notes.select_related("author"),
            "note_form": forms.NoteForm() if user.has_perm("governance.add_followupnote") else None,
            "can_start": may_act and can_proceed(acuerdo.start),
            "can_complete": may_act and acuerdo.is_open,
            "can_cancel": user.has_perm("governance.delete_acuerdo") and _is_commission(user) and acuerdo.is_open,
        },
    )


@permission("governance.change_acuerdo")
@require_http_methods(["GET", "POST"])
def acuerdo_start(request, acuerdo_pk):
    acuerdo = selectors.acuerdo_get(user=request.user, pk=acuerdo_pk)
    if request.method == "POST":
        try:
            services.acuerdo_start(actor=request.user, acuerdo=acuerdo)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Acuerdo en proceso."))
        return redirect(acuerdo)
    return render(
        request,
        "governance/confirm.html",
        {
            "title": _("Acuerdo %(code)s en proceso") % {"code": acuerdo.code},
            "question": _("¿Marcar el acuerdo como en proceso?"),
            "cancel_url": acuerdo.get_absolute_url(),
        },
    )


@permission("governance.change_acuerdo")
@require_http_methods(["GET", "POST"])
def acuerdo_complete(request, acuerdo_pk):
    acuerdo = selectors.acuerdo_get(user=request.user, pk=acuerdo_pk)
    if not _can_act_on(request.user, acuerdo):
        raise Http404
    form = forms.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.acuerdo_complete(
                    actor=request.user,
                    acuerdo=acuerdo,
                    evidence_file=form.cleaned_data["evidence"],
                    note=form.cleaned_data["note"],
                ),
                done=_("Acuerdo cumplido."),
            )
            is not None
        ):
            return redirect(acuerdo)
    return _form_page(
        request,
        form,
        title=_("Dar por cumplido el acuerdo %(code)s") % {"code": acuerdo.code},
        back=acuerdo.get_absolute_url(),
        submit_label=_("Marcar cumplido"),
    )


@permission("governance.delete_acuerdo")
@require_http_methods(["GET", "POST"])
def acuerdo_cancel(request, acuerdo_pk):
    acuerdo = selectors.acuerdo_get(user=request.user, pk=acuerdo_pk)
    form = forms.CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.acuerdo_cancel(
                    actor=request.user, acuerdo=acuerdo, reason=form.cleaned_data["reason"]
                ),
                done=_("Acuerdo cancelado."),
            )
            is not None
        ):
            return redirect(acuerdo)
    return _form_page(
        request,
        form,
        title=_("Cancelar el acuerdo %(code)s") % {"code": acuerdo.code},
        back=acuerdo.get_absolute_url(),
        submit_label=_("Cancelar el acuerdo"),
        danger=True,
        lead=_("La cancelación no se puede deshacer; el motivo queda en la bitácora."),
    )


@permission("governance.add_followupnote")
@require_http_methods(["GET", "POST"])
def acuerdo_note(request, acuerdo_pk):
    acuerdo = selectors.acuerdo_get(user=request.user, pk=acuerdo_pk)
    if request.method == "GET":  # the form lives on the acuerdo's page
        return redirect(acuerdo)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.acuerdo_note_add(actor=request.user, acuerdo=acuerdo, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Nota agregada."))
    else:
        messages.error(request, _("Escriba la nota de seguimiento."))
    return redirect(acuerdo)


# --- Follow-up -------------------------------------------------------------------------------


def _follow_up_response(request, *, follow, title, filename):
    rows = follow["overdue"] + follow["due_soon"] + follow["pending"]
    fmt = request.GET.get("formato")
    if fmt == "csv":
        return _csv_response(f"{filename}.csv", [str(h) for h in ACUERDO_HEADER], _acuerdo_rows(rows, follow["today"]))
    if fmt == "pdf":
        data = render_pdf("pdf/governance_follow_up.html", {"title": title, **follow})
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
        return response
    return None


@permission("governance.view_acuerdo")
def body_follow_up(request, body_pk):
    body = selectors.body_get(user=request.user, pk=body_pk)
    follow = selectors.follow_up(user=request.user, body=body)
    title = _("Seguimiento de acuerdos de %(name)s") % {"name": body.name}
    response = _follow_up_response(request, follow=follow, title=title, filename=f"seguimiento-{body.code}")
    if response is not None:
        return response
    return render(request, "governance/follow_up.html", {"title": title, "body": body, **follow})


@permission("governance.view_acuerdo")
def institution_follow_up(request):
    institutions = selectors.institutions_in_bodies(user=request.user)
    if not _is_commission(request.user):
        institutions = institutions.filter(pk=request.user.institution_id)
    chosen = request.GET.get("institucion") or request.user.institution_id
    try:
        institution = institutions.filter(pk=int(chosen)).first() if chosen else None
    except ValueError:
        institution = None
    follow = selectors.follow_up(user=request.user, institution=institution) if institution else None
    title = _("Seguimiento de acuerdos por institución")
    if follow is not None:
        title = _("Acuerdos a cargo de %(name)s") % {"name": institution.acronym}
        response = _follow_up_response(
            request, follow=follow, title=title, filename=f"seguimiento-{institution.acronym}"
        )
        if response is not None:
            return response
    return render(
        request,
        "governance/follow_up.html",
        {"title": title, "institutions": institutions, "institution": institution, **(follow or {})},
    )


# --- Documents -------------------------------------------------------------------------------


@permission("governance.view_document")
def document_download(request, gdocument_pk):
    document = selectors.document_get(user=request.user, pk=gdocument_pk)
    record_event(
        category="business",
        action="governance_document_downloaded",
        actor=request.user,
        institution=request.user.institution,
        target=document,
        detail={"sha256": document.sha256},
        request=request,
    )
    return kernel_documents.attachment_response(
        document.file.name, filename=document.original_name, content_type=document.content_type
    )


# --- Pilot programs --------------------------------------------------------------------------


@permission("governance.view_pilotprogram")
def pilot_list(request):
    filterset = selectors.pilot_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, PILOT_SORTS)
    if request.GET.get("formato") == "csv":
        rows = (
            [
                p.title,
                p.agreement.folio,
                p.requested_by.acronym,
                p.get_status_display(),
                p.starts_on.isoformat() if p.starts_on else "",
                p.ends_on.isoformat() if p.ends_on else "",
                _("Sí") if p.is_extended else _("No"),
            ]
            for p in qs
        )
        header = [_("Programa"), _("Convenio"), _("Solicitante"), _("Estado"), _("Inicio"), _("Término"), _("Ampliado")]
        return _csv_response("programas-piloto.csv", header, rows)
    return render(
        request,
        "governance/pilot_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("governance.add_pilotprogram")
@require_http_methods(["GET", "POST"])
def pilot_request(request):
    agreements = selectors.agreements_for_pilots(user=request.user)
    institutions = Institution.objects.filter(agreement_parties__agreement__in=agreements.values("pk")).distinct()
    if not _is_commission(request.user):
        institutions = institutions.filter(pk=request.user.institution_id)
    form = forms.PilotRequestForm(
        request.POST or None,
        request.FILES or None,
        agreements=agreements,
        institutions=institutions,
        initial={"requested_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        pilot = _run(
            request,
            form,
            lambda: services.pilot_request(actor=request.user, **form.cleaned_data),
            done=_("Solicitud de programa piloto registrada."),
        )
        if pilot is not None:
            return redirect(pilot)
    return _form_page(request, form, title=_("Solicitar programa piloto"))


@permission("governance.view_pilotprogram")
def pilot_detail(request, pilot_pk):
    pilot = selectors.pilot_get(user=request.user, pk=pilot_pk)
    manage = request.user.has_perm("governance.change_pilotprogram") and _is_commission(request.user)
    return render(
        request,
        "governance/pilot_detail.html",
        {
            "pilot": pilot,
            "can_start": manage and pilot.status == pilot.Status.REQUESTED,
            "can_manage": manage and pilot.status == pilot.Status.STARTED,
            "days_left": pilot.days_left(),
        },
    )


@permission("governance.change_pilotprogram")
@require_http_methods(["GET", "POST"])
def pilot_start(request, pilot_pk):
    pilot = selectors.pilot_get(user=request.user, pk=pilot_pk)
    form = forms.PilotStartForm(
        request.POST or None, request.FILES or None, initial={"starts_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            _run(
                request,
                form,
                lambda: services.pilot_start(
                    actor=request.user,
                    pilot=pilot,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    justification_file=data["justification"],
                ),
                done=_("Programa piloto iniciado."),
            )
            is not None
        ):
            return redirect(pilot)
    return _form_page(
        request,
        form,
        title=_("Iniciar «%(title)s»") % {"title": pilot.title},
        back=pilot.get_absolute_url(),
        lead=_(
            "Ningún programa piloto excede seis meses desde su inicio, salvo circunstancias justificadas por escrito."
        ),
    )


@permission("governance.change_pilotprogram")
@require_http_methods(["GET", "POST"])
def pilot_extend(request, pilot_pk):
    pilot = selectors.pilot_get(user=request.user, pk=pilot_pk)
    form = forms.PilotExtendForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            _run(
                request,
                form,
                lambda: services.pilot_extend(
                    actor=request.user,
                    pilot=pilot,
                    ends_on=data["ends_on"],
                    reason=data["reason"],
                    justification_file=data["justification"],
                ),
                done=_("Programa piloto ampliado."),
            )
            is not None
        ):
            return redirect(pilot)
    return _form_page(
        request, form, title=_("Ampliar «%(title)s»") % {"title": pilot.title}, back=pilot.get_absolute_url()
    )


@permission("governance.change_pilotprogram")
@require_http_methods(["GET", "POST"])
def pilot_end(request, pilot_pk):
    pilot = selectors.pilot_get(user=request.user, pk=pilot_pk)
    if request.method == "POST":
        try:
            services.pilot_end(actor=request.user, pilot=pilot)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Programa piloto concluido."))
        return redirect(pilot)
    return render(
        request,
        "governance/confirm.html",
        {
            "title": _("Concluir «%(title)s»") % {"title": pilot.title},
            "question": _("¿Concluir hoy el programa piloto? No se puede reanudar."),
            "cancel_url": pilot.get_absolute_url(),
            "danger": True,
        },
    )


# --- Consent evidence ------------------------------------------------------------------------


@permission("governance.view_consentevidencerequest")
def consent_list(request):
    filterset = selectors.consent_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, CONSENT_SORTS)
    today = timezone.localdate()
    if request.GET.get("formato") == "csv":
        rows = (
            [
                c.agreement.folio,
                c.requested_by.acronym,
                c.requested_from.acronym,
                " ".join(c.folio_list),
                c.requested_on.isoformat(),
                c.due_on.isoformat(),
                c.get_status_display(),
                _("Sí") if c.is_overdue(today) else _("No"),
            ]
            for c in qs
        )
        header = [
            _("Convenio"),
            _("Solicita"),
            _("Requerida"),
            _("Folios"),
            _("Solicitud"),
            _("Fecha límite"),
            _("Estado"),
            _("Vencida"),
        ]
        return _csv_response("evidencias-consentimiento.csv", header, rows)
    return render(
        request,
        "governance/consent_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


@permission("governance.add_consentprocessing")
@require_http_methods(["GET", "POST"])
def consent_mark(request):
    from agreements.selectors import agreement_list

    agreements = agreement_list(user=request.user).exclude(pk__in=ConsentProcessing.objects.values("agreement"))
    form = forms.ConsentMarkForm(
        request.POST or None, agreements=agreements, institutions=Institution.objects.visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.consent_processing_mark(actor=request.user, **form.cleaned_data),
                done=_("Convenio marcado como tratamiento de datos con consentimiento."),
            )
            is not None
        ):
            return redirect("governance:consent_list")
    return _form_page(request, form, title=_("Marcar convenio con tratamiento por consentimiento"))


@permission("governance.add_consentevidencerequest")
@require_http_methods(["GET", "POST"])
def consent_request(request):
    from agreements.selectors import agreement_list

    agreements = agreement_list(user=request.user).filter(consent_processing__isnull=False)
    institutions = Institution.objects.filter(agreement_parties__agreement__in=agreements.values("pk")).distinct()
    if not _is_commission(request.user):
        institutions = institutions.filter(pk=request.user.institution_id)
    form = forms.ConsentRequestForm(request.POST or None, agreements=agreements, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        created = _run(
            request,
            form,
            lambda: services.consent_request_create(actor=request.user, **form.cleaned_data),
            done=_("Solicitud de evidencia enviada."),
        )
        if created is not None:
            return redirect(created)
    return _form_page(request, form, title=_("Solicitar evidencia de consentimiento"))


@permission("governance.view_consentevidencerequest")
def consent_detail(request, consent_pk):
    item = selectors.consent_get(user=request.user, pk=consent_pk)
    user = request.user
    return render(
        request,
        "governance/consent_detail.html",
        {
            "item": item,
            "documents": item.documents.all(),
            "can_answer": item.status == item.Status.REQUESTED
            and user.has_perm("governance.change_consentevidencerequest")
            and (_is_commission(user) or user.institution_id == item.requested_from_id),
            "can_withdraw": item.status == item.Status.REQUESTED
            and user.has_perm("governance.add_consentevidencerequest")
            and (_is_commission(user) or user.institution_id == item.requested_by_id),
        },
    )


@permission("governance.change_consentevidencerequest")
@require_http_methods(["GET", "POST"])
def consent_answer(request, consent_pk):
    item = selectors.consent_get(user=request.user, pk=consent_pk)
    form = forms.ConsentAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if (
            _run(
                request,
                form,
                lambda: services.consent_request_answer(
                    actor=request.user, request=item, files=form.files_list(), answer=form.cleaned_data["answer"]
                ),
                done=_("Evidencia entregada."),
            )
            is not None
        ):
            return redirect(item)
    return _form_page(request, form, title=_("Entregar evidencia de consentimiento"), back=item.get_absolute_url())


@permission("governance.add_consentevidencerequest")
@require_http_methods(["GET", "POST"])
def consent_withdraw(request, consent_pk):
    item = selectors.consent_get(user=request.user, pk=consent_pk)
    if request.method == "POST":
        try:
            services.consent_request_withdraw(actor=request.user, request=item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Solicitud retirada."))
        return redirect(item)
    return render(
        request,
        "governance/confirm.html",
        {
            "title": _("Retirar la solicitud de evidencia"),
            "question": _("¿Retirar la solicitud? La otra institución ya no tendrá que atenderla."),
            "cancel_url": item.get_absolute_url(),
            "danger": True,
        },
    )


# --- Incidents members report (001 Cap. IV.1 VII–VIII) --------------------------------------


@permission("governance.view_incident")
def incident_list(request):
    filterset = selectors.incident_list(user=request.user, filters=request.GET)
    qs, sorting = web.sort(request, filterset.qs, INCIDENT_SORTS)
    if request.GET.get("formato") == "csv":
        rows = (
            [
                i.institution.acronym,
                i.get_kind_display(),
                i.get_severity_display(),
                timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M"),
                i.affected_systems,
                i.get_status_display(),
                i.description,
            ]
            for i in qs
        )
        header = [
            _("Institución"),
            _("Tipo"),
            _("Gravedad"),
            _("Cuándo ocurrió"),
            _("Sistemas"),
            _("Estado"),
            _("Qué ocurrió"),
        ]
        return _csv_response("incidentes.csv", header, rows)
    return render(
        request,
        "governance/incident_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request), "sorting": sorting},
    )


def _incident_institutions(user):
    if _is_commission(user):
        return Institution.objects.order_by("acronym")
    return Institution.objects.filter(pk=user.institution_id)


@permission("governance.add_incident")
@require_http_methods(["GET", "POST"])
def incident_report(request):
    form = forms.IncidentReportForm(request.POST or None, institutions=_incident_institutions(request.user))
    if request.method == "POST" and form.is_valid():
        incident = _run(
            request,
            form,
            lambda: services_incidents.incident_report(actor=request.user, **form.cleaned_data),
            done=_("Incidente reportado; la Comisión fue avisada."),
        )
        if incident is not None:
            return redirect(incident)
    return _form_page(
        request,
        form,
        title=_("Reportar un problema o incidente de seguridad"),
        back=reverse("governance:incident_list"),
        lead=_("Describa qué ocurrió, cuándo, su gravedad y qué sistemas resultaron afectados."),
    )


def _manages_incidents(user):
    return user.has_perm("governance.change_incident") and _is_commission(user)


@permission("governance.view_incident")
def incident_detail(request, incident_pk):
    incident = selectors.incident_get(user=request.user, pk=incident_pk)
    manage = _manages_incidents(request.user)
    return render(
        request,
        "governance/incident_detail.html",
        {
            "incident": incident,
            "can_acknowledge": manage and can_proceed(incident.acknowledge),
            "can_close": manage and can_proceed(incident.close),
        },
    )


@permission("governance.change_incident")
@require_http_methods(["GET", "POST"])
def incident_acknowledge(request, incident_pk):
    incident = selectors.incident_get(user=request.user, pk=incident_pk)
    if request.method == "POST":
        try:
            services_incidents.incident_acknowledge(actor=request.user, incident=incident)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Se acusó recibo del incidente."))
        return redirect(incident)
    return render(
        request,
        "governance/confirm.html",
        {
            "title": _("Acusar recibo del incidente"),
            "question": _("¿Confirma que la Comisión recibió el reporte de %(institution)s?")
            % {"institution": incident.institution.acronym},
            "cancel_url": incident.get_absolute_url(),
        },
    )


@permission("governance.change_incident")
@require_http_methods(["GET", "POST"])
def incident_close(request, incident_pk):
    incident = selectors.incident_get(user=request.user, pk=incident_pk)
    form = forms.IncidentCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        closed = _run(
            request,
            form,
            lambda: services_incidents.incident_close(
                actor=request.user, incident=incident, note=form.cleaned_data["note"]
            ),
            done=_("Incidente cerrado."),
        )
        if closed is not None:
            return redirect(incident)
    return _form_page(
        request,
        form,
        title=_("Cerrar el incidente"),
        back=incident.get_absolute_url(),
        lead=_("¿Confirma el cierre? Un incidente cerrado no se reabre; la nota queda en su expediente."),
        submit_label=_("Cerrar incidente"),
        danger=True,
    )
