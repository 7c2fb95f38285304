"""Link officers: designation, deputies, periodic reports and the parties' designation deadlines."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kernel.notifications.services import notify

from .. import rules
from ..models import (
    AgreementParty,
    Document,
    LinkOfficer,
    OfficerDeputy,
    OfficerReport,
)
from .common import _check_actor, _event, _files_removed_on_failure, _party_institutions, _recipients, _save
from .documents import _document_upload


def officer_designate(
    *,
    party,
    actor,
    role,
    full_name,
    position,
    phone,
    email,
    address,
    notified_on,
    functions="",
    function_codes=(),
    designation_letter_file=None,
    effective_from=None,
    account=None,
) -> LinkOfficer:
    """Designate a party's link officer; if one is in office for that role, this is a substitution:
    the new one takes effect the next calendar day (or the later date given) and the previous one
    ends the day before. The previous record stays as history.

    The functions are chosen among the sources' seven (000 DÉCIMA SEXTA) plus free text; the
    official letter of designation (002) is kept with the designation. A commission officer may be
    linked to the commission account with which they sign the letter for the data received
    (000 NOVENA); that account is told the letter awaits its signature.
    """
    from .officer_letters import check_officer_account, notify_letter_due

    _check_actor(actor, "agreements.add_linkofficer", agreement=party.agreement, institution=party.institution)
    check_officer_account(party=party, account=account)
    codes = list(dict.fromkeys(function_codes or ()))
    unknown = set(codes) - set(LinkOfficer.Function.values)
    if unknown:
        raise ValidationError({"function_codes": _("Función desconocida: %(f)s") % {"f": ", ".join(sorted(unknown))}})
    if not codes and not functions.strip():
        raise ValidationError({"function_codes": _("Indique al menos una función del enlace.")})
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        letter = None
        if designation_letter_file is not None:
            letter = _document_upload(
                actor=actor,
                institution=party.institution,
                agreement=party.agreement,
                kind=Document.Kind.DESIGNATION,
                title=_("Oficio de designación de %(name)s") % {"name": full_name},
                file=designation_letter_file,
            )
            stored_names.append(letter.file.name)
        officer = _officer_register(
            party=party,
            actor=actor,
            role=role,
            full_name=full_name,
            position=position,
            phone=phone,
            email=email,
            address=address,
            functions=functions,
            function_codes=[c for c, _label in LinkOfficer.Function.choices if c in codes],
            designation_letter=letter,
            notified_on=notified_on,
            effective_from=effective_from,
            account=account,
        )
        notify_letter_due(officer)
        return officer


def _officer_register(*, party, actor, role, notified_on, effective_from, **fields) -> LinkOfficer:
    starts = rules.officer_effective_from(notified_on=notified_on, requested=effective_from)
    previous = (
        LinkOfficer.objects.select_for_update().filter(party=party, role=role, effective_until__isnull=True).first()
    )
    if previous is not None:
        if starts <= previous.effective_from:
            raise ValidationError(_("La sustitución debe surtir efectos después del inicio del enlace actual."))
        previous.effective_until = starts - timedelta(days=1)
        _save(previous, actor)
    officer = LinkOfficer(
        party=party,
        role=role,
        notified_on=notified_on,
        effective_from=starts,
        replaces=previous,
        created_by=actor,
        **fields,
    )
    officer.full_clean(exclude=["replaces", "designation_letter", "created_by"])
    _save(officer, actor)
    _event(
        "officer_substituted" if previous else "officer_designated",
        actor=actor,
        target=party.agreement,
        institution=party.institution,
        effective_from=starts,
    )
    notify(
        recipients=_recipients(_party_institutions(party.agreement)),
        template="agreement_officer_designated",
        context={"agreement": party.agreement, "party": party, "officer": officer, "previous": previous},
        related=officer,
    )
    return officer


def _check_officer_actor(actor, officer):
    party = officer.party
    _check_actor(actor, "agreements.add_linkofficer", agreement=party.agreement, institution=party.institution)


@transaction.atomic
def officer_deputy_add(
    *, officer, actor, full_name, position, phone="", email="", acting_from=None, acting_until=None
) -> OfficerDeputy:
    """A deputy of lower rank who acts while the officer is absent (003 QUINTA); the acting
    period is optional (a standing deputy) and, when given, must fall in the officer's term."""
    _check_officer_actor(actor, officer)
    if acting_until and not acting_from:
        raise ValidationError({"acting_from": _("Indique desde cuándo suple al enlace.")})
    if acting_from and acting_until and acting_until < acting_from:
        raise ValidationError({"acting_until": _("La suplencia no puede terminar antes de empezar.")})
    if acting_from and (
        acting_from < officer.effective_from or (officer.effective_until and acting_from > officer.effective_until)
    ):
        raise ValidationError({"acting_from": _("La suplencia debe caer dentro del periodo del enlace.")})
    deputy = OfficerDeputy(
        officer=officer,
        full_name=full_name,
        position=position,
        phone=phone,
        email=email,
        acting_from=acting_from,
        acting_until=acting_until,
        created_by=actor,
    )
    deputy.full_clean(exclude=["created_by"])
    _save(deputy, actor)
    _event("officer_deputy_added", actor=actor, target=officer.party.agreement, institution=officer.party.institution)
    return deputy


def officer_report_file(*, officer, actor, period_start, period_end, filed_on, report_file) -> OfficerReport:
    """An officer's periodic report (000 DÉCIMA SEXTA IV): the document and the period it covers."""
    _check_officer_actor(actor, officer)
    if period_end < period_start:
        raise ValidationError({"period_end": _("El periodo no puede terminar antes de empezar.")})
    if officer.reports.filter(period_start__lte=period_end, period_end__gte=period_start).exists():
        raise ValidationError({"period_start": _("Ya hay un informe de este enlace para ese periodo.")})
    with _files_removed_on_failure() as stored_names, transaction.atomic():
        document = _document_upload(
            actor=actor,
            institution=officer.party.institution,
            agreement=officer.party.agreement,
            kind=Document.Kind.OFFICER_REPORT,
            title=_("Informe de %(name)s, %(start)s–%(end)s")
            % {"name": officer.full_name, "start": f"{period_start:%d/%m/%Y}", "end": f"{period_end:%d/%m/%Y}"},
            file=report_file,
        )
        stored_names.append(document.file.name)
        report = _save(
            OfficerReport(
                officer=officer,
                period_start=period_start,
                period_end=period_end,
                filed_on=filed_on,
                document=document,
                created_by=actor,
            ),
            actor,
        )
        _event(
            "officer_report_filed",
            actor=actor,
            target=officer.party.agreement,
            institution=officer.party.institution,
            period_end=period_end,
        )
        return report


@transaction.atomic
def party_set_designation_deadline(*, party, actor, due_on):
    """The commission sets (or clears) the date by which a party must name its link officer."""
    _check_actor(actor, "agreements.change_agreementparty", agreement=party.agreement)
    party = AgreementParty.objects.select_for_update().get(pk=party.pk)
    party.officer_designation_due = due_on
    _save(party, actor)
    _event("officer_deadline_set", actor=actor, target=party.agreement, institution=party.institution, due_on=due_on)
    return party
