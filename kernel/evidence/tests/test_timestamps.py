"""RFC 3161 timestamps on the signatures when PORTAL_TSA_URL is set. No network: the authority is
a local HTTP server in this process answering with pyHanko's test timestamper, or a closed port."""

import datetime
import hashlib
import http.server
import socket
import subprocess
import threading
from io import BytesIO

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.core.exceptions import ValidationError

from accounts import services_letters as letters
from accounts import services_onboarding as onboarding
from accounts.models import ConfidentialityLetter, User
from accounts.tests.factories import UserFactory
from conftest import require_binary
from kernel.evidence.models import IssuedDocument
from portal.tests.registry import _account_request

pytestmark = pytest.mark.django_db


def _tsa_identity():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's test TSA is RSA-only
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA de prueba")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (
        asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        asn1_keys.PrivateKeyInfo.load(der_key),
    )


@pytest.fixture
def local_tsa():
    """URL of an RFC 3161 authority on 127.0.0.1 and the list of requests it answered."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key = _tsa_identity()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)
    answered = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            body = stamper.request_tsa_response(request).dump()
            answered.append(request)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/tsa", answered
    server.shutdown()
    server.server_close()


def test_with_a_tsa_configured_each_signature_carries_its_timestamp(
    settings, member, private_media, local_tsa, tmp_path
):
    from pyhanko.pdf_utils.reader import PdfFileReader

    url, answered = local_tsa
    settings.PORTAL_TSA_URL = url
    data = onboarding.curu_pdf(request=_account_request(member))

    assert answered  # pyHanko asks once to size the signature, then for the real token
    (signature,) = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    token = signature.signer_info["unsigned_attrs"][0]
    assert token["type"].native == "signature_time_stamp_token"
    path = tmp_path / "curu.pdf"
    path.write_bytes(data)
    report = subprocess.run([require_binary("pdfsig"), str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in report
    assert IssuedDocument.objects.filter(sha256=hashlib.sha256(data).hexdigest()).exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_tsa_refuses_the_document_and_registers_nothing(settings, member, private_media):
    settings.PORTAL_TSA_URL = f"http://127.0.0.1:{_closed_port()}/tsa"
    settings.PORTAL_TSA_TIMEOUT_SECONDS = 2
    user = UserFactory(institution=member, status=User.Status.PENDING_LETTER)

    with pytest.raises(ValidationError) as refused:
        letters.letter_accept(user=user, address="Calle 1", phone="1", id_document="ine", id_folio="F")
    assert "sello de tiempo" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        onboarding.curu_pdf(request=_account_request(member))

    assert not IssuedDocument.objects.exists()
    assert not ConfidentialityLetter.objects.filter(user=user).exists()
    user.refresh_from_db()
    assert user.status == User.Status.PENDING_LETTER
