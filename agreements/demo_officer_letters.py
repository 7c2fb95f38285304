"""Demo data for the commission officer's letter for the data received (000 NOVENA): on the main
agreement the commission's officer in office (``comision.revisor``) has signed it; on
``CESP-IMS-2023-02`` the same person was designated and the letter is pending (their dashboard
asks for it). Idempotent: it runs once, after ``agreements.demo_details``."""

from datetime import timedelta

OFFICER_USERNAME = "comision.revisor"


def seed(ctx):
    from django.utils import timezone

    from . import services
    from .models import Agreement, AgreementParty, OfficerLetter

    if OfficerLetter.objects.exists():
        return
    today = timezone.localdate()
    admin = ctx["users"]["comision.admin"]
    officer_user = ctx["users"][OFFICER_USERNAME]
    contact = {
        "position": "Coordinador de enlace con las instituciones",
        "phone": "81 2020 0002",
        "email": officer_user.email or "jorge.pena@cesp.demo.gob.mx",
        "address": "Av. Constitución 100, Monterrey, N.L.",
        "functions": "Recepción y resguardo de los datos que entregan las instituciones.",
    }

    def designate(folio, notified_on):
        party = Agreement.objects.get(folio=folio).parties.get(role=AgreementParty.Role.COMMISSION)
        return services.officer_designate(
            party=party,
            actor=admin,
            role="general",
            full_name=officer_user.full_name,
            notified_on=notified_on,
            account=officer_user,
            **contact,
        )

    # Main agreement: Jorge Peña substitutes the commission's first officer and signs at once.
    signed = designate("CESP-ISSE-2024-01", today - timedelta(days=6))
    services.officer_letter_sign(officer=signed, actor=officer_user, ip="127.0.0.1")
    # Agreement with IMS: designated three days ago, the letter still waits for the signature.
    designate("CESP-IMS-2023-02", today - timedelta(days=3))
