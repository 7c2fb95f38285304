"""Views of onboarding and the account lifecycle. Each is declared with kernel.access; objects come
through scoped selectors, so another institution's request answers 404."""

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from agreements.selectors import officer_letters_of
from audit.requestinfo import client_ip
from kernel import access, documents, pdf_preview, web
from kernel.documents import attachment_response

from . import selectors, selectors_rounds
from . import services_changes as changes
from . import services_letters as letters
from . import services_onboarding as onboarding
from .forms_onboarding import (
    AccountChangeForm,
    AccountRequestForm,
    ChangeResubmitForm,
    DecisionForm,
    DocumentCheckForm,
    DocumentUploadForm,
    LetterAcceptForm,
    LetterTemplateForm,
    OnboardingSettingsForm,
    RequiredDocumentForm,
    ScanReviewForm,
    ScanUploadForm,
)
from .models import (
    AccountChangeRequest,
    AccountRequest,
    ChangeDocument,
    ConfidentialityLetter,
    LetterKind,
    LetterTemplate,
    OnboardingSettings,
    RequestDocument,
    RequiredDocument,
    User,
)

PAGE_SIZE = 25


def _page(request, rows):
    return web.page(request, rows, PAGE_SIZE)


def _errors(exc: ValidationError):
    return exc.messages


def _get_request(request, pk):
    try:
        return selectors.account_request_get(user=request.user, pk=pk)
    except AccountRequest.DoesNotExist:
        raise Http404 from None


# --- Account requests: institution administrators --------------------------------------------


# "actualizada" has no column: it is the default, the requests touched last first.
REQUEST_SORTS = web.Sortable(
    {
        "folio": ("folio",),
        "persona": ("paternal_surname", "maternal_surname", "given_names"),
        "institucion": ("institution__acronym",),
        "estado": ("status",),
        "fecha_limite": ("due_date",),
        "actualizada": ("updated_at",),
    },
    default="-actualizada",
)


@access.permission("accounts.view_accountrequest")
def account_request_list(request):
    user = request.user
    status = request.GET.get("estado") or None
    if status not in AccountRequest.Status.values:
        status = None
    q = request.GET.get("q", "").strip()[:100]
    qs, sorting = web.sort(request, selectors.account_request_list(user=user, status=status, search=q), REQUEST_SORTS)
    return render(
        request,
        "accounts/requests/list.html",
        {
            "page": _page(request, qs),
            "query": web.query_without_page(request),
            "sorting": sorting,
            "statuses": AccountRequest.Status.choices,
            "status": status,
            "q": q,
            "can_create": user.has_perm("portal.manage_institution") and user.institution_id,
        },
    )


