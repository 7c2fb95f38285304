"""Writes on account requests (000, DÉCIMA): catalog, drafts, documents, submission, review,
decisions and the account an approval creates. Views and tasks call these; these never read
``request`` (the HTTP one): every function takes an explicit ``actor``.

The request's state machine is declared on ``AccountRequest`` (its transition methods); these
functions check who acts, call the transition and save.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import record_event
from kernel import calendar
from kernel.documents import store_private
from kernel.evidence.models import EvidenceKind
from kernel.evidence.services import issue_pdf
from kernel.identifiers import curp_birth_date, curp_sex, normalize_curp, normalize_rfc, validate_curp, validate_rfc
from kernel.notifications.services import notify
from kernel.site import absolute_url

from . import selectors
from .identity.services import grant_system
from .models import (
    AccountRequest,
    ActivationToken,
    OnboardingSettings,
    Profile,
    RequestDocument,
    RequiredDocument,
    User,
)
from .services import check_commission_actor, user_create

Status = AccountRequest.Status

CURU_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "curp",
    "rfc",
    "email",
    "phone",
    "extension",
    "public_servant_number",
    "position",
    "area",
    "requested_profile",
    "justification",
    "agreement",
    "signatory",
)
# Fields the submission needs (the second surname and the extension may be empty).
REQUIRED_ON_SUBMIT = (
    "given_names",
    "paternal_surname",
    "curp",
    "rfc",
    "email",
    "phone",
    "public_servant_number",
    "position",
    "area",
    "requested_profile",
    "justification",
    "agreement",
    "signatory",
)


def _refuse(message: str, code: str) -> NoReturn:
    raise ValidationError(message, code=code)


def _saved(obj, actor, **kwargs):
    obj._history_user = actor
    obj.save(**kwargs)
    return obj


# --- SLA -------------------------------------------------------------------------------------


def due_date_for(submitted_at: datetime, *, sla_days: int | None = None):
    """The last day the commission has to answer: N business days after the local submission day.

    A request filed on a weekend or holiday starts counting from the next business day, so the
    result is the same as if it had been filed on the previous business day's evening.
    """
    if sla_days is None:
        sla_days = OnboardingSettings.load().sla_business_days
    day = timezone.localdate(submitted_at)
    return calendar.add_business_days(day, sla_days)


# --- Required-documents catalog --------------------------------------------------------------


@transaction.atomic
def required_document_save(*, document: RequiredDocument, actor) -> RequiredDocument:
    """Create or change a catalog entry; every institution administrator is told (000, DÉCIMA).

    The change applies to requests submitted afterwards: a request already submitted keeps the
    documents it was submitted with.
    """
    check_commission_actor(actor, "accounts.change_requireddocument")  # the commission's catalog
    created = document.pk is None
    document.full_clean()
    _saved(document, actor)
    record_event(
        category="business",
        action="required_document_created" if created else "required_document_changed",
        actor=actor,
        target=document,
        detail={"code": document.code, "active": document.active, "mandatory": document.mandatory},
    )
    notify(
        recipients=selectors.all_institution_admins(),
        template="required_documents_changed",
        context={"document": document, "created": created},
        related=document,
    )
    return document


# --- Drafts ----------------------------------------------------------------------------------


def check_basis_for_new_accounts(institution) -> None:
    """Refuse account requests (and their approval) for an institution without a basis (issue 15)."""
    from agreements.standing import institution_standing

    standing = institution_standing(institution=institution)
    if not standing.ok:
        _refuse(_("Su institución no puede solicitar cuentas: %(reason)s") % {"reason": standing.reason}, "no_basis")


def _check_institution_admin(actor, institution):
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != institution.pk:
        raise PermissionDenied


def _apply_fields(req, data):
    for field in CURU_FIELDS:
        if field in data:
            value = data[field]
            if field == "curp":
                value = normalize_curp(value or "")
            elif field == "rfc":
                value = normalize_rfc(value or "")
            elif isinstance(value, str):
                value = value.strip()
            setattr(req, field, value)
    if req.curp:
        try:
            validate_curp(req.curp)
        except ValidationError:
            req.birth_date, req.sex = None, ""
        else:
            req.birth_date, req.sex = curp_birth_date(req.curp), curp_sex(req.curp)


def _check_curp_free(req):
    if not req.curp:
        return
    if User.objects.filter(curp=req.curp).exclude(status=User.Status.CANCELLED).exists():
        _refuse(_("Ya existe una cuenta vigente con la CURP %(curp)s.") % {"curp": req.curp}, "curp_has_account")
    others = AccountRequest.objects.open().filter(curp=req.curp).exclude(pk=req.pk)
    if others.exists():
        _refuse(
            _("Ya hay una solicitud abierta con la CURP %(curp)s (folio %(folio)s).")
            % {"curp": req.curp, "folio": others.first().folio},
            "curp_open_request",
        )


def systems_not_allowed(profile, systems) -> list:
    """The systems of ``systems`` the profile may not use (all of them when there is no profile),
    or that the commission has withdrawn from the catalog."""
    return [s for s in systems if not s.is_active or profile is None or not s.profiles.filter(pk=profile.pk).exists()]


def _check_systems(req, systems):
    refused = systems_not_allowed(req.requested_profile, systems)
    if refused and req.requested_profile is None:
        _refuse(_("Elija el perfil solicitado antes de pedir sistemas."), "systems_need_profile")
    if refused:
        _refuse(
            _("El perfil «%(profile)s» no puede usar: %(systems)s.")
            % {"profile": req.requested_profile, "systems": ", ".join(s.name for s in refused)},
            "system_not_allowed",
        )


def _save_checked(req, actor, systems=None):
    _check_curp_free(req)
    req.full_clean(exclude=["folio", "created_by", "institution"])
    # A profile changed without naming the systems again must still allow those already named.
    _check_systems(req, systems if systems is not None else (list(req.systems.all()) if req.pk else []))
    try:
        with transaction.atomic():
            _saved(req, actor)
    except IntegrityError:
        _refuse(_("Ya hay una solicitud abierta con esa CURP."), "curp_open_request")
    if systems is not None:
        req.systems.set(systems)
    return req


@transaction.atomic
def account_request_create(*, institution, actor, data: dict) -> AccountRequest:
    """Start a draft. Only the CURP and the name are needed to save it."""
    _check_institution_admin(actor, institution)
    check_basis_for_new_accounts(institution)
    req = AccountRequest(institution=institution, created_by=actor)
    _apply_fields(req, data)
    _save_checked(req, actor, data.get("systems"))
    record_event(
        category="business", action="account_request_created", actor=actor, institution=institution, target=req
    )
    return req


@transaction.atomic
def account_request_update(*, request: AccountRequest, actor, data: dict) -> AccountRequest:
    _check_institution_admin(actor, request.institution)
    req = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if not req.is_editable:
        _refuse(_("Sólo se puede modificar una solicitud en borrador o devuelta para corrección."), "wrong_state")
    _apply_fields(req, data)
    return _save_checked(req, actor, data.get("systems"))


@transaction.atomic
def account_request_upload_document(
    *, request: AccountRequest, actor, requirement: RequiredDocument, file, issue_date=None
) -> RequestDocument:
    """Attach (or replace) the document for one requirement; a replacement needs a new check."""
    _check_institution_admin(actor, request.institution)
    if not request.is_editable:
        _refuse(_("Sólo se pueden cargar documentos en una solicitud en borrador o devuelta."), "wrong_state")
    if not requirement.active:
        _refuse(_("Ese documento ya no forma parte del catálogo."), "inactive_requirement")
    if requirement.is_dated and issue_date is None:
        _refuse(_("Indique la fecha de expedición de «%(name)s».") % {"name": requirement.name}, "issue_date_missing")
    if issue_date is not None and issue_date > timezone.localdate():
        _refuse(_("La fecha de expedición no puede ser posterior a hoy."), "issue_date_future")
    stored = store_private(
        file,
        folder="accounts/requests",
        kinds=tuple(requirement.accepted_type_list),
        max_bytes=requirement.max_size_mb * 1024 * 1024,
    )
    doc = RequestDocument.objects.filter(request=request, requirement=requirement).first() or RequestDocument(
        request=request, requirement=requirement
    )
    doc.file.name = stored.name
    doc.original_name = stored.original_name
    doc.content_type = stored.content_type
    doc.size = stored.size
    doc.sha256 = stored.sha256
    doc.issue_date = issue_date if requirement.is_dated else None
    doc.uploaded_at = timezone.now()
    doc.uploaded_by = actor
    doc.check_status = RequestDocument.Check.PENDING
    doc.check_note = ""
    doc.checked_by = None
    doc.checked_at = None
    _saved(doc, actor)
    record_event(
        category="business",
        action="account_request_document_uploaded",
        actor=actor,
        institution=request.institution,
        target=request,
        detail={"requirement": requirement.code, "sha256": stored.sha256, "size": stored.size},
    )
    return doc


# --- Submission ------------------------------------------------------------------------------


def submission_problems(req: AccountRequest, *, today=None, documents=True) -> list[str]:
    """Everything that stops ``req`` from being submitted, in Spanish; empty when ready.

    ``documents=False`` leaves out the catalog: a request already submitted keeps the documents
    it was submitted with even if the commission changes the catalog afterwards.
    """
    today = today or timezone.localdate()
    problems = []
    labels = {f.name: f.verbose_name for f in AccountRequest._meta.fields}
    for field in REQUIRED_ON_SUBMIT:
        value = getattr(req, f"{field}_id", None) if field in ("requested_profile", "agreement", "signatory") else None
        if value is None and field not in ("requested_profile", "agreement", "signatory"):
            value = getattr(req, field)
        if not value:
            problems.append(_("Falta el dato «%(field)s».") % {"field": labels[field]})
    for field, validator in (("curp", validate_curp), ("rfc", validate_rfc)):
        value = getattr(req, field)
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                problems.extend(exc.messages)
    if req.curp and len(req.rfc or "") == 13 and req.rfc[:10] != req.curp[:10]:
        problems.append(_("El RFC no corresponde a la CURP: las primeras diez posiciones deben coincidir."))
    if (profile := req.requested_profile) is not None:
        if not profile.is_active:
            problems.append(_("El perfil solicitado ya no está disponible."))
        elif profile.scope == Profile.Scope.PLATFORM and not req.institution.is_commission:
            problems.append(_("Ese perfil es exclusivo del personal de la Comisión."))
    if (agreement := req.agreement) is not None:
        if not agreement.is_in_force:
            problems.append(_("El convenio %(folio)s no está vigente.") % {"folio": agreement.folio})
        elif not agreement.grants_access:
            problems.append(
                _("El convenio %(folio)s es de referencia y no otorga cuentas.") % {"folio": agreement.folio}
            )
        elif not agreement.parties.filter(institution_id=req.institution_id).exists():
            problems.append(_("Su institución no es parte del convenio %(folio)s.") % {"folio": agreement.folio})
    if (signatory := req.signatory) is not None:
        current = type(signatory).objects.current(today).filter(pk=signatory.pk, institution_id=req.institution_id)
        if not current.exists():
            problems.append(
                _("%(name)s no es una firma autorizada registrada y vigente de su institución.")
                % {"name": signatory.full_name}
            )
    if not documents:
        return problems
    documents = {d.requirement_id: d for d in req.documents.select_related("requirement")}
    for requirement in RequiredDocument.objects.filter(active=True):
        doc = documents.get(requirement.pk)
        if doc is None:
            if requirement.mandatory:
                problems.append(_("Falta el documento «%(name)s».") % {"name": requirement.name})
            continue
        if doc.check_status == RequestDocument.Check.INVALID:
            problems.append(
                _("El documento «%(name)s» fue observado por la Comisión; cárguelo de nuevo.")
                % {"name": requirement.name}
            )
        if requirement.is_dated:
            if doc.issue_date is None:
                problems.append(_("Falta la fecha de expedición de «%(name)s».") % {"name": requirement.name})
            elif (today - doc.issue_date).days > requirement.max_age_days:
                problems.append(
                    _("«%(name)s» tiene más de %(days)s días de expedido; cargue uno reciente.")
                    % {"name": requirement.name, "days": requirement.max_age_days}
                )
    return problems


@transaction.atomic
def account_request_submit(*, request: AccountRequest, actor, now=None) -> AccountRequest:
    """Send a draft or a corrected request to the commission; starts the SLA clock."""
    _check_institution_admin(actor, request.institution)
    req = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if not req.can_submit:
        _refuse(_("Sólo se puede enviar una solicitud en borrador o devuelta para corrección."), "wrong_state")
    problems = submission_problems(req)
    if problems:
        raise ValidationError(problems, code="incomplete")
    check_basis_for_new_accounts(req.institution)
    _check_curp_free(req)
    now = now or timezone.now()
    first = req.status == Status.DRAFT
    req.submit(now=now, due_date=due_date_for(now))
    _saved(req, actor)
    record_event(
        category="business",
        action="account_request_submitted" if first else "account_request_resubmitted",
        actor=actor,
        institution=req.institution,
        target=req,
        detail={"due_date": str(req.due_date)},
    )
    notify(
        recipients=selectors.reviewers(),
        template="account_request_submitted",
        context={"account_request": req},
        related=req,
        channels=("inapp",),
    )
    return req


@transaction.atomic
def account_request_withdraw(*, request: AccountRequest, actor) -> AccountRequest:
    _check_institution_admin(actor, request.institution)
    req = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if not req.can_withdraw:
        _refuse(_("Sólo se puede retirar una solicitud en borrador o devuelta."), "wrong_state")
    req.withdraw()
    _saved(req, actor)
    record_event(category="business", action="account_request_withdrawn", actor=actor, target=req)
    return req


# --- Review ----------------------------------------------------------------------------------


OWN_MATTER = _lazy("Nadie resuelve una solicitud que presentó o que trata sobre su propia cuenta.")

# The four-eyes rule, said once in the selectors (the review queue asks it in the database).
is_reviewer = selectors.is_reviewer
is_own_matter = selectors.is_own_matter
can_decide = selectors.can_decide


def check_reviewer(actor, item):
    """Raise PermissionDenied unless ``can_decide(actor, item)``: the services' own gate."""
    if not is_reviewer(actor):
        raise PermissionDenied
    if is_own_matter(actor, item):
        raise PermissionDenied(OWN_MATTER)


