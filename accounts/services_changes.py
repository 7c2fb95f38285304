"""Account changes (000, OCTAVA): profile change, suspension, reactivation and cancellation,
requested by the institution, resolved by the commission in the same queue and business-day SLA.
Approval applies the change at once; where rights shrink the user's sessions end. The states and
transitions are declared on ``AccountChangeRequest``; the account's own on ``User``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_event
from kernel.documents import store_private
from kernel.evidence.models import EvidenceKind
from kernel.evidence.services import issue_pdf
from kernel.notifications.services import notify

from . import selectors
from .identity.services import grant_system
from .models import CANCELLATION_GRACE, AccountChangeRequest, ChangeDocument, Profile, User
from .services import _lift_suspension, reactivated_status, user_set_profile
from .services_onboarding import check_reviewer, due_date_for
from .sessions import end_user_sessions

Kind = AccountChangeRequest.Kind
Status = AccountChangeRequest.Status
DocKind = ChangeDocument.Kind

# The changes 000 NOVENA names: each carries the profile catalog form and the signed letter.
DOCUMENTED_KINDS = (Kind.PROFILE_CHANGE, Kind.SUSPENSION, Kind.REACTIVATION, Kind.CANCELLATION)
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


def _refuse(message, code):
    raise ValidationError(message, code=code)


def _check_target(kind, user, new_profile, left_at, now, system=None):
    if kind == Kind.SYSTEM_GRANT:
        if system is None or not system.is_active:
            _refuse(_("Indique un sistema activo del catálogo."), "system_required")
        if user.status not in User.LIVE_STATUSES:
            _refuse(_("Sólo se puede otorgar un sistema a una cuenta vigente."), "not_live")
        if system.grants.filter(user=user, status="granted").exists():
            _refuse(_("La cuenta ya tiene ese sistema."), "already_granted")
        if not system.profiles.filter(pk=user.profile_id).exists():
            _refuse(_("El perfil de esa cuenta no puede usar este sistema."), "system_not_allowed")
    elif kind == Kind.PROFILE_CHANGE:
        if new_profile is None:
            _refuse(_("Indique el perfil nuevo."), "profile_required")
        if new_profile.pk == user.profile_id:
            _refuse(_("La cuenta ya tiene ese perfil."), "same_profile")
        if not new_profile.is_active:
            _refuse(_("Ese perfil no está disponible."), "inactive_profile")
        if new_profile.scope == Profile.Scope.PLATFORM and not user.institution.is_commission:
            _refuse(_("Ese perfil es exclusivo del personal de la Comisión."), "platform_profile")
        if user.is_cancelled:
            _refuse(_("La cuenta está cancelada."), "cancelled")
    elif kind == Kind.SUSPENSION:
        if not user.can_suspend:
            _refuse(_("Sólo se puede suspender una cuenta vigente."), "not_live")
    elif kind == Kind.REACTIVATION:
        if not user.can_be_reactivated:
            _refuse(_("Sólo se puede reactivar una cuenta suspendida."), "not_suspended")
    elif kind == Kind.CANCELLATION:
        if not user.can_cancel:
            _refuse(_("La cuenta ya está cancelada."), "cancelled")
        if left_at is None:
            _refuse(_("Indique la fecha y hora en que la persona dejó el cargo o cambió de área."), "left_at_required")
        if left_at > now:
            _refuse(_("La fecha de baja no puede ser futura."), "left_at_future")
    else:
        _refuse(_("Tipo de cambio desconocido."), "bad_kind")


def _check_signatory(signatory, institution, today=None):
    """The letter's signatory must be a registered, current authorized signature of the institution."""
    if signatory is None:
        _refuse(_("Indique la firma autorizada que suscribe el oficio."), "signatory_required")
    current = type(signatory).objects.current(today).filter(pk=signatory.pk, institution_id=institution.pk)
    if not current.exists():
        _refuse(
            _("%(name)s no es una firma autorizada registrada y vigente de su institución.")
            % {"name": signatory.full_name},
            "signatory_not_current",
        )