@access.permission("portal.manage_institution")
def account_request_create(request):
    institution = request.user.institution
    form = AccountRequestForm(request.POST or None, institution=institution, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        try:
            req = onboarding.account_request_create(institution=institution, actor=request.user, data=data)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Borrador guardado. Ahora cargue los documentos."))
            return redirect("onboarding:account_request_detail", request_pk=req.pk)
    return render(request, "accounts/requests/form.html", {"form": form, "req": None})


@access.permission("portal.manage_institution")
def account_request_edit(request, request_pk):
    req = _get_request(request, request_pk)
    if req.institution_id != request.user.institution_id:
        raise Http404
    if not req.is_editable:
        messages.error(request, _("Esta solicitud ya no se puede modificar."))
        return redirect("onboarding:account_request_detail", request_pk=req.pk)
    form = AccountRequestForm(request.POST or None, instance=req, institution=req.institution, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields}
        try:
            onboarding.account_request_update(request=req, actor=request.user, data=data)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("onboarding:account_request_detail", request_pk=req.pk)
    return render(request, "accounts/requests/form.html", {"form": form, "req": req})


@access.permission("accounts.view_accountrequest")
def account_request_detail(request, request_pk):
    req = _get_request(request, request_pk)
    return render(request, "accounts/requests/detail.html", _detail_context(request, req))


def _detail_context(request, req, *, upload_form=None):
    """The request page's context; ``upload_form``: a failed upload's bound form, shown again
    at the form with its errors next to the refused files and the dates as typed (the files
    must be chosen again: a browser never keeps them)."""
    user = request.user
    documents = {d.requirement_id: d for d in req.documents.select_related("requirement", "checked_by")}
    requirements = list(RequiredDocument.objects.filter(active=True))
    on_file = dict(documents)
    rows = [{"requirement": r, "document": documents.pop(r.pk, None)} for r in requirements]
    rows += [{"requirement": d.requirement, "document": d} for d in documents.values()]
    is_owner = user.has_perm("portal.manage_institution") and user.institution_id == req.institution_id
    if upload_form is None and is_owner and req.is_editable:
        upload_form = DocumentUploadForm(requirements=requirements)
    if upload_form is not None:
        upload_form.describe(on_file)
    return {
        "req": req,
        "rows": rows,
        "is_owner": is_owner,
        "can_decide": onboarding.can_decide(user, req),
        "upload_form": upload_form if is_owner and req.is_editable else None,
        "upload_failed": upload_form is not None and upload_form.is_bound,
        "problems": onboarding.submission_problems(req) if is_owner and req.is_editable else [],
        "history": req.history.select_related("history_user").order_by("-history_date")[:50],
    }


_ISSUE_DATE_REFUSALS = ("issue_date_missing", "issue_date_future")


@access.permission("portal.manage_institution")
def account_request_upload(request, request_pk):
    """Several documents in one submit. Each chosen file goes through the upload service on its
    own (parsed, checked, history-logged): the ones that pass are kept even when another is
    refused, and a refusal is shown next to its own field."""
    req = _get_request(request, request_pk)
    if req.institution_id != request.user.institution_id:
        raise Http404
    if request.method != "POST":  # after the scope check: another tenant's id is a 404 either way
        return HttpResponseNotAllowed(["POST"])
    form = DocumentUploadForm(request.POST, request.FILES, requirements=RequiredDocument.objects.filter(active=True))
    if form.is_valid():
        stored = []
        for requirement, file, issue_date in form.chosen():
            try:
                onboarding.account_request_upload_document(
                    request=req, actor=request.user, requirement=requirement, file=file, issue_date=issue_date
                )
            except ValidationError as exc:
                dated = requirement.is_dated and getattr(exc, "code", None) in _ISSUE_DATE_REFUSALS
                field = form.date_field(requirement) if dated else form.file_field(requirement)
                for message in _errors(exc):
                    form.add_error(field, message)
            else:
                stored.append(requirement.name)
        if stored:
            # Shown at the documents (extra tag "documentos"), where the person acted.
            names = ", ".join(f"«{name}»" for name in stored)
            messages.success(
                request,
                ngettext("Documento %(names)s cargado.", "Documentos %(names)s cargados.", len(stored))
                % {"names": names},
                extra_tags="documentos",
            )
        if not form.errors:
            return redirect(reverse("onboarding:account_request_detail", args=[req.pk]) + "#documentos")
    # A refusal: the same page again with the form as it was sent and each error at its field.
    context = _detail_context(request, req, upload_form=form)
    return render(request, "accounts/requests/detail.html", context, status=400)


@access.permission("portal.manage_institution")
def account_request_submit(request, request_pk):
    req = _get_request(request, request_pk)
    if req.institution_id != request.user.institution_id:
        raise Http404
    if request.method != "POST":  # after the scope check: another tenant's id is a 404 either way
        return HttpResponseNotAllowed(["POST"])
    try:
        onboarding.account_request_submit(request=req, actor=request.user)
    except ValidationError as exc:
        messages.error(request, _("La solicitud no se envió. Corrija lo siguiente:"))
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Solicitud enviada a la Comisión."))
    return redirect("onboarding:account_request_detail", request_pk=req.pk)


@access.permission("portal.manage_institution")
def account_request_withdraw(request, request_pk):
    req = _get_request(request, request_pk)
    if req.institution_id != request.user.institution_id:
        raise Http404
    if request.method == "POST":
        try:
            onboarding.account_request_withdraw(request=req, actor=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Solicitud retirada."))
        return redirect("onboarding:account_request_detail", request_pk=req.pk)
    return render(request, "accounts/requests/withdraw_confirm.html", {"req": req})


@access.permission("accounts.view_accountrequest")
def account_request_document(request, request_document_pk):
    try:
        doc = selectors.request_document_get(user=request.user, pk=request_document_pk)
    except RequestDocument.DoesNotExist:
        raise Http404 from None
    return attachment_response(doc.file.name, filename=doc.original_name, content_type=doc.content_type)


@access.permission("accounts.view_accountrequest")
def account_request_curu(request, request_pk):
    req = _get_request(request, request_pk)
    try:
        data = onboarding.curu_pdf(request=req)
    except ValidationError as exc:  # the timestamping authority did not answer
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("onboarding:account_request_detail", request_pk=req.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="CURU-{req.folio}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Review ----------------------------------------------------------------------------------


# Both tables' rows in one union: it sorts by the columns it selects, the kind then the key last.
REVIEW_QUEUE_SORTS = web.Sortable(
    {"fecha_limite": ("due_date", "submitted_at"), "enviada": ("submitted_at",)},
    default="fecha_limite",
    tiebreaker=("type", "pk"),
)


@access.permission("portal.review_requests")
def review_queue(request):
    rows, sorting = web.sort(request, selectors.review_queue(user=request.user), REVIEW_QUEUE_SORTS)
    page = _page(request, rows)
    page.object_list = selectors.review_queue_rows(user=request.user, keys=page.object_list)
    letters_pending = selectors.letters_pending_scan_review(user=request.user)
    return render(
        request,
        "accounts/review/queue.html",
        {
            "page": page,
            "letters_pending": letters_pending,
            "query": web.query_without_page(request),
            "sorting": sorting,
        },
    )


@access.permission("portal.review_requests")
def account_request_review(request, request_pk):
    req = _get_request(request, request_pk)
    can_decide = onboarding.can_decide(request.user, req)
    decision_form = DecisionForm()
    if request.method == "POST" and can_decide:
        action = request.POST.get("action")
        try:
            if action == "check":
                form = DocumentCheckForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Elija si el documento es válido o no."))
                doc = get_object_or_404(RequestDocument, pk=form.cleaned_data["document"], request=req)
                onboarding.request_document_check(
                    document=doc,
                    actor=request.user,
                    valid=form.cleaned_data["result"] == "valid",
                    note=form.cleaned_data["note"],
                )
                # Shown in the document's own block, where the reviewer acted.
                messages.success(
                    request,
                    _("Revisión de «%(name)s» guardada.") % {"name": doc.requirement.name},
                    extra_tags=f"doc-{doc.pk}",
                )
                return redirect(reverse("onboarding:account_request_review", args=[req.pk]) + f"#doc-{doc.pk}")
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid():
                decision = decision_form.cleaned_data["decision"]
                reason = decision_form.cleaned_data["reason"]
                if decision == "approve":
                    onboarding.account_request_approve(request=req, actor=request.user, note=reason)
                    messages.success(request, _("Solicitud aprobada; se envió el enlace de activación."))
                elif decision == "reject":
                    onboarding.account_request_reject(request=req, actor=request.user, reason=reason)
                    messages.success(request, _("Solicitud rechazada; la institución fue notificada."))
                else:
                    onboarding.account_request_return(request=req, actor=request.user, reason=reason)
                    messages.success(request, _("Solicitud devuelta; la institución fue notificada."))
                return redirect("onboarding:review_queue")
        except ValidationError as exc:
            concerned = request.POST.get("document", "") if action == "check" else ""
            for message in _errors(exc):
                messages.error(request, message, extra_tags=f"doc-{concerned}" if concerned.isdigit() else "")
    documents = list(req.documents.select_related("requirement", "checked_by"))
    return render(
        request,
        "accounts/review/request.html",
        {
            "req": req,
            "documents": documents,
            "decision_form": decision_form,
            "can_decide": can_decide,
            "own_matter": onboarding.is_own_matter(request.user, req),
            "specimen_url": reverse("onboarding:account_request_specimen", args=[req.pk]) if req.signatory_id else None,
            "letter_code": RequiredDocument.REQUEST_LETTER,
            "letter_preview": pdf_preview.available(),
            "previous_round": selectors_rounds.previous_round(req),
        },
    )


@access.permission("portal.review_requests")
@never_cache
def account_request_specimen(request, request_pk):
    """The signatory's registered specimen, shown as an image beside the uploaded request letter."""
    req = _get_request(request, request_pk)
    if req.signatory_id is None:
        raise Http404
    document = req.signatory.specimen
    name = document.file.name
    if not name or not default_storage.exists(name) or not document.content_type.startswith("image/"):
        raise Http404
    response = FileResponse(default_storage.open(name, "rb"), content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Activation and the confidentiality letter -------------------------------------------------


@access.public
@never_cache
def account_activate(request, token):
    found = onboarding.activation_token_find(token)
    if found is None:
        # 200 on purpose: the page explains what to do; nothing tells a used link from a made-up one.
        return render(request, "accounts/activation/invalid.html")
    form = SetPasswordForm(found.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.account_activate(raw_token=token, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "accounts/activation/invalid.html")
        messages.success(request, _("Contraseña creada. Entre con su usuario y su nueva contraseña."))
        return redirect("login")
    return render(request, "accounts/activation/set_password.html", {"form": form, "account": found.user})


@access.signed_in
def letter_accept(request):
    """First sign-in: read and accept the confidentiality letter (then upload the scan if asked)."""
    user = request.user
    step = letters.pending_letter_step(user)
    if step is None:
        return redirect("onboarding:letter_mine")
    if step == "scan":
        return redirect("onboarding:letter_scan_upload")
    return _letter_form(request, LetterKind.USER)


@access.signed_in
def letter_link_officer(request):
    """The old address of the link officer's letter: it is signed per agreement now (000 NOVENA)."""
    return redirect("agreements:officer_letters")


def _letter_form(request, kind):
    user = request.user
    initial = {"phone": user.phone}
    form = LetterAcceptForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = letters.letter_accept(
                user=user,
                kind=kind,
                address=data["address"],
                phone=data["phone"],
                id_document=data["id_document"],
                id_folio=data["id_folio"],
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            if letter.scan_status == ConfidentialityLetter.ScanStatus.PENDING_UPLOAD:
                messages.info(request, _("Carta aceptada. Ahora cargue la carta impresa y firmada a mano."))
                return redirect("onboarding:letter_scan_upload")
            messages.success(request, _("Carta aceptada. Su cuenta está activa."))
            return redirect("onboarding:letter_mine")
    data = form.data if form.is_bound else {}
    template, paragraphs = letters.letter_preview(
        user=user,
        kind=kind,
        address=data.get("address", ""),
        phone=data.get("phone", "") or user.phone,
        id_document=data.get("id_document") or "ine",
        id_folio=data.get("id_folio", ""),
    )
    return render(
        request,
        "accounts/letters/accept.html",
        {"form": form, "template": template, "paragraphs": paragraphs, "kind": kind},
    )


@access.signed_in
def letter_mine(request):
    user_letters = ConfidentialityLetter.objects.filter(user=request.user).order_by("-accepted_at")
    return render(
        request,
        "accounts/letters/mine.html",
        {
            "letters": user_letters,
            # The commission officer's letters for the data received are signed per agreement.
            "officer_letters": officer_letters_of(user=request.user).exists(),
        },
    )


def _get_letter(request, pk):
    try:
        return selectors.letter_visible_queryset(request.user).get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _own_letter(user, kind=LetterKind.USER):
    return ConfidentialityLetter.objects.filter(user=user, kind=kind).order_by("-accepted_at").first()


@access.signed_in
def letter_own_download(request, letter_kind):
    """The signed-in person's own letter of that variant (no id in the URL: nobody else's)."""
    letter = _own_letter(request.user, letter_kind) if letter_kind in LetterKind.values else None
    if letter is None:
        messages.info(request, _("Aún no ha aceptado esa carta."))
        return redirect("onboarding:letter_mine")
    return attachment_response(
        letter.pdf.name, filename=f"carta-confidencialidad-{letter.folio}.pdf", content_type="application/pdf"
    )


@access.permission("accounts.view_confidentialityletter")
def letter_download(request, letter_pk):
    """A letter of the administrator's institution (or any, for the commission)."""
    letter = _get_letter(request, letter_pk)
    return attachment_response(
        letter.pdf.name, filename=f"carta-confidencialidad-{letter.folio}.pdf", content_type="application/pdf"
    )


@access.permission("accounts.view_confidentialityletter")
def letter_scan_download(request, letter_pk):
    letter = _get_letter(request, letter_pk)
    if not letter.scan:
        raise Http404
    content_type, ext, _check = documents.KINDS[documents.kind_of(name=letter.scan.name) or "pdf"]
    return attachment_response(
        letter.scan.name, filename=f"carta-firmada-{letter.folio}.{ext}", content_type=content_type
    )


@access.signed_in
def letter_scan_upload(request):
    """The hand-signed scan of the person's own letter, when the commission asks for it."""
    letter = _own_letter(request.user)
    if letter is None:
        return redirect("onboarding:letter_accept")
    form = ScanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_scan_upload(letter=letter, actor=request.user, file=form.cleaned_data["file"])
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error("file", message)
        else:
            messages.success(request, _("Escaneo cargado. La Comisión lo validará para activar su cuenta."))
            return redirect("onboarding:letter_scan_upload")
    return render(request, "accounts/letters/scan_upload.html", {"letter": letter, "form": form})


@access.permission("portal.review_requests")
def letter_scan_review(request, letter_pk):
    letter = _get_letter(request, letter_pk)
    form = ScanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_scan_review(
                letter=letter,
                actor=request.user,
                valid=form.cleaned_data["result"] == "valid",
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Revisión de la carta guardada."))
            return redirect("onboarding:review_queue")
    return render(request, "accounts/letters/scan_review.html", {"letter": letter, "form": form})


# --- Users and account changes ---------------------------------------------------------------


# "creada" has no column: it is the default, the newest requests first.
CHANGE_SORTS = web.Sortable(
    {
        "folio": ("folio",),
        "cuenta": ("user__paternal_surname", "user__maternal_surname", "user__given_names"),
        "cambio": ("kind",),
        "estado": ("status",),
        "fecha_limite": ("due_date",),
        "creada": ("created_at",),
    },
    default="-creada",
)


@access.permission("accounts.view_accountchangerequest")
def account_change_list(request):
    user = request.user
    qs, sorting = web.sort(request, selectors.account_change_list(user=user), CHANGE_SORTS)
    return render(
        request,
        "accounts/changes/list.html",
        {
            "page": _page(request, qs),
            "can_create": user.has_perm("portal.manage_institution"),
            "query": web.query_without_page(request),
            "sorting": sorting,
        },
    )


@access.permission("portal.manage_institution")
def account_change_create(request):
    actor = request.user
    users = (
        selectors.user_list(user=actor)
        .filter(institution_id=actor.institution_id)
        .exclude(pk=actor.pk)
        .exclude(status=User.Status.CANCELLED)
    )
    initial = {}
    if request.GET.get("cuenta", "").isdigit():
        initial["user"] = request.GET["cuenta"]
    if request.GET.get("tipo") in AccountChangeRequest.Kind.values:
        initial["kind"] = request.GET["tipo"]
    form = AccountChangeForm(
        request.POST or None, request.FILES or None, initial=initial, users=users, institution=actor.institution
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "catalog" in request.POST:  # the pre-filled profile catalog form to sign and attach
            try:
                pdf = changes.profile_catalog_pdf(
                    user=data["user"],
                    actor=actor,
                    kind=data["kind"],
                    new_profile=data.get("new_profile"),
                    left_at=data.get("left_at"),
                    reason=data["reason"],
                    signatory=data.get("signatory"),
                )
            except ValidationError as exc:  # the timestamping authority did not answer
                for message in _errors(exc):
                    form.add_error(None, message)
                return render(request, "accounts/changes/form.html", {"form": form})
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="catalogo-perfil-{data["user"].username}.pdf"'
            response["X-Content-Type-Options"] = "nosniff"
            return response
        try:
            change = changes.account_change_request(
                user=data["user"],
                actor=actor,
                kind=data["kind"],
                reason=data["reason"],
                new_profile=data.get("new_profile"),
                left_at=data.get("left_at"),
                system=data.get("system"),
                signatory=data.get("signatory"),
                letter=data.get("letter"),
                catalog_form=data.get("catalog_form"),
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Solicitud de cambio enviada a la Comisión."))
            return redirect("onboarding:account_change_detail", change_pk=change.pk)
    return render(request, "accounts/changes/form.html", {"form": form})


@access.permission("accounts.view_accountchangerequest")
def account_change_document(request, change_document_pk):
    try:
        doc = selectors.change_document_get(user=request.user, pk=change_document_pk)
    except ChangeDocument.DoesNotExist:
        raise Http404 from None
    return attachment_response(doc.file.name, filename=doc.original_name, content_type=doc.content_type)


@access.permission("accounts.view_accountchangerequest")
def account_change_detail(request, change_pk):
    try:
        change = selectors.account_change_get(user=request.user, pk=change_pk)
    except AccountChangeRequest.DoesNotExist:
        raise Http404 from None
    user = request.user
    is_reviewer = onboarding.can_decide(user, change)
    is_owner = user.has_perm("portal.manage_institution") and user.institution_id == change.institution_id
    checking = request.method == "POST" and request.POST.get("action") == "check"
    decision_form = DecisionForm(None if checking else request.POST or None) if is_reviewer else None
    resubmit_form = None
    if is_owner and change.can_resubmit:
        resubmit_form = ChangeResubmitForm(
            request.POST or None, request.FILES or None, initial={"reason": change.reason}
        )
    if request.method == "POST":
        try:
            if checking and is_reviewer:
                check = DocumentCheckForm(request.POST)
                if not check.is_valid():
                    raise ValidationError(_("Elija si el documento es válido o no."))
                doc = get_object_or_404(ChangeDocument, pk=check.cleaned_data["document"], change=change)
                changes.change_document_check(
                    document=doc,
                    actor=user,
                    valid=check.cleaned_data["result"] == "valid",
                    note=check.cleaned_data["note"],
                )
                messages.success(request, _("Revisión de «%(name)s» guardada.") % {"name": doc.get_kind_display()})
                return redirect("onboarding:account_change_detail", change_pk=change.pk)
            if decision_form is not None and decision_form.is_valid():
                decision = decision_form.cleaned_data["decision"]
                reason = decision_form.cleaned_data["reason"]
                if decision == "approve":
                    changes.account_change_approve(change=change, actor=user, note=reason)
                    messages.success(request, _("Cambio aprobado y aplicado."))
                elif decision == "reject":
                    changes.account_change_reject(change=change, actor=user, reason=reason)
                    messages.success(request, _("Solicitud de cambio rechazada."))
                else:
                    changes.account_change_return(change=change, actor=user, reason=reason)
                    messages.success(request, _("Solicitud de cambio devuelta."))
                return redirect("onboarding:review_queue")
            if resubmit_form is not None and resubmit_form.is_valid():
                data = resubmit_form.cleaned_data
                changes.account_change_resubmit(
                    change=change,
                    actor=user,
                    reason=data["reason"],
                    letter=data.get("letter"),
                    catalog_form=data.get("catalog_form"),
                )
                messages.success(request, _("Solicitud reenviada."))
                return redirect("onboarding:account_change_detail", change_pk=change.pk)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
    return render(
        request,
        "accounts/changes/detail.html",
        {
            "change": change,
            "decision_form": decision_form,
            "resubmit_form": resubmit_form,
            "own_matter": onboarding.is_reviewer(user) and onboarding.is_own_matter(user, change),
            "documents": change.documents.select_related("checked_by"),
            "can_check": is_reviewer and change.awaits_decision,
            "history": change.history.select_related("history_user").order_by("-history_date")[:50],
        },
    )


# --- Commission settings ---------------------------------------------------------------------


# "posicion" has no column: it is the default, the order the request form lists the documents in.
REQUIRED_DOCUMENT_SORTS = web.Sortable(
    {
        "documento": ("name",),
        "obligatorio": ("-mandatory",),
        "tamano": ("max_size_mb",),
        "antiguedad": ("max_age_days",),
        "activo": ("-active",),
        "posicion": ("position", "name"),
    },
    default="posicion",
)


@access.permission("accounts.change_requireddocument")
def required_document_list(request):
    rows, sorting = web.sort(request, RequiredDocument.objects.all(), REQUIRED_DOCUMENT_SORTS)
    return render(
        request,
        "accounts/catalog/list.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "sorting": sorting},
    )


@access.permission("accounts.change_requireddocument")
def required_document_edit(request, required_document_pk=None):
    document = (
        get_object_or_404(RequiredDocument, pk=required_document_pk) if required_document_pk else RequiredDocument()
    )
    form = RequiredDocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            onboarding.required_document_save(document=form.instance, actor=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Catálogo actualizado; se avisó a las instituciones."))
            return redirect("onboarding:required_document_list")
    return render(request, "accounts/catalog/form.html", {"form": form, "document": document})


@access.permission("accounts.change_lettertemplate")
def letter_template_edit(request, letter_kind=LetterKind.USER):
    kind = letter_kind
    if kind not in LetterKind.values:
        raise Http404
    template = letters.letter_template_get(kind)
    form = LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            letters.letter_template_save(
                template=template,
                actor=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error("body", message)
        else:
            messages.success(request, _("Plantilla guardada. Las cartas que se acepten desde hoy usan este texto."))
            return redirect("onboarding:letter_template_edit", letter_kind=kind)
    return render(
        request,
        "accounts/letters/template_form.html",
        {"form": form, "kind": kind, "kinds": LetterKind.choices, "placeholders": LetterTemplate.PLACEHOLDERS},
    )


@access.permission("accounts.change_onboardingsettings")
def onboarding_settings_edit(request):
    obj = OnboardingSettings.load()
    form = OnboardingSettingsForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
        form.save()
        messages.success(request, _("Configuración guardada."))
        return redirect("onboarding:onboarding_settings")
    return render(request, "accounts/catalog/settings.html", {"form": form})