def _locked_submitted(request, actor):
    check_reviewer(actor, request)
    req = AccountRequest.objects.select_for_update().get(pk=request.pk)
    if not req.awaits_decision:
        _refuse(_("Sólo se puede revisar una solicitud en revisión."), "wrong_state")
    return req


@transaction.atomic
def request_document_check(*, document: RequestDocument, actor, valid: bool, note: str = "") -> RequestDocument:
    """Record the reviewer's check of one document (valid or not, with a note)."""
    _locked_submitted(document.request, actor)
    note = (note or "").strip()
    if not valid and not note:
        _refuse(_("Explique por qué el documento no es válido."), "note_required")
    document.check_status = RequestDocument.Check.VALID if valid else RequestDocument.Check.INVALID
    document.check_note = note
    document.checked_by = actor
    document.checked_at = timezone.now()
    _saved(document, actor)
    return document


def _decided(req, actor, action):
    """Save a decision the caller made with one of the request's transitions; tell the institution."""
    _saved(req, actor)
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=req.institution,
        target=req,
        detail={"status": req.status},
    )
    notify(
        recipients=selectors.institution_admins_and_requester(req),
        template="account_request_decided",
        context={"account_request": req},
        related=req,
    )


@transaction.atomic
def account_request_reject(*, request: AccountRequest, actor, reason: str) -> AccountRequest:
    req = _locked_submitted(request, actor)
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("El rechazo necesita un motivo."), "reason_required")
    req.reject(by=actor, reason=reason)
    _decided(req, actor, "account_request_rejected")
    return req


