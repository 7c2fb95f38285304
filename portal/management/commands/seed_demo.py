from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from access_reviews import demo as access_reviews_demo
from accounts import demo as accounts_demo
from accounts import demo_basis, demo_onboarding
from accounts.identity import demo as identity_demo
from agreements import demo as agreements_demo
from agreements import demo_details as agreements_demo_details
from agreements import demo_officer_letters as agreements_demo_officer_letters
from audit import demo as audit_demo
from governance import demo as governance_demo
from kernel.notifications import demo as notifications_demo
from supply import demo as supply_demo

# Each step receives a shared dict and adds what later steps need. Later features append here.
STEPS = [
    agreements_demo.seed,
    accounts_demo.seed,
    accounts_demo.seed_second_factor,
    identity_demo.seed,
    agreements_demo.seed_agreements,
    agreements_demo_details.seed,
    agreements_demo_officer_letters.seed,
    notifications_demo.seed,
    demo_onboarding.seed,
    demo_basis.seed,
    agreements_demo.seed_calendar_and_alerts,
    supply_demo.seed,
    governance_demo.seed,
    governance_demo.seed_incidents,
    access_reviews_demo.seed,
    audit_demo.seed,  # last: it logs what the earlier steps created
]


class Command(BaseCommand):
    help = "Crea (o completa) los datos de demostración. Se puede ejecutar varias veces."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Permite ejecutarlo con DEBUG desactivado.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo se niega a correr con DEBUG desactivado; use --force si está seguro.")
        ctx = {}
        # The demo's e-mails are kept (and counted) rather than printed: they are in the outbox
        # page; e-mails sent while the portal runs still print to the console.
        from django.core import mail
        from django.test.utils import override_settings

        before = len(getattr(mail, "outbox", []))  # under tests, the test's own outbox is kept
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
            for step in STEPS:
                step(ctx)
        self.stdout.write(self.style.SUCCESS(f"Datos de demostración listos: {len(ctx.get('users', {}))} cuentas."))
        sent = len(getattr(mail, "outbox", [])) - before
        self.stdout.write(
            f"{sent} correos de la demostración quedaron en «Correos enviados por el portal» "
            "(/notificaciones/envios/); los que se envíen desde ahora aparecen en esta consola."
        )
