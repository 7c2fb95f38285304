"""The history log as exported rows: one shape for the auditor's CSV download and for
``manage.py audit_export`` (CSV or JSON lines)."""

import csv
import datetime as dt
import itertools
import logging

logger = logging.getLogger(__name__)

# The last line of a stream that failed half-way, before the connection is aborted: a reader of
# the partial file sees it was cut, and so does a program (the chunked transfer never ends).
INCOMPLETE_MARK = "# EXPORTACIÓN INCOMPLETA: ocurrió un error; este archivo no contiene todos los registros.\n"

HEADER = [
    "timestamp_utc",
    "username",
    "institution",
    "kind",
    "action",
    "object_type",
    "object_id",
    "path",
    "ip",
    "status",
    "detail",
]

# A spreadsheet takes a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell value a spreadsheet shows as text: a leading quote before a would-be formula.

    Every CSV the portal writes passes its cells through here (the history log's exports here,
    the agreements' and signatories' lists through ``csv_safe_row``).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_safe_row(values) -> list:
    return [csv_safe(value) for value in values]


def row_values(row) -> list:
    """A timeline row's values in ``HEADER`` order (a missing HTTP status stays None)."""
    return [
        row.ts.astimezone(dt.UTC).isoformat(),
        row.username,
        row.institution,
        row.kind,
        row.action,
        row.object_type,
        row.object_id,
        row.path,
        row.ip,
        row.status,
        row.detail,
    ]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """The header, then one CSV line per timeline row (a generator, for streaming)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for row in rows:
        values = row_values(row)
        values[HEADER.index("status")] = "" if row.status is None else row.status
        yield writer.writerow(csv_safe_row(values))


def auditor_row_values(shown) -> list:
    """A shown row's values in the order of the auditor's CSV headers."""
    return [
        shown.when,
        shown.who,
        shown.institution,
        shown.kind,
        shown.action,
        shown.object,
        shown.path,
        shown.ip,
        shown.status,
        shown.detail_text,
    ]


def auditor_csv_lines(rows, batch=500):
    """The auditor's CSV (the history log page's download): headers in the reader's language,
    Mexico City times, every value in words (``audit.present``). The machine export for
    operators stays ``csv_lines`` (UTC, stored names)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    from .present import show

    writer = csv.writer(_Echo())
    yield writer.writerow(
        [
            _("Fecha y hora (Ciudad de México)"),
            _("Usuario"),
            _("Institución"),
            _("Tipo"),
            _("Acción"),
            pgettext("history log", "Objeto"),
            _("Ruta"),
            _("IP"),
            _("Estado HTTP"),
            _("Detalle"),
        ]
    )
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, batch)):
        for shown in show(chunk):
            yield writer.writerow(csv_safe_row(auditor_row_values(shown)))


def json_record(row) -> dict:
    return dict(zip(HEADER, row_values(row), strict=True))


def guarded(lines, *, name):
    """Yield ``lines`` of a streamed export; if producing one fails, log it with the count sent,
    send ``INCOMPLETE_MARK`` and raise again so the server aborts the response.

    Once streaming has begun the status line (200) is gone: the only honest ending left is a
    broken transfer, never a file that looks whole.
    """
    sent = 0
    try:
        for line in lines:
            yield line
            sent += 1
    except Exception:
        logger.exception("Export %s failed after %d lines; the response was aborted", name, sent)
        yield INCOMPLETE_MARK
        raise
