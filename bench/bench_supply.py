"""Data supply benchmark: the delivery validator over 1,000,000 records, beside frictionless-py.

Generates a file in the annex's 10-field layout (about 120 MB; invented people, computed RFCs) in a
temporary folder, then validates it twice, each in its own process so that wall time and peak
memory are the process's own:

- the portal: ``manage.py delivery_validate FILE --format json`` (the validator the Celery worker
  runs: streamed, RFC check digits, catalogs, dates, duplicate keys);
- frictionless-py with an equivalent Table Schema (what a data team would otherwise use): the same
  fields, required flags and maximum lengths, the catalogs as ``enum``, the dates as ``%d/%m/%Y``,
  the RFC as a pattern (frictionless cannot check its digit) and the key as the primary key.

Peak memory is the child's maximum resident set (VmHWM, read as it exits) minus the same program's on a
one-record file (its baseline: Python, Django or frictionless loaded). Targets (printed, not
asserted): the portal within 60 s and 256 MB above its baseline, and not slower than frictionless.

``BENCH_SUPPLY_RECORDS`` changes the size (1,000,000 by default). Run alone:
``make bench PYTEST_ARGS="-k supply"``.
"""

import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

RECORDS = int(os.environ.get("BENCH_SUPPLY_RECORDS", "1000000"))
ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS, TARGET_MB = 60, 256

# Longer names than the tests' samples (compound given names and surnames, as a register holds),
# so that a row weighs about 120 bytes like the annex's example.
SECOND_GIVEN = ["GUADALUPE", "FERNANDA", "ALEJANDRO", "DEL CARMEN", "FRANCISCO", "ESPERANZA", "ANTONIO"]
LONG_SURNAMES = [
    "GONZÁLEZ DE LA FUENTE",
    "FERNÁNDEZ DEL CASTILLO",
    "MONTES DE OCA",
    "RODRÍGUEZ",
    "VILLASEÑOR",
    "HERNÁNDEZ",
    "SÁNCHEZ DE TAGLE",
]


def write_register(path: Path, records: int, *, seed: int = 7) -> None:
    """``records`` valid rows of the annex's layout, written a block at a time."""
    from supply import samples

    rng = random.Random(seed)
    with open(path, "wb") as handle:
        block = []
        for i in range(1, records + 1):
            row = samples.good_row(i, rng)
            row[3] = f"{row[3]} {rng.choice(SECOND_GIVEN)}"
            row[4] = f"{row[4]} {rng.choice(LONG_SURNAMES)}"
            row[5] = f"{row[5]} {rng.choice(LONG_SURNAMES)}"
            block.append("|".join(row))
            if len(block) == 10000:
                handle.write(("\n".join(block) + "\n").encode())
                block = []
        if block:
            handle.write(("\n".join(block) + "\n").encode())


def table_schema() -> dict:
    """The annex's layout as a frictionless Table Schema (built from the portal's own layout)."""
    from supply import samples, validation

    catalogs = {
        validation.MEDICAL_UNITS: list(samples.MEDICAL_UNITS),
        validation.BENEFICIARY_TYPES: list(samples.BENEFICIARY_TYPES),
    }
    fields = []
    for spec in validation.DEFAULT_LAYOUT.fields:
        constraints: dict = {"required": spec.required}
        if spec.max_length:
            constraints["maxLength"] = spec.max_length
        if spec.kind == validation.DATE:
            fields.append({"name": spec.name, "type": "date", "format": "%d/%m/%Y", "constraints": constraints})
            continue
        if spec.kind == validation.CATALOG:
            constraints["enum"] = catalogs[spec.catalog]
        if spec.kind == validation.RFC:
            constraints["pattern"] = "[A-ZÑ&]{3,4}[0-9]{6}[A-Z0-9]{3}"
        fields.append({"name": spec.name, "type": "string", "constraints": constraints})
    key = validation.DEFAULT_LAYOUT.fields[validation.DEFAULT_LAYOUT.key_field].name
    return {"fields": fields, "primaryKey": [key]}


# Runs a script (manage.py, or this file) as __main__ and, on exit, writes the process's peak
# resident set (VmHWM, in KB) to the file named first. A fork's or vfork's rusage would not do:
# Linux counts the parent's resident set (pytest's) into the child's maximum at exec.
PEAK_LAUNCHER = """
import atexit, runpy, sys
peak_file, script = sys.argv[1], sys.argv[2]
def _peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(_peak)
sys.argv = sys.argv[2:]
runpy.run_path(script, run_name="__main__")
"""


