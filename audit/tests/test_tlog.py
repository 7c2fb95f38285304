"""The history log's Merkle tree and signed checkpoints, end to end on PostgreSQL: what the sealing
run stores, what the commands print, and what an outside auditor's offline verifier concludes."""

import base64
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.tests.factories import UserFactory
from audit import checks, merkle
from audit.models import Checkpoint, MerkleLeaf
from audit.signednote import NoteError, Verifier, open_checkpoint
from audit.tasks import mail_checkpoint
from audit.tests.factories import AccessEventFactory

from .test_seals import as_owner

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "verify_bitacora.py"
SEED = base64.b64encode(bytes(range(32))).decode()
OTHER_SEED = base64.b64encode(bytes(range(100, 132))).decode()


@pytest.fixture(autouse=True)
def checkpoint_key(settings):
    settings.AUDIT_CHECKPOINT_KEY = SEED
    settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    settings.AUDIT_CHECKPOINT_ORIGIN = "portal.example.gob.mx/bitacora"
    settings.AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS = []
    return settings


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=out)
    return out.getvalue()


def breaks():
    """What audit_verify reports (one RUPTURA line per break) when it fails."""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit_verify", stdout=out, stderr=out)
    return out.getvalue()


def seal():
    return run("audit_seal")


def entry_lines(size=None):
    text = run("audit_leaves", *(["--size", str(size)] if size is not None else []))
    return [line.encode() for line in text.split("\n")[:-1]]