def _attach(change, actor, kind, file):
    """Store ``file`` as the change's ``kind`` document (replacing any earlier one, unchecked)."""
    stored = store_private(file, folder="accounts/changes", kinds=("pdf",), max_bytes=DOCUMENT_MAX_BYTES)
    doc = ChangeDocument.objects.filter(change=change, kind=kind).first() or ChangeDocument(change=change, kind=kind)
    doc.file.name = stored.name
    doc.original_name = stored.original_name
    doc.content_type = stored.content_type
    doc.size = stored.size
    doc.sha256 = stored.sha256
    doc.uploaded_at = timezone.now()
    doc.uploaded_by = actor
    doc.check_status = ChangeDocument.Check.PENDING
    doc.check_note = ""
    doc.checked_by = None
    doc.checked_at = None
    doc._history_user = actor  # type: ignore[attr-defined]
    doc.save()
    record_event(
        category="business",
        action="account_change_document_uploaded",
        actor=actor,
        institution=change.institution,
        target=change,
        detail={"document": kind, "sha256": stored.sha256, "size": stored.size},
    )
    return doc


def _missing_documents(kind, letter, catalog_form):
    if kind not in DOCUMENTED_KINDS:
        return
    if letter is None:
        _refuse(_("Adjunte el oficio de solicitud firmado por una firma autorizada."), "letter_required")
    if catalog_form is None:
        _refuse(_("Adjunte el formato de catálogo de perfil firmado."), "catalog_form_required")


def is_late(*, left_at, requested_at) -> bool:
    """A cancellation requested more than 24 hours after the person left is late (000, OCTAVA)."""
    return left_at is not None and requested_at - left_at > CANCELLATION_GRACE


@transaction.atomic
def account_change_request(
    *,
    user,
    actor,
    kind,
    reason,
    new_profile=None,
    left_at=None,
    now=None,
    system=None,
    signatory=None,
    letter=None,
    catalog_form=None,
) -> AccountChangeRequest:
    """An institution administrator asks the commission to change one of its accounts.

    Profile changes, suspensions, reactivations and cancellations carry the profile catalog form
    and the official letter signed by a registered, current signatory (000, NOVENA)."""
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != user.institution_id:
        raise PermissionDenied
    if user.pk == actor.pk:
        _refuse(_("No puede solicitar cambios sobre su propia cuenta."), "self")
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Explique el motivo del cambio."), "reason_required")
    _check_target(kind, user, new_profile, left_at, now, system)
    documented = kind in DOCUMENTED_KINDS
    if documented:
        _check_signatory(signatory, user.institution, timezone.localdate(now))
        _missing_documents(kind, letter, catalog_form)
    due_date = due_date_for(now)
    change = AccountChangeRequest(
        institution=user.institution,
        user=user,
        kind=kind,
        new_profile=new_profile if kind == Kind.PROFILE_CHANGE else None,
        system=system if kind == Kind.SYSTEM_GRANT else None,
        reason=reason,
        left_at=left_at if kind == Kind.CANCELLATION else None,
        is_late=kind == Kind.CANCELLATION and is_late(left_at=left_at, requested_at=now),
        signatory=signatory if documented else None,
        submitted_at=now,
        due_date=due_date,
        created_by=actor,
    )
    change._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError:
        _refuse(_("Esa cuenta ya tiene una solicitud de cambio abierta."), "open_change")
    if documented:
        _attach(change, actor, DocKind.LETTER, letter)
        _attach(change, actor, DocKind.CATALOG_FORM, catalog_form)
    record_event(
        category="business",
        action="account_change_requested",
        actor=actor,
        institution=user.institution,
        target=change,
        detail={"kind": kind, "late": change.is_late, "due_date": due_date.isoformat()},
    )
    notify(
        recipients=selectors.reviewers(),
        template="account_change_submitted",
        context={"change": change},
        related=change,
        channels=("inapp",),
    )
    return change


