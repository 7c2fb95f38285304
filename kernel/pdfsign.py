"""PAdES signatures on the portal's PDFs (kernel), with pyHanko.

    signed = sign_pdf(data)

Every PDF the portal issues as evidence is signed with the commission's certificate, so Adobe
Reader, poppler's ``pdfsig`` or pyHanko show who issued it and that not one byte changed since.
The certificate and its key come from the environment, never from the database:

- ``PORTAL_PDF_SIGNING_CERT_FILE`` + ``PORTAL_PDF_SIGNING_KEY_FILE`` (PEM or DER), with
  ``PORTAL_PDF_SIGNING_KEY_PASSPHRASE`` when the key is encrypted; or
- ``PORTAL_PDF_SIGNING_PKCS12_FILE`` (``.p12``/``.pfx``) with the same passphrase variable;
- ``PORTAL_PDF_SIGNING_CHAIN_FILE`` (optional): intermediate certificates to embed.

With none of them in the demo (DEBUG on when the settings load: ``make run``, tests), a demo CA
and a signing certificate are generated once under ``var/pdf-signing/`` (``demo_ca_certificate()``
gives the CA to trust). With DEBUG off, a missing certificate is a deployment-check warning
(portal/checks.py) and signing refuses to run. When ``PORTAL_TSA_URL`` is set, each signature
carries an RFC 3161 timestamp from that authority (PAdES B-T); without it, the signing time is the
portal's own clock (B-B).
"""

import asyncio
import concurrent.futures
import datetime
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "FirmaComision"
DEMO_CA_FILE = "demo-ca.pem"
DEMO_CERT_FILE = "signing-cert.pem"
DEMO_KEY_FILE = "signing-key.pem"
DEMO_ORGANIZATION = "Portal de Convenios (DEMOSTRACION)"


@dataclass(frozen=True)
class SigningConfig:
    cert_file: str
    key_file: str
    pkcs12_file: str
    chain_file: str
    passphrase: str
    demo_dir: str

    @property
    def configured(self) -> bool:
        return bool(self.pkcs12_file or (self.cert_file and self.key_file))


def signing_config() -> SigningConfig:
    return SigningConfig(
        cert_file=getattr(settings, "PORTAL_PDF_SIGNING_CERT_FILE", "") or "",
        key_file=getattr(settings, "PORTAL_PDF_SIGNING_KEY_FILE", "") or "",
        pkcs12_file=getattr(settings, "PORTAL_PDF_SIGNING_PKCS12_FILE", "") or "",
        chain_file=getattr(settings, "PORTAL_PDF_SIGNING_CHAIN_FILE", "") or "",
        passphrase=getattr(settings, "PORTAL_PDF_SIGNING_KEY_PASSPHRASE", "") or "",
        demo_dir=str(getattr(settings, "PORTAL_PDF_SIGNING_DEMO_DIR", "") or ""),
    )


# --- Demo certificate (make run, tests) ------------------------------------------------------


def _demo_dir() -> Path:
    folder = signing_config().demo_dir
    if not folder:
        raise ImproperlyConfigured("No demo certificate outside the demo (PORTAL_PDF_SIGNING_DEMO_DIR is empty).")
    return Path(folder)


def _write_demo_bundle(folder: Path) -> None:
    """A demo CA and a signing certificate it issued, written in ``folder`` (PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)

    def name(common_name):
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = name("CA de demostracion del Portal de Convenios")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Firma de documentos del Portal de Convenios (demostracion)"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + datetime.timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / DEMO_CA_FILE).write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    (folder / DEMO_CERT_FILE).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file = folder / DEMO_KEY_FILE
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_file.chmod(0o600)


def ensure_demo_certificate() -> Path:
    """The demo folder, created on first use. Safe when several processes start at once: the
    files are written in a private folder that is then renamed into place in one step."""
    folder = _demo_dir()
    if (folder / DEMO_KEY_FILE).exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pdf-signing-", dir=folder.parent))
    try:
        _write_demo_bundle(staging)
        try:
            os.rename(staging, folder)
        except OSError:
            if not (folder / DEMO_KEY_FILE).exists():  # not another process that won the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def demo_ca_certificate() -> Path:
    """The demo CA's certificate (PEM): what a tester adds to a PDF reader's trusted roots."""
    return ensure_demo_certificate() / DEMO_CA_FILE


# --- Signer ----------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _load_signer(config: SigningConfig):
    from pyhanko.sign import signers

    passphrase = config.passphrase.encode() if config.passphrase else None
    chain = [config.chain_file] if config.chain_file else None
    if config.pkcs12_file:
        signer = signers.SimpleSigner.load_pkcs12(config.pkcs12_file, ca_chain_files=chain, passphrase=passphrase)
    elif config.cert_file and config.key_file:
        signer = signers.SimpleSigner.load(
            config.key_file, config.cert_file, ca_chain_files=chain, key_passphrase=passphrase
        )
    else:
        folder = ensure_demo_certificate()
        signer = signers.SimpleSigner.load(
            str(folder / DEMO_KEY_FILE), str(folder / DEMO_CERT_FILE), ca_chain_files=[str(folder / DEMO_CA_FILE)]
        )
    if signer is None:
        raise ImproperlyConfigured(
            "The PDF signing certificate or key could not be read (wrong file, format or passphrase)."
        )
    return signer


def signer():
    """pyHanko's signer for the configured certificate; raises ImproperlyConfigured without one
    outside the demo, or when the files cannot be read."""
    config = signing_config()
    if not config.configured and not config.demo_dir:
        raise ImproperlyConfigured(
            "Set PORTAL_PDF_SIGNING_CERT_FILE and PORTAL_PDF_SIGNING_KEY_FILE (or PORTAL_PDF_SIGNING_PKCS12_FILE): "
            "the portal's PDFs are signed with the commission's certificate."
        )
    return _load_signer(config)


def signing_certificate():
    """The signing certificate (``cryptography`` object), e.g. for its expiry date."""
    from cryptography import x509

    return x509.load_der_x509_certificate(signer().signing_cert.dump())


def _timestamper():
    url = getattr(settings, "PORTAL_TSA_URL", "") or ""
    if not url:
        return None
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=int(getattr(settings, "PORTAL_TSA_TIMEOUT_SECONDS", 10)))


def sign_pdf(data: bytes, *, reason: str = "", location: str = "") -> bytes:
    """``data`` (a PDF) signed PAdES by the commission: an incremental update that adds one
    invisible signature field and covers every byte before it.

    When the timestamping authority cannot be reached, ValidationError (in Spanish): the caller's
    transaction rolls back and the person is told to retry; no PDF leaves without its timestamp.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    timestamper = _timestamper()
    try:
        out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer(), timestamper=timestamper)
    except (OSError, TimeoutError) as error:  # pyHanko's TimestampRequestError is an OSError
        if timestamper is None:
            raise
        logger.warning("The timestamping authority did not answer: %s", error)
        raise ValidationError(
            _("No pudimos obtener el sello de tiempo del documento. Intente de nuevo en unos minutos."),
            code="timestamp_unavailable",
        ) from error
    return out.getvalue()


def _outside_event_loop(function, *args, **kwargs):
    """Call pyHanko's synchronous API, which runs its own event loop (``asyncio.run``): in a
    thread of its own when this thread already runs one (an ASGI server, Playwright's sync API
    in the browser tests), where ``asyncio.run`` would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()
