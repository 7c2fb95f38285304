"""Technical admin (superusers only, see portal.admin). Staff use the portal's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models

for model in (
    models.Institution,
    models.NonWorkingDay,
    models.Agreement,
    models.AgreementParty,
    models.Document,
    models.TerminationNotice,
    models.Amendment,
    models.Obligation,
    models.ComplianceRecord,
    models.LinkOfficer,
    models.Signatory,
    models.Membership,
    models.MemberNotice,
):
    if not admin.site.is_registered(model):
        admin.site.register(model, SimpleHistoryAdmin)