@transaction.atomic
def account_change_resubmit(
    *,
    change: AccountChangeRequest,
    actor,
    reason,
    new_profile=None,
    left_at=None,
    signatory=None,
    letter=None,
    catalog_form=None,
):
    """Send a returned change back; documents the reviewer found not valid must be replaced."""
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != change.institution_id:
        raise PermissionDenied
    change = AccountChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.can_resubmit:
        _refuse(_("Sólo se puede reenviar una solicitud devuelta."), "wrong_state")
    now = timezone.now()
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Explique el motivo del cambio."), "reason_required")
    _check_target(change.kind, change.user, new_profile or change.new_profile, left_at or change.left_at, now)
    if change.kind in DOCUMENTED_KINDS:
        signatory = signatory or change.signatory
        _check_signatory(signatory, change.institution, timezone.localdate(now))
        change.signatory = signatory
        replacements: dict[str, object] = {DocKind.LETTER: letter, DocKind.CATALOG_FORM: catalog_form}
        for doc in change.documents.all():
            if doc.check_status == ChangeDocument.Check.INVALID and replacements.get(doc.kind) is None:
                _refuse(
                    _("«%(name)s» fue observado por la Comisión; cárguelo de nuevo.")
                    % {"name": doc.get_kind_display()},
                    "document_invalid",
                )
        for kind, file in replacements.items():
            if file is not None:
                _attach(change, actor, kind, file)
        have = set(change.documents.values_list("kind", flat=True))
        _missing_documents(change.kind, DocKind.LETTER in have or None, DocKind.CATALOG_FORM in have or None)
    change.reason = reason
    if change.kind == Kind.PROFILE_CHANGE and new_profile is not None:
        change.new_profile = new_profile
    if change.kind == Kind.CANCELLATION and left_at is not None:
        change.left_at = left_at
        # Lateness is judged against the first request: a return does not make it late.
        change.is_late = is_late(left_at=left_at, requested_at=change.created_at)
    change.resubmit(now=now, due_date=due_date_for(now))
    change._history_user = actor  # type: ignore[attr-defined]
    change.save()
    record_event(category="business", action="account_change_resubmitted", actor=actor, target=change)
    return change


def _locked_submitted(change, actor):
    check_reviewer(actor, change)
    change = AccountChangeRequest.objects.select_for_update().select_related("user").get(pk=change.pk)
    if not change.awaits_decision:
        _refuse(_("Sólo se puede resolver una solicitud en revisión."), "wrong_state")
    return change


def _decide(change, actor, action):
    """Save a decision the caller made with one of the change's transitions; tell the institution."""
    change._history_user = actor
    change.save()
    record_event(
        category="business",
        action=action,
        actor=actor,
        institution=change.institution,
        target=change,
        detail={"kind": change.kind, "status": change.status},
    )
    recipients = set(selectors.institution_admins(institution=change.institution))
    if change.created_by.status == User.Status.ACTIVE:
        recipients.add(change.created_by)
    notify(
        recipients=sorted(recipients, key=lambda u: u.pk),
        template="account_change_decided",
        context={"change": change},
        related=change,
    )


@transaction.atomic
def change_document_check(*, document: ChangeDocument, actor, valid: bool, note: str = "") -> ChangeDocument:
    """Record the reviewer's check of one document of a change request (valid or not, with a note)."""
    _locked_submitted(document.change, actor)
    document = ChangeDocument.objects.select_for_update().get(pk=document.pk)
    note = (note or "").strip()
    if not valid and not note:
        _refuse(_("Explique por qué el documento no es válido."), "note_required")
    document.check_status = ChangeDocument.Check.VALID if valid else ChangeDocument.Check.INVALID
    document.check_note = note
    document.checked_by = actor
    document.checked_at = timezone.now()
    document._history_user = actor  # type: ignore[attr-defined]
    document.save()
    record_event(
        category="business",
        action="account_change_document_checked",
        actor=actor,
        institution=document.change.institution,
        target=document.change,
        detail={"document": document.kind, "check": document.check_status},
    )
    return document


