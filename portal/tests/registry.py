"""What the route and isolation tests need to know about each app: one entry per URL kwarg and per
tenant-owned model. A new route whose kwarg is not here, or a new tenant-owned model without a
factory here, makes ``test_url_access``, ``test_profile_matrix`` or ``test_isolation`` fail with a
message naming what to add. Keep entries small: a factory call with the institution to own it.

- ``URL_KWARGS[name] = Kwarg(make, model)``: ``make(institution)`` returns the kwarg's value for
  an object owned by ``institution`` (or any valid value); ``model`` is the tenant-owned model
  the kwarg designates, or None when the object belongs to no tenant (e.g. a catalog entry).
- ``TENANT_MODELS[label] = Tenant(make, marker)``: ``make(institution, tag)`` creates a row owned
  by ``institution``; ``marker(obj)`` is a text a page would show for it (must contain ``tag``
  somewhere unique enough not to appear by chance).
"""

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kwarg:
    make: Callable[[Any], Any]
    model: str | None = None  # "app_label.Model" when the object is tenant-owned


@dataclass(frozen=True)
class Tenant:
    make: Callable[[Any, str], Any]
    marker: Callable[[Any], str]


def unique_tag(prefix="t"):
    return f"{prefix}{uuid.uuid4().hex[:10]}"


# --- accounts ------------------------------------------------------------------------------


def _custom_profile(institution):
    from accounts.models import Profile
    from accounts.services import profile_create

    return profile_create(
        actor=None,
        code=unique_tag("perfil_"),
        name=unique_tag("Perfil de prueba "),
        scope=Profile.Scope.INSTITUTION,
        permissions=[],
    ).pk


def _user(institution, tag=None):
    from accounts.tests.factories import UserFactory

    tag = tag or unique_tag("u")
    return UserFactory(institution=institution, username=tag, given_names=f"Persona {tag}")


def _system():
    from accounts.tests.factories import SystemFactory

    return SystemFactory()


def _system_grant(institution, tag):
    from accounts.models import SystemGrant

    return SystemGrant.objects.create(user=_user(institution, tag), system=_system())


URL_KWARGS: dict[str, Kwarg] = {
    # Django's password reset link (public routes only).
    "uidb64": Kwarg(lambda institution: "MQ"),
    "token": Kwarg(lambda institution: "set-password"),
    "profile_pk": Kwarg(_custom_profile),
    "user_pk": Kwarg(lambda institution: _user(institution).pk, model="accounts.User"),
    # A catalog entry of the commission (no tenant).
    "system_pk": Kwarg(lambda institution: _system().pk),
}

TENANT_MODELS: dict[str, Tenant] = {
    "accounts.User": Tenant(make=lambda institution, tag: _user(institution, tag), marker=lambda obj: obj.username),
    # A system granted to a person of the institution (accounts.identity).
    "accounts.SystemGrant": Tenant(
        make=lambda institution, tag: _system_grant(institution, tag), marker=lambda obj: obj.user.username
    ),
    # The tenant itself: a member sees only its own institution.
    "agreements.Institution": Tenant(make=lambda institution, tag: institution, marker=lambda obj: obj.legal_name),
}


# --- accounts: onboarding (account requests, letters, account changes) -----------------------


_REQUEST_CURPS = itertools.count()


def _account_request(institution, tag=None, *, with_signatory=True):
    from accounts.models import AccountRequest
    from accounts.tests.factories import make_signatory, valid_curp

    tag = tag or unique_tag("r")
    admin = _user(institution)
    signatory = make_signatory(institution=institution, full_name=f"Firma {tag}") if with_signatory else None
    return AccountRequest.objects.create(
        institution=institution,
        created_by=admin,
        signatory=signatory,
        given_names=f"Solicitante {tag}",
        paternal_surname="Prueba",
        # A counter (not chance) and another birth date than the factories': never the same CURP.
        curp=valid_curp(next(_REQUEST_CURPS), birth="851111"),
    )