@transaction.atomic
def account_request_return(*, request: AccountRequest, actor, reason: str) -> AccountRequest:
    req = _locked_submitted(request, actor)
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("La devolución necesita un motivo que diga qué corregir."), "reason_required")
    req.return_for_correction(by=actor, reason=reason)
    _decided(req, actor, "account_request_returned")
    return req


@transaction.atomic
def account_request_approve(*, request: AccountRequest, actor, note: str = "") -> AccountRequest:
    """Approve: create the account (pending_letter, requested profile) and send its activation link."""
    req = _locked_submitted(request, actor)
    documents = req.documents.select_related("requirement")
    unchecked = [d.requirement.name for d in documents if d.check_status != RequestDocument.Check.VALID]
    if unchecked:
        _refuse(
            _("Antes de aprobar, marque como válidos todos los documentos. Pendientes u observados: %(docs)s.")
            % {"docs": ", ".join(unchecked)},
            "documents_not_valid",
        )
    problems = submission_problems(req, documents=False)
    if problems:
        raise ValidationError(problems, code="incomplete")
    check_basis_for_new_accounts(req.institution)
    _check_curp_free(req)
    user = user_create(
        username=_username_for(req),
        institution=req.institution,
        profile=req.requested_profile,
        actor=actor,
        status=User.Status.PENDING_LETTER,
        given_names=req.given_names,
        paternal_surname=req.paternal_surname,
        maternal_surname=req.maternal_surname,
        curp=req.curp,
        email=req.email,
        phone=" ext. ".join(p for p in (req.phone, req.extension) if p),
        position=req.position,
        area=req.area,
        public_servant_number=req.public_servant_number,
    )
    req.approve(by=actor, reason=(note or "").strip(), account=user)
    # The systems the request named are granted with the account (the reviewer's decision),
    # those the account's profile may use: the catalog may have changed since the filing.
    for system in req.systems.filter(is_active=True, profiles=req.requested_profile):
        grant_system(user=user, system=system, actor=actor)
    _decided(req, actor, "account_request_approved")
    activation_link_send(user=user, actor=actor)
    return req