def mth(hashes):
    """RFC 6962 MTH, written here again so the assertions do not lean on audit.merkle."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return hashlib.sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:])).digest()


def verify_offline(tmp_path, *, old=None, proof=None, hashes=True):
    """Export what an auditor receives and run scripts/verify_bitacora.py on it as a subprocess."""
    files = {
        "key": run("audit_public_key"),
        "checkpoint": run("audit_checkpoint"),
        "leaves": run("audit_leaves", "--size", str(Checkpoint.objects.latest("id").tree_size)),
    }
    if hashes:
        files["hashes"] = run("audit_leaves", "--size", str(Checkpoint.objects.latest("id").tree_size), "--hashes")
    if old is not None:
        files["old-checkpoint"], files["proof"] = old, proof
    args = []
    for name, text in files.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(text.encode())
        args += [f"--{name}", str(path)]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def logged():
    rows = [AccessEventFactory(path=f"/ruta/{i}/", query={"q": "ñandú", "n": i}) for i in range(5)]
    seal()
    return rows


def test_sealing_appends_every_row_once_and_signs_the_tree_head(logged):
    checkpoint = Checkpoint.objects.get()
    size = MerkleLeaf.objects.count()
    assert checkpoint.tree_size == size >= 5
    assert list(MerkleLeaf.objects.order_by("index").values_list("index", flat=True)) == list(range(size))
    ours = MerkleLeaf.objects.filter(table="audit_accessevent").order_by("index")
    assert [leaf.row_id for leaf in ours] == [row.pk for row in logged]

    lines = entry_lines()
    assert len(lines) == size
    assert [bytes(leaf.leaf_hash) for leaf in MerkleLeaf.objects.order_by("index")] == [
        hashlib.sha256(b"\x00" + line).digest() for line in lines
    ]
    assert bytes(checkpoint.root_hash) == mth([hashlib.sha256(b"\x00" + line).digest() for line in lines])
    # The entry is RFC 8785 JSON of the row: sorted keys, no spaces between tokens, UTF-8 as is.
    mine = next(line for line in lines if line.endswith(b'"table":"audit_accessevent"}') and b'"/ruta/0/"' in line)
    assert mine.startswith(f'{{"id":{logged[0].pk},"row":{{"duration_ms":'.encode())
    assert b',"path":"/ruta/0/",' in mine and "ñandú".encode() in mine

    printed = run("audit_checkpoint")
    assert printed == checkpoint.note
    body = f"portal.example.gob.mx/bitacora\n{size}\n{base64.b64encode(bytes(checkpoint.root_hash)).decode()}\n"
    assert printed.startswith(body + "\n\u2014 portal.example.gob.mx/bitacora ")

    assert "Sin checkpoint nuevo" in seal()  # nothing new: the same tree head is not signed again
    AccessEventFactory()
    seal()
    assert list(Checkpoint.objects.order_by("id").values_list("tree_size", flat=True)) == [size, size + 1]
    assert "íntegra" in run("audit_verify")


def test_public_key_command_and_well_known_url_agree(client, logged):
    vkey = run("audit_public_key").strip()
    verifier = Verifier.parse(vkey)
    assert vkey.startswith("portal.example.gob.mx/bitacora+")
    open_checkpoint(Checkpoint.objects.get().note, [verifier])
    response = client.get("/.well-known/bitacora-key")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == vkey + "\n"


def test_proofs_printed_by_audit_prove_verify(logged):
    first = Checkpoint.objects.get()
    for _ in range(3):
        AccessEventFactory()
    seal()
    second = Checkpoint.objects.latest("id")
    hashes = [bytes(h) for h in MerkleLeaf.objects.order_by("index").values_list("leaf_hash", flat=True)]

    def proof(*args):
        return [base64.b64decode(line) for line in run("audit_prove", *args).split()]

    for index in (0, first.tree_size - 1, second.tree_size - 1):
        path = proof("--leaf", str(index), "--size", str(second.tree_size))
        assert merkle.verify_inclusion(index, second.tree_size, hashes[index], path, bytes(second.root_hash))
    consistency = proof("--from", str(first.tree_size), "--size", str(second.tree_size))
    assert merkle.verify_consistency(
        first.tree_size, second.tree_size, bytes(first.root_hash), bytes(second.root_hash), consistency
    )
    with pytest.raises(CommandError, match="no hay árbol"):
        run("audit_prove", "--leaf", "0", "--size", str(second.tree_size + 1))


def test_leaves_and_checkpoints_are_append_only(logged):
    for sql in ("UPDATE audit_merkleleaf SET row_id = row_id + 1", "DELETE FROM audit_checkpoint"):
        with pytest.raises(DatabaseError, match="solo admite inserciones"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql)


def test_offline_verifier_passes_then_names_the_changed_row(tmp_path, logged):
    code, output = verify_offline(tmp_path)
    assert code == 0, output
    assert "firmado por portal.example.gob.mx/bitacora" in output and "dan la raíz firmada" in output

    target = logged[2]
    leaf = MerkleLeaf.objects.get(table="audit_accessevent", row_id=target.pk)
    as_owner("UPDATE audit_accessevent SET path = '/otra/' WHERE id = %s", [target.pk])

    code, output = verify_offline(tmp_path)
    assert code == 1, output
    assert f"FALLA: hoja {leaf.index} (tabla audit_accessevent, fila {target.pk})" in output
    code, output = verify_offline(tmp_path, hashes=False)
    assert code == 1 and "NO dan la raíz firmada" in output
    assert f"RUPTURA: hoja {leaf.index} (tabla audit_accessevent, fila {target.pk}): fila modificada" in breaks()


def test_rewritten_history_fails_the_consistency_proof_against_an_old_checkpoint(tmp_path, logged):
    old = Checkpoint.objects.get()
    for _ in range(2):
        AccessEventFactory()
    seal()
    honest = run("audit_prove", "--from", str(old.tree_size), "--size", str(Checkpoint.objects.latest("id").tree_size))
    code, output = verify_offline(tmp_path, old=old.note, proof=honest)
    assert code == 0, output
    assert f"extiende el checkpoint anterior de {old.tree_size} hojas" in output

    # The database owner, holding the signing key too, removes a row and rebuilds the tree.
    as_owner("DELETE FROM audit_accessevent WHERE id = %s", [logged[1].pk])
    for table in ("audit_checkpoint", "audit_merkleleaf"):
        as_owner(f"DELETE FROM {table}", table=table)  # noqa: S608
    for _ in range(3):
        AccessEventFactory()
    seal()
    rebuilt = Checkpoint.objects.get()
    assert rebuilt.tree_size > old.tree_size
    code, output = verify_offline(tmp_path)
    assert code == 0, output  # on its own, the rewritten log looks whole...
    proof = run("audit_prove", "--from", str(old.tree_size), "--size", str(rebuilt.tree_size))
    code, output = verify_offline(tmp_path, old=old.note, proof=proof)
    assert code == 1, output  # ...but not against the checkpoint an auditor kept
    assert f"FALLA: la prueba de consistencia falla: el árbol de {rebuilt.tree_size} hojas no extiende" in output


def test_verify_names_deleted_rows_rows_behind_the_tree_and_altered_checkpoints(logged):
    leaf = MerkleLeaf.objects.get(table="audit_accessevent", row_id=logged[0].pk)
    AccessEventFactory(id=logged[0].pk + 1000)
    seal()
    assert "íntegra" in run("audit_verify")
    # Sealing locks the table, so every lower id has committed by then: a row that shows up later
    # with an id the tree already passed was written around the portal (an explicit id).
    AccessEventFactory(id=logged[0].pk + 700)  # behind the tree: inserted with an id it passed
    as_owner("DELETE FROM audit_accessevent WHERE id = %s", [logged[0].pk])
    assert f"hoja {leaf.index} (tabla audit_accessevent, fila {logged[0].pk}): fila borrada" in breaks()

    as_owner(
        "UPDATE audit_checkpoint SET note = replace(note, 'bitacora', 'bitacorа')",  # Cyrillic а
        table="audit_checkpoint",
    )
    text = breaks()
    assert "ninguna firma del checkpoint es válida" in text
    assert f"fila {logged[0].pk + 700}: fila insertada detrás del árbol" in text


def test_rotated_keys_keep_old_checkpoints_verifiable(settings, logged):
    old_vkey = run("audit_public_key").strip()
    settings.AUDIT_CHECKPOINT_KEY = OTHER_SEED
    AccessEventFactory()
    seal()
    assert Checkpoint.objects.values("key_id").distinct().count() == 2
    with pytest.raises(CommandError, match="ninguna firma del checkpoint es válida"):
        run("audit_verify")
    settings.AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS = [old_vkey]
    assert "íntegra" in run("audit_verify")
    published = run("audit_public_key").split()
    assert published[1] == old_vkey and published[0] != old_vkey
    # The same tree head is signed again when the key changes, so the newest checkpoint is the new key's.
    settings.AUDIT_CHECKPOINT_KEY = SEED
    seal()
    assert Checkpoint.objects.latest("id").tree_size == Checkpoint.objects.order_by("-id")[1].tree_size


def test_signing_key_is_required_outside_debug_and_generated_for_the_demo(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_KEY = ""
    settings.AUDIT_CHECKPOINT_DEMO_KEY_FILE = None  # as settings.py leaves it when DEBUG is off
    errors = checks.checkpoint_key_configured(None)
    assert [e.id for e in errors] == ["audit.E001"] and "AUDIT_CHECKPOINT_KEY" in errors[0].msg
    AccessEventFactory()
    with pytest.raises(Exception, match="AUDIT_CHECKPOINT_KEY"):
        seal()
    assert not MerkleLeaf.objects.exists()

    settings.AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "falta.key")
    assert checks.checkpoint_key_configured(None)[0].id == "audit.E001"
    (tmp_path / "llave.key").write_text(OTHER_SEED + "\n")
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(tmp_path / "llave.key")
    assert checks.checkpoint_key_configured(None) == []

    settings.AUDIT_CHECKPOINT_KEY_FILE = ""
    settings.AUDIT_CHECKPOINT_DEMO_KEY_FILE = str(tmp_path / "var" / "demo.key")
    first = run("audit_public_key")
    assert (tmp_path / "var" / "demo.key").stat().st_mode & 0o777 == 0o600
    assert run("audit_public_key") == first  # made once, then reused


def test_bad_old_public_key_fails_the_deploy_check(settings):
    settings.AUDIT_CHECKPOINT_OLD_PUBLIC_KEYS = ["no-es-una-llave"]
    assert checks.checkpoint_key_configured(None)[0].id == "audit.E001"


def test_daily_mail_sends_the_latest_checkpoint_to_history_log_readers(logged):
    readers = Group.objects.create(name="Lectores de bitácora")
    readers.permissions.add(Permission.objects.get(codename="view_history_log", content_type__app_label="audit"))
    reader = UserFactory(email="auditora@example.gob.mx")
    reader.groups.add(readers)
    UserFactory(email="otra@example.gob.mx")  # without the permission
    UserFactory(email="suspendida@example.gob.mx", status="suspended").groups.add(readers)
    mail.outbox.clear()
    assert mail_checkpoint.delay().get() == 1
    assert [m.to for m in mail.outbox] == [["auditora@example.gob.mx"]]
    assert Checkpoint.objects.get().note in mail.outbox[0].body
    assert run("audit_public_key").strip() in mail.outbox[0].body


def test_export_of_every_checkpoint(logged):
    AccessEventFactory()
    seal()
    import json

    records = [json.loads(line) for line in run("audit_checkpoint", "--all").splitlines()]
    assert [r["note"] for r in records] == list(Checkpoint.objects.order_by("tree_size").values_list("note", flat=True))
    first_size = records[0]["tree_size"]
    assert run("audit_checkpoint", "--size", str(first_size)) == records[0]["note"]


def test_leaves_of_an_unknown_size_are_refused(logged):
    with pytest.raises(CommandError):
        run("audit_leaves", "--size", str(MerkleLeaf.objects.count() + 1))
    with pytest.raises(NoteError):
        Verifier.parse("x+00+AA==")