def _request_document(institution):
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from accounts.models import RequestDocument, RequiredDocument
    from accounts.tests.factories import PDF_BYTES

    req = _account_request(institution, with_signatory=False)
    name = default_storage.save("accounts/requests/registro.pdf", ContentFile(PDF_BYTES))
    return RequestDocument.objects.create(
        request=req,
        requirement=RequiredDocument.objects.first(),
        file=name,
        original_name="registro.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
        uploaded_by=req.created_by,
    ).pk


def _letter(institution, tag=None):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from accounts.models import ConfidentialityLetter
    from accounts.tests.factories import PDF_BYTES

    tag = tag or unique_tag("c")
    user = _user(institution)
    name = default_storage.save("accounts/letters/registro.pdf", ContentFile(PDF_BYTES))
    return ConfidentialityLetter.objects.create(
        folio=f"CC-{tag}",
        user=user,
        institution=institution,
        full_name=user.full_name,
        address="Calle 1",
        public_servant_number="SP-1",
        phone="1",
        id_document="ine",
        id_folio="F-1",
        area="Área",
        template_title="Carta",
        pdf=name,
        sha256="0" * 64,
        accepted_at=timezone.now(),
        scan=name,
        scan_status=ConfidentialityLetter.ScanStatus.PENDING_REVIEW,
    )


def _change(institution, tag=None):
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from accounts.models import AccountChangeRequest, ChangeDocument
    from accounts.tests.factories import PDF_BYTES

    tag = tag or unique_tag("m")
    change = AccountChangeRequest.objects.create(
        institution=institution,
        user=_user(institution, f"{tag}u"),
        kind=AccountChangeRequest.Kind.SUSPENSION,
        reason=f"Motivo {tag}",
        created_by=_user(institution),
    )
    # A suspension carries its letter and profile catalog form (000, NOVENA).
    for kind in ChangeDocument.Kind.values:
        ChangeDocument.objects.create(
            change=change,
            kind=kind,
            file=default_storage.save(f"accounts/changes/{kind}.pdf", ContentFile(PDF_BYTES)),
            original_name=f"{kind}.pdf",
            content_type="application/pdf",
            size=len(PDF_BYTES),
            sha256=hashlib.sha256(PDF_BYTES).hexdigest(),
            uploaded_by=change.created_by,
        )
    return change


def _required_document(institution):
    from accounts.models import RequiredDocument

    return RequiredDocument.objects.first().pk


# --- agreements ----------------------------------------------------------------------------
# Objects of one institution hang together: the agreement of an institution is reused for its
# party, notice, obligation and documents, so a route with several kwargs gets a coherent set.


def _agreement(institution, tag=None):
    from agreements.models import Agreement
    from agreements.tests.factories import InstitutionFactory, make_agreement

    # Not the basis of access a member's first account brings along (accounts.tests.factories.ensure_basis):
    # the walks grant and look for this registry's own agreement.
    existing = (
        Agreement.objects.filter(parties__institution=institution)
        .exclude(folio__startswith="CONV-BASE-")
        .order_by("pk")
        .first()
    )
    if existing is not None and tag is None:
        return existing
    members = [institution] if not institution.is_commission else [InstitutionFactory()]
    kwargs = {"folio": f"REG-{tag}"} if tag else {}
    return make_agreement(members=members, title=f"Convenio {tag or 'de prueba'}", **kwargs)


def _party(institution, tag=None):
    agreement = _agreement(institution, tag)
    return agreement.parties.get(institution=institution)


def _notice(institution):
    from datetime import date

    from agreements import services
    from agreements.tests.factories import pdf_upload

    party = _party(institution)
    notice = party.agreement.termination_notices.first()
    if notice is None:
        notice = services.termination_notice_create(
            agreement=party.agreement,
            actor=None,
            kind="rescission",
            notifying_party=party,
            notified_on=date.today(),
            reason="Aviso de prueba",
            notice_file=pdf_upload("aviso.pdf"),
        )
    return notice


