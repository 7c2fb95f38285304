"""Document upload and download."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.services import record_event
from kernel import documents as kernel_documents
from kernel.access import permission

from .. import forms, selectors, services
from .common import _errors_to_form


@permission("agreements.add_document")
@require_http_methods(["GET", "POST"])
def document_upload(request, agreement_pk):
    agreement = selectors.agreement_get(user=request.user, pk=agreement_pk)
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        institution = request.user.institution or agreement.parties.first().institution
        try:
            services.document_upload(
                actor=request.user,
                institution=institution,
                agreement=agreement,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Documento cargado."))
            return redirect("agreements:detail", agreement_pk=agreement.pk)
    return render(
        request,
        "agreements/form.html",
        {"form": form, "title": _("Cargar documento"), "multipart": True, "agreement": agreement},
    )


@permission("agreements.view_document")
def document_download(request, document_pk):
    document = selectors.document_get(user=request.user, pk=document_pk)
    record_event(
        category="business",
        action="document_downloaded",
        actor=request.user,
        institution=request.user.institution,
        target=document,
        detail={"sha256": document.sha256},
        request=request,
    )
    return kernel_documents.attachment_response(
        document.file.name, filename=document.original_name, content_type=document.content_type
    )