def _username_for(req):
    base = req.email.split("@", 1)[0].lower() or req.curp.lower()
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


# --- Activation link -------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def activation_link_send(*, user, actor) -> str:
    """Issue a one-time link (72 hours by default) for ``user`` to set a password; return the token.

    Earlier unused links of the same user stop working. Sent by the commission (a reviewer).
    """
    if actor is not None and not selectors.is_reviewer(actor):
        raise PermissionDenied
    now = timezone.now()
    for old in ActivationToken.objects.filter(user=user, used_at__isnull=True):
        old.used_at = now
        old.save(update_fields=["used_at"])
    raw = secrets.token_urlsafe(32)
    hours = OnboardingSettings.load().activation_hours
    token = ActivationToken.objects.create(
        user=user, token_hash=_hash(raw), created_at=now, expires_at=now + timedelta(hours=hours)
    )
    notify(
        recipients=[user],
        template="account_activation",
        context={
            "user": user,
            "link": absolute_url(reverse("onboarding:account_activate", args=[raw])),
            "expires_at": token.expires_at,
        },
        related=user,
        channels=("email",),
    )
    record_event(category="business", action="activation_link_sent", actor=actor, target=user)
    return raw


def activation_token_find(raw: str) -> ActivationToken | None:
    """The usable token for ``raw``, or None (unknown, used or expired look the same)."""
    token = ActivationToken.objects.select_related("user").filter(token_hash=_hash(raw or "")).first()
    if token is None or not token.is_usable or not token.user.awaits_letter:
        return None
    return token


