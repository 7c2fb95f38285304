"""Document uploads."""

from django.db import transaction

from kernel import documents

from ..models import (
    Document,
)
from .common import _check_actor, _event, _files_removed_on_failure, _save


def document_upload(*, actor, institution, kind, title, file, agreement=None, image_only=False) -> Document:
    """Validate by content, store privately under a random name and record the SHA-256."""
    _check_actor(actor, "agreements.add_document", agreement=agreement, institution=institution)
    return _document_upload(
        actor=actor,
        institution=institution,
        kind=kind,
        title=title,
        file=file,
        agreement=agreement,
        image_only=image_only,
    )


def _document_upload(*, actor, institution, kind, title, file, agreement=None, image_only=False) -> Document:
    """``document_upload`` for the services that checked their actor already (a document that is
    part of a signatory, a membership, an amendment or a compliance record)."""
    kinds = documents.IMAGE_KINDS if image_only else documents.DOCUMENT_KINDS
    folder = f"agreements/{agreement.pk}" if agreement else f"institutions/{institution.pk}"
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        stored = documents.store_private(file, folder=folder, kinds=kinds)
        stored_names.append(stored.name)
        return _document_save(
            actor=actor, institution=institution, agreement=agreement, kind=kind, title=title, stored=stored
        )


def _document_save(*, actor, institution, agreement, kind, title, stored) -> Document:
    document = Document(
        institution=institution,
        agreement=agreement,
        kind=kind,
        title=title or stored.original_name,
        file=stored.name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
    )
    _save(document, actor)
    _event("document_uploaded", actor=actor, target=document, institution=institution, sha256=stored.sha256)
    return document
