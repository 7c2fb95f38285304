"""The history log as exported rows: one shape for the auditor's CSV download and for
``manage.py audit_export`` (CSV or JSON lines)."""

import csv
import datetime as dt

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
        yield writer.writerow(values)


def json_record(row) -> dict:
    return dict(zip(HEADER, row_values(row), strict=True))
