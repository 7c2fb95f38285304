"""Helpers the agreements views share: paging, form errors, confirmations, CSV responses."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from audit.export import csv_safe_row
from kernel import web

# Paging is the kernel's (one page size and one query-string rule for every list).
PAGE_SIZE = web.PAGE_SIZE
_page = web.page
_query_without_page = web.query_without_page


def _errors_to_form(form, error):
    for message in error.messages:
        form.add_error(None, message)


# --- Agreements ------------------------------------------------------------------------------


def _confirm_then(request, agreement, *, run, done, title, question, danger=False):
    """GET asks ``question``; POST runs the service (``run()``) and returns to the agreement.

    A refusal of the service (ValidationError) is shown as an error message, the success as ``done``.
    """
    if request.method == "POST":
        try:
            run()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done)
        return redirect("agreements:detail", agreement_pk=agreement.pk)
    context = {"title": title, "question": question, "cancel_url": agreement.get_absolute_url(), "danger": danger}
    return render(request, "agreements/confirm.html", context)


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(csv_safe_row(row) for row in rows)
    return response