def _obligation(institution):
    from datetime import date

    from agreements import services

    party = _party(institution)
    return services.obligation_create(
        agreement=party.agreement,
        actor=None,
        party=party,
        description="Obligación de prueba",
        schedule="monthly",
        business_days=12,
        starts_on=date(2026, 1, 1),
    )


def _pdf(name="prueba.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kernel.sample_files import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def _document(institution, tag=None):
    from agreements import services

    agreement = _agreement(institution)
    return services.document_upload(
        actor=None, institution=institution, agreement=agreement, kind="annex", title=f"Anexo {tag or ''}", file=_pdf()
    )


def _signatory(institution, tag=None):
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements import services
    from kernel.sample_files import png_bytes

    return services.signatory_submit(
        institution=institution,
        actor=None,
        full_name=f"Firma {tag or unique_tag()}",
        position="Titular",
        rank="Titular",
        specimen_file=SimpleUploadedFile("firma.png", png_bytes(), content_type="image/png"),
        valid_from=date(2026, 1, 1),
        attested=True,
    )


def _membership(institution, tag=None):
    from agreements import services
    from agreements.models import Membership

    docs = {
        field: services.document_upload(
            actor=None, institution=institution, kind="membership", title=field, file=_pdf()
        )
        for field in ("agreement_proof", "responsible_letter", "security_statement")
    }
    membership = Membership(institution=institution, responsible_name=f"Responsable {tag or unique_tag()}", **docs)
    membership.status = Membership.Status.ACCEPTED
    membership.save()
    return membership


def _institution_suspension(institution, tag=None):
    from agreements.models import InstitutionSuspension

    return InstitutionSuspension.objects.create(
        institution=institution,
        reason=InstitutionSuspension.Reason.RULES_BREACHED,
        text=f"Hechos de prueba {tag or unique_tag()}",
        status=InstitutionSuspension.Status.LIFTED,
    )


def _non_working_day(institution):
    from datetime import date, timedelta

    from agreements.models import NonWorkingDay

    day = date(2030, 1, 2)
    while NonWorkingDay.objects.filter(date=day).exists():
        day += timedelta(days=1)
    return NonWorkingDay.objects.create(date=day, description="Día de prueba").pk


def _issued_document_folio(institution):
    # A register entry of no tenant (the public verification page shows no personal data).
    from kernel.evidence.models import EvidenceKind, IssuedDocument
    from kernel.evidence.services import new_folio

    return IssuedDocument.objects.create(folio=new_folio(), kind=EvidenceKind.CURU, sha256="0" * 64).folio


URL_KWARGS.update(
    {
        "folio": Kwarg(_issued_document_folio),
        "request_pk": Kwarg(lambda institution: _account_request(institution).pk, model="accounts.AccountRequest"),
        "request_document_pk": Kwarg(_request_document, model="accounts.AccountRequest"),
        "letter_pk": Kwarg(lambda institution: _letter(institution).pk, model="accounts.ConfidentialityLetter"),
        "letter_kind": Kwarg(lambda institution: "user"),
        "change_pk": Kwarg(lambda institution: _change(institution).pk, model="accounts.AccountChangeRequest"),
        "change_document_pk": Kwarg(lambda institution: _change(institution).documents.first().pk),
        "required_document_pk": Kwarg(_required_document),
        "agreement_pk": Kwarg(lambda institution: _agreement(institution).pk, model="agreements.Agreement"),
        "party_pk": Kwarg(lambda institution: _party(institution).pk, model="agreements.AgreementParty"),
        "notice_pk": Kwarg(lambda institution: _notice(institution).pk, model="agreements.Agreement"),
        "obligation_pk": Kwarg(lambda institution: _obligation(institution).pk, model="agreements.Agreement"),
        "document_pk": Kwarg(lambda institution: _document(institution).pk, model="agreements.Document"),
        "signatory_pk": Kwarg(lambda institution: _signatory(institution).pk, model="agreements.Signatory"),
        "signatory_action": Kwarg(lambda institution: "registrar"),
        "membership_pk": Kwarg(lambda institution: _membership(institution).pk, model="agreements.Membership"),
        "non_working_day_pk": Kwarg(_non_working_day),
        "institution_pk": Kwarg(lambda institution: institution.pk, model="agreements.Institution"),
    }
)

TENANT_MODELS.update(
    {
        "accounts.AccountRequest": Tenant(make=_account_request, marker=lambda obj: obj.given_names),
        "accounts.AccountChangeRequest": Tenant(make=_change, marker=lambda obj: obj.folio),
        "accounts.ConfidentialityLetter": Tenant(make=_letter, marker=lambda obj: obj.folio),
        "agreements.Agreement": Tenant(
            make=lambda institution, tag: _agreement(institution, tag), marker=lambda obj: obj.folio
        ),
        "agreements.AgreementParty": Tenant(
            make=lambda institution, tag: _party(institution, tag), marker=lambda obj: obj.agreement.folio
        ),
        "agreements.Document": Tenant(make=_document, marker=lambda obj: obj.title),
        "agreements.Signatory": Tenant(make=_signatory, marker=lambda obj: obj.full_name),
        "agreements.Membership": Tenant(make=_membership, marker=lambda obj: obj.responsible_name),
        "agreements.InstitutionSuspension": Tenant(make=_institution_suspension, marker=lambda obj: obj.text),
    }
)


# --- supply (issue 17) -----------------------------------------------------------------------


def _supply_layout(institution, tag=None):
    from supply.models import Layout

    agreement = _agreement(institution, tag)
    layout = Layout.objects.filter(agreement=agreement).first()
    return layout or Layout.objects.create(agreement=agreement, code=unique_tag("layout-"), name=f"Layout {tag or ''}")


def _supply_delivery(institution, tag=None):
    from django.utils import timezone

    from supply.models import Delivery

    layout = _supply_layout(institution)
    member = (
        institution
        if not institution.is_commission
        else layout.agreement.parties.exclude(institution=institution).first().institution
    )
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from kernel.sample_files import pdf_bytes

    # A delivery that went all the way: its error report and receipt exist to be downloaded.
    report = default_storage.save(f"supply/errores-{unique_tag()}.csv", ContentFile(b"linea,campo,problema\n"))
    receipt = default_storage.save(f"supply/recibo-{unique_tag()}.pdf", ContentFile(pdf_bytes("Recibo")))
    return Delivery.objects.create(
        agreement=layout.agreement,
        institution=member,
        layout=layout,
        kind=Delivery.Kind.INITIAL,
        period_start=timezone.localdate(),
        file_name=f"padron-{tag or unique_tag()}.txt",
        delivered_by=_user(member),
        deliverer_name="Persona de prueba",
        received_at=timezone.now(),
        error_report_name=report,
        receipt_name=receipt,
    )


def _supply_catalog(institution, tag=None):
    from supply.models import Catalog

    return Catalog.objects.create(
        institution=institution, code=unique_tag("cat-"), name=f"Catálogo {tag or unique_tag()}", version=1
    )


_EVALUATION_MONTHS = itertools.count()


def _supply_evaluation(institution, tag=None):
    from django.utils import timezone

    from supply.models import Evaluation

    delivery = _supply_delivery(institution, tag)
    # One evaluation per agreement, institution and period: each call takes an earlier month,
    # so two rows of one institution are two evaluations.
    month = next(_EVALUATION_MONTHS)
    first = timezone.localdate().replace(day=1)
    period = first.replace(year=first.year - (month // 12) - 1, month=month % 12 + 1)
    evaluation = Evaluation.objects.create(
        agreement=delivery.agreement,
        institution=delivery.institution,
        period_start=period,
        due_on=timezone.localdate(),
        note=f"Nota {tag or ''}",
    )
    return evaluation


# --- governance ----------------------------------------------------------------------------
# A body of an institution's agreement (the commission and the institution sit on it), with one
# held session, one acuerdo the institution is responsible for, a pilot and a consent request.


def _body(institution, tag=None):
    from governance import services
    from governance.models import Body

    party = _party(institution)
    existing = Body.objects.filter(agreement=party.agreement).order_by("pk").first()
    if existing is not None and tag is None:
        return existing
    code = (tag or unique_tag("B")).upper()[:12]
    return services.body_create(
        actor=None, kind="committee", name=f"Comité {tag or code}", code=code, agreement=party.agreement
    )


def _session(institution, tag=None):
    from datetime import date

    from governance.tests.factories import held_session

    body = _body(institution, tag)
    return body.sessions.order_by("pk").first() or held_session(body=body, on=date(2026, 2, 10))


def _acuerdo(institution, tag=None):
    from governance.tests.factories import acuerdo

    session = _session(institution)
    existing = session.acuerdos.order_by("pk").first()
    if existing is not None and tag is None:
        return existing
    return acuerdo(session=session, institutions=[institution], text=f"Acuerdo {tag or unique_tag()}")


def _member(institution, tag=None):
    from datetime import date

    from governance import services

    return services.member_appoint(
        actor=None,
        body=_body(institution),
        institution=institution,
        full_name=f"Integrante {tag or unique_tag()}",
        position="Titular",
        notified_on=date(2026, 1, 5),
    )


def _gdocument(institution, tag=None):
    from datetime import date

    from governance import services
    from governance.tests.factories import held_session

    # A session of its own: signed minutes close a session to new acuerdos.
    session = held_session(body=_body(institution), on=date(2026, 2, 11))
    return services.session_sign_minutes(actor=None, session=session, file=_pdf(f"acta {tag or ''}.pdf")).minutes


def _pilot(institution, tag=None):
    from datetime import date

    from governance import services

    party = _party(institution)
    return services.pilot_request(
        actor=None,
        agreement=party.agreement,
        requested_by=institution,
        title=f"Piloto {tag or unique_tag()}",
        requested_on=date(2026, 3, 1),
        request_file=_pdf(),
    )


def _consent_processing(institution, tag=None):
    from governance import services
    from governance.models import ConsentProcessing

    agreement = _party(institution).agreement
    existing = ConsentProcessing.objects.filter(agreement=agreement).first()
    return existing or services.consent_processing_mark(actor=None, agreement=agreement, responsible=institution)


def _consent(institution, tag=None):
    from datetime import date

    from governance import services

    mark = _consent_processing(institution)
    other = mark.agreement.parties.exclude(institution=institution).first().institution
    return services.consent_request_create(
        actor=None,
        agreement=mark.agreement,
        requested_by=other,
        folios=f"CONS-{tag or unique_tag()}",
        requested_on=date(2026, 3, 1),
        due_on=date(2026, 3, 20),
    )


URL_KWARGS.update(
    {
        "delivery_pk": Kwarg(lambda institution: _supply_delivery(institution).pk, model="supply.Delivery"),
        "decision": Kwarg(lambda institution: "aceptar"),
        "layout_pk": Kwarg(lambda institution: _supply_layout(institution).pk, model="supply.Layout"),
        "catalog_pk": Kwarg(lambda institution: _supply_catalog(institution).pk, model="supply.Catalog"),
        "evaluation_pk": Kwarg(lambda institution: _supply_evaluation(institution).pk, model="supply.Evaluation"),
        "body_pk": Kwarg(lambda institution: _body(institution).pk, model="governance.Body"),
        "session_pk": Kwarg(lambda institution: _session(institution).pk, model="governance.Session"),
        "acuerdo_pk": Kwarg(lambda institution: _acuerdo(institution).pk, model="governance.Acuerdo"),
        "gdocument_pk": Kwarg(lambda institution: _gdocument(institution).pk, model="governance.Document"),
        "pilot_pk": Kwarg(lambda institution: _pilot(institution).pk, model="governance.PilotProgram"),
        "consent_pk": Kwarg(lambda institution: _consent(institution).pk, model="governance.ConsentEvidenceRequest"),
        "incident_pk": Kwarg(lambda institution: _incident(institution).pk, model="governance.Incident"),
    }
)

TENANT_MODELS.update(
    {
        "supply.Delivery": Tenant(make=_supply_delivery, marker=lambda obj: obj.file_name),
        "supply.Catalog": Tenant(make=_supply_catalog, marker=lambda obj: obj.name),
        "supply.Layout": Tenant(make=_supply_layout, marker=lambda obj: obj.agreement.folio),
        "supply.Evaluation": Tenant(make=_supply_evaluation, marker=lambda obj: obj.agreement.folio),
        "governance.Body": Tenant(make=_body, marker=lambda obj: obj.name),
        "governance.BodyParty": Tenant(
            make=lambda institution, tag: _body(institution, tag).parties.get(institution=institution),
            marker=lambda obj: obj.body.name,
        ),
        "governance.Member": Tenant(make=_member, marker=lambda obj: obj.full_name),
        "governance.Session": Tenant(make=_session, marker=lambda obj: obj.code),
        "governance.Acuerdo": Tenant(make=_acuerdo, marker=lambda obj: obj.text),
        "governance.AcuerdoResponsible": Tenant(
            make=lambda institution, tag: _acuerdo(institution, tag).responsibles.get(),
            marker=lambda obj: obj.acuerdo.text,
        ),
        "governance.Document": Tenant(make=_gdocument, marker=lambda obj: obj.original_name),
        "governance.PilotProgram": Tenant(make=_pilot, marker=lambda obj: obj.title),
        "governance.ConsentProcessing": Tenant(
            make=lambda institution, tag: _consent_processing(institution), marker=lambda obj: obj.agreement.folio
        ),
        "governance.ConsentEvidenceRequest": Tenant(make=_consent, marker=lambda obj: obj.folios),
        "governance.Incident": Tenant(
            make=lambda institution, tag: _incident(institution, tag), marker=lambda obj: obj.description
        ),
    }
)


def _incident(institution, tag=None):
    from datetime import timedelta

    from django.utils import timezone

    from governance.services_incidents import incident_report

    return incident_report(
        actor=None,
        institution=institution,
        kind="problem",
        description=f"Incidente {tag or unique_tag()}",
        occurred_at=timezone.now() - timedelta(hours=1),
        severity="low",
        affected_systems="Portal",
    )


# --- access reviews --------------------------------------------------------------------------
# A campaign reviewing one account of the institution (a campaign is seen by the institutions
# whose accounts it reviews, and by the commission).


def _review_item(institution, tag=None):
    from django.utils import timezone

    from access_reviews.models import ReviewCampaign, ReviewItem

    tag = tag or unique_tag("rev")
    account = _user(institution)
    today = timezone.localdate()
    campaign = ReviewCampaign(
        name=f"Revisión {tag}", opened_by=account, opened_on=today, due_on=today, business_days=1, dormant_days=90
    )
    campaign.save()
    item = ReviewItem(campaign=campaign, institution=institution, user=account)
    item.save()
    return item


URL_KWARGS.update(
    {
        "campaign_pk": Kwarg(
            lambda institution: _review_item(institution).campaign_id, model="access_reviews.ReviewCampaign"
        ),
        "review_item_pk": Kwarg(lambda institution: _review_item(institution).pk, model="access_reviews.ReviewItem"),
    }
)

TENANT_MODELS.update(
    {
        "access_reviews.ReviewCampaign": Tenant(
            make=lambda institution, tag: _review_item(institution, tag).campaign, marker=lambda obj: obj.name
        ),
        "access_reviews.ReviewItem": Tenant(make=_review_item, marker=lambda obj: obj.campaign.name),
    }
)