def _check_documents_valid(change):
    if change.kind not in DOCUMENTED_KINDS:
        return
    docs = {d.kind: d for d in change.documents.all()}
    pending = [str(label) for kind, label in DocKind.choices if kind not in docs]
    pending += [d.get_kind_display() for d in docs.values() if d.check_status != ChangeDocument.Check.VALID]
    if pending:
        _refuse(
            _("Antes de aprobar, marque como válidos todos los documentos. Pendientes u observados: %(docs)s.")
            % {"docs": ", ".join(sorted(pending))},
            "documents_not_valid",
        )


@transaction.atomic
def account_change_reject(*, change, actor, reason):
    change = _locked_submitted(change, actor)
    if not (reason or "").strip():
        _refuse(_("El rechazo necesita un motivo."), "reason_required")
    change.reject(by=actor, reason=reason.strip())
    _decide(change, actor, "account_change_rejected")
    return change


@transaction.atomic
def account_change_return(*, change, actor, reason):
    change = _locked_submitted(change, actor)
    if not (reason or "").strip():
        _refuse(_("La devolución necesita un motivo que diga qué corregir."), "reason_required")
    change.return_for_correction(by=actor, reason=reason.strip())
    _decide(change, actor, "account_change_returned")
    return change


def _save_status(user, actor):
    user._history_user = actor
    user.save(update_fields=["status", "status_changed_at"])


def _reactivate(user, actor, status, change):
    """Lift the suspension on the approved request (clears the failed-login counters and the lock
    history). The reviewer who may decide the request may reactivate on it: whoever sees it in
    the review queue can approve it (``selectors.may_decide``)."""
    _lift_suspension(user=user, actor=actor, reason=f"{change.folio}: {change.reason}"[:200], status=status)


@transaction.atomic
def account_change_approve(*, change, actor, note=""):
    """Approve and apply at once. Sessions end on suspension, cancellation and profile change."""
    change = _locked_submitted(change, actor)
    _check_documents_valid(change)
    user = User.objects.select_for_update().get(pk=change.user_id)
    _check_target(change.kind, user, change.new_profile, change.left_at, timezone.now(), change.system)
    if change.kind == Kind.SYSTEM_GRANT:
        grant_system(user=user, system=change.system, actor=actor)
    elif change.kind == Kind.PROFILE_CHANGE:
        # The reviewer's decision is the authority here (reviewers hold no direct profile-change
        # permission); the swap ends the user's sessions and the change request records who decided.
        user_set_profile(user=user, profile=change.new_profile, actor=None)
    elif change.kind == Kind.SUSPENSION:
        user.suspend()
        _save_status(user, actor)
        end_user_sessions(user=user)
    elif change.kind == Kind.CANCELLATION:
        user.cancel()
        _save_status(user, actor)
        end_user_sessions(user=user)
    elif change.kind == Kind.REACTIVATION:
        _reactivate(user, actor, reactivated_status(user), change)
    change.approve(by=actor, reason=(note or "").strip())
    _decide(change, actor, "account_change_approved")
    return change


# --- Profile catalog form --------------------------------------------------------------------


@transaction.atomic
def profile_catalog_pdf(*, user, actor, kind, new_profile=None, left_at=None, reason="", signatory=None) -> bytes:
    """The profile catalog form (000, NOVENA) pre-filled with the account and the change asked,
    to print, sign and attach to the change request. Like the CURU, each download is signed by the
    commission with its own verification folio."""
    if not actor.has_perm("portal.manage_institution") or actor.institution_id != user.institution_id:
        raise PermissionDenied
    change = AccountChangeRequest(
        institution=user.institution,
        user=user,
        kind=kind,
        new_profile=new_profile if kind == Kind.PROFILE_CHANGE else None,
        left_at=left_at if kind == Kind.CANCELLATION else None,
        reason=(reason or "").strip(),
        signatory=signatory,
    )
    issued = issue_pdf(
        kind=EvidenceKind.PROFILE_CATALOG,
        template_name="pdf/profile_catalog.html",
        context={"change": change, "account": user, "generated_at": timezone.localtime()},
    )
    return issued.data