@transaction.atomic
def account_activate(*, raw_token: str, password: str) -> User:
    token = ActivationToken.objects.select_for_update().filter(token_hash=_hash(raw_token or "")).first()
    if token is None or not token.is_usable or not token.user.awaits_letter:
        _refuse(_("El enlace de activación no es válido o ya venció. Pida uno nuevo a su institución."), "bad_token")
    user = token.user
    user.set_password(password)
    user.save(update_fields=["password"])
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    record_event(category="auth", action="account_activated", actor=user, target=user)
    return user


# --- Overdue alerts --------------------------------------------------------------------------


def overdue_alert_send(*, today=None) -> int:
    """Tell commission administrators about every request past its due date (run daily)."""
    from .models import AccountChangeRequest

    today = today or timezone.localdate()
    requests = list(AccountRequest.objects.filter(status=Status.SUBMITTED, due_date__lt=today).order_by("due_date"))
    changes = list(
        AccountChangeRequest.objects.filter(status=AccountChangeRequest.Status.SUBMITTED, due_date__lt=today).order_by(
            "due_date"
        )
    )
    if not requests and not changes:
        return 0
    with transaction.atomic():
        notify(
            recipients=selectors.commission_admins(),
            template="onboarding_overdue",
            context={"account_requests": requests, "change_requests": changes, "today": today},
            link=reverse("onboarding:review_queue"),  # several requests: the queue that lists them
        )
        record_event(
            category="business",
            action="overdue_alert_sent",
            detail={"account_requests": len(requests), "change_requests": len(changes)},
        )
    return len(requests) + len(changes)


# --- CURU ------------------------------------------------------------------------------------


@transaction.atomic
def curu_pdf(*, request: AccountRequest) -> bytes:
    """The CURU pre-filled with the request's data, to print, stamp, sign and scan.

    Each download is a new document: signed by the commission, with its own verification folio
    registered (kernel.evidence), so a printed copy can be traced to the moment it was issued.
    """
    issued = issue_pdf(
        kind=EvidenceKind.CURU,
        template_name="pdf/curu.html",
        context={"req": request, "generated_at": timezone.localtime()},
    )
    return issued.data