CPU_SECONDS: list[float] = []  # each child's user + system time, in the order they ran


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(args: list[str], env: dict, out_dir: Path) -> tuple[float, int, str]:
    """(wall seconds, peak resident KB, stdout) of the script ``args[0]`` in its own process.

    Its CPU time goes to CPU_SECONDS: on a shared machine, wall time also counts the waits for a core.
    """
    peak = out_dir / "peak.txt"
    cpu = _cpu_of_children()
    start = time.perf_counter()
    command = [sys.executable, "-c", PEAK_LAUNCHER, str(peak), *args]
    child = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    elapsed = time.perf_counter() - start
    CPU_SECONDS.append(_cpu_of_children() - cpu)
    assert child.returncode == 0, child.stderr[-2000:]
    return elapsed, int(peak.read_text()), child.stdout


def _portal(path: Path) -> tuple[float, int, dict]:
    env = {**os.environ, "DEBUG": "True", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    manage = str(ROOT / "manage.py")
    elapsed, peak, out = _run([manage, "delivery_validate", str(path), "--format", "json"], env, path.parent)
    return elapsed, peak, json.loads(out)


def _frictionless(path: Path, schema: Path) -> tuple[float, int, dict]:
    elapsed, peak, out = _run([__file__, "frictionless", str(path), str(schema)], dict(os.environ), path.parent)
    return elapsed, peak, json.loads(out)


def _frictionless_child(path: str, schema_path: str) -> None:
    """Run in the child: frictionless-py validates ``path`` against the Table Schema."""
    from frictionless import Dialect, Resource, Schema, formats

    schema = Schema.from_descriptor(json.loads(Path(schema_path).read_text()))
    resource = Resource(
        path=os.path.basename(path),
        basepath=os.path.dirname(os.path.abspath(path)),
        format="csv",
        encoding="utf-8",
        schema=schema,
        dialect=Dialect(header=False, controls=[formats.CsvControl(delimiter="|")]),
    )
    report = resource.validate(limit_errors=10**9)
    stats = report.tasks[0].stats
    print(json.dumps({"valid": report.valid, "rows": stats.get("rows", 0), "errors": stats["errors"]}))


def bench_supply_validation(tmp_path):
    big, tiny = tmp_path / "padron.txt", tmp_path / "uno.txt"
    started = time.perf_counter()
    write_register(big, RECORDS)
    write_register(tiny, 1)
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(table_schema()))
    size = big.stat().st_size
    took = time.perf_counter() - started
    print(f"\nEntrega de datos: {RECORDS:,} registros, {size / 1e6:.1f} MB, generados en {took:.1f} s")

    load = os.getloadavg()[0]
    portal_start, portal_base, _ = _portal(tiny)
    portal_s, portal_peak, portal = _portal(big)
    fl_start, fl_base, _ = _frictionless(tiny, schema)
    fl_s, fl_peak, fl = _frictionless(big, schema)
    portal_cpu, fl_cpu = CPU_SECONDS[1], CPU_SECONDS[3]

    assert portal["records"] == RECORDS and portal["valid"] == RECORDS, portal
    assert fl["rows"] == RECORDS and fl["valid"], fl
    # Throughput without the program's start (Django's, frictionless's): the one-record run's time.
    portal_rate = RECORDS / max(portal_s - portal_start, 1e-3)
    fl_rate = RECORDS / max(fl_s - fl_start, 1e-3)
    portal_mb, fl_mb = (portal_peak - portal_base) / 1024, (fl_peak - fl_base) / 1024
    rows = [
        ("", "portal", "frictionless"),
        ("tiempo total (s)", f"{portal_s:.1f}", f"{fl_s:.1f}"),
        ("tiempo de CPU (s)", f"{portal_cpu:.1f}", f"{fl_cpu:.1f}"),
        ("arranque del programa (s)", f"{portal_start:.1f}", f"{fl_start:.1f}"),
        ("registros/s (sin arranque)", f"{portal_rate:,.0f}", f"{fl_rate:,.0f}"),
        ("memoria pico sobre base (MB)", f"{portal_mb:.0f}", f"{fl_mb:.0f}"),
        ("memoria base (MB)", f"{portal_base / 1024:.0f}", f"{fl_base / 1024:.0f}"),
    ]
    for label, a, b in rows:
        print(f"  {label:<30}{a:>14}{b:>16}")
    cpu_ratio = (fl_cpu - CPU_SECONDS[2]) / max(portal_cpu - CPU_SECONDS[0], 1e-3)  # without the start
    print(f"  portal / frictionless: {portal_rate / fl_rate:.2f}x en registros/s, {cpu_ratio:.2f}x en tiempo de CPU")
    print(f"  carga de la máquina al empezar (1 min): {load:.1f} en {os.cpu_count()} núcleos")
    print(
        f"  objetivos: <= {TARGET_SECONDS} s: {'sí' if portal_s <= TARGET_SECONDS else 'NO'}; "
        f"<= {TARGET_MB} MB sobre base: {'sí' if portal_mb <= TARGET_MB else 'NO'}; "
        f"no más lento que frictionless: {'sí' if portal_rate >= fl_rate else 'NO'}"
    )


if __name__ == "__main__" and sys.argv[1:2] == ["frictionless"]:
    _frictionless_child(sys.argv[2], sys.argv[3])
