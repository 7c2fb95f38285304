"""Second-factor devices the portal keeps itself, next to django-otp's TOTP device.

Both are django-otp devices (``django_otp.models.Device``), so ``django_otp.login`` marks a session
verified with them and ``request.user.is_verified()`` knows them.

- ``PasskeyDevice``: a passkey or security key (WebAuthn). It stores what the server needs to check
  an assertion: the credential id, its public key (COSE) and the authenticator's signature counter.
- ``RecoveryCodeDevice`` with ten ``RecoveryCode`` rows: single-use codes shown once at enrolment.
  Only a keyed hash of each code is stored (HMAC-SHA256 keyed by ``SECRET_KEY``; see
  ``accounts.recovery_codes``), never the code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class PasskeyDevice(Device):
    credential_id = models.BinaryField(_("identificador de la credencial"), max_length=1023)
    # base64url of credential_id, unique and indexed: the lookup key of an assertion.
    credential_key = models.CharField(_("clave de búsqueda"), max_length=1400, unique=True, editable=False)
    public_key = models.BinaryField(_("llave pública (COSE)"))
    sign_count = models.PositiveBigIntegerField(_("contador de firmas"), default=0)
    transports = models.JSONField(_("transportes"), default=list, blank=True)
    created_at = models.DateTimeField(_("dada de alta"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True)

    class Meta:
        verbose_name = _("llave de seguridad")
        verbose_name_plural = _("llaves de seguridad")

    def verify_token(self, token):  # a passkey answers a challenge, never a typed code
        return False


class RecoveryCodeDevice(Device):
    class Meta:
        verbose_name = _("códigos de respaldo")
        verbose_name_plural = _("códigos de respaldo")

    def verify_token(self, token):
        from ..recovery_codes import use_code

        return use_code(self, token)


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(_("huella del código"), max_length=64)
    used_at = models.DateTimeField(_("usado"), null=True, blank=True)

    class Meta:
        verbose_name = _("código de respaldo")
        verbose_name_plural = _("códigos de respaldo")
        constraints = [models.UniqueConstraint(fields=["device", "code_hash"], name="recovery_code_unique_per_device")]

    def __str__(self):
        return f"{self.device_id}: {'usado' if self.used_at else 'vigente'}"
