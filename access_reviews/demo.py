"""Demo access reviews: a closed campaign of IMS (an account cancelled on revocation, one suspended
for no answer, the rest confirmed) and an open campaign of every member with some answers.
Idempotent: a second run finds the campaigns by name and leaves them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Profile, User
from accounts.services import user_create

from . import services
from .models import ReviewCampaign

CLOSED_NAME = "Revisión de accesos IMS (demostración, cerrada)"
OPEN_NAME = "Revisión de accesos semestral (demostración)"

# username, institution key in ctx, given names, surnames, CURP, days since the account was created
EXTRA_USERS = [
    ("inst2.temporal", "member2", "Iván", "Rangel", "Soto", "RASI930415HNLNTV04", 300),
    ("inst2.inactiva", "member2", "Paola", "Medina", "Cano", "MECP910822MNLDNL06", 400),
    ("inst1.becario", "member1", "Luis", "Herrera", "Ochoa", "HEOL980101HNLRCS03", 200),
]


def _extra_users(ctx):
    analyst = Profile.objects.get(code="analyst")
    found = {}
    for number, (username, key, given, paternal, maternal, curp, age) in enumerate(EXTRA_USERS, start=2001):
        user = User.objects.filter(username=username).first()
        if user is None:
            institution = ctx[key]
            user = user_create(
                username=username,
                institution=institution,
                profile=analyst,
                password=settings.DEMO_PASSWORD,
                given_names=given,
                paternal_surname=paternal,
                maternal_surname=maternal,
                curp=curp,
                email=f"{username}@{institution.acronym.lower()}.demo.gob.mx",
                position="Analista de información",
                area="Dirección de Informática",
                public_servant_number=f"SP-{number}",
                date_joined=timezone.now() - timedelta(days=age),
            )
        found[username] = user
    return found


def seed(ctx):
    users = ctx["users"]
    extra = _extra_users(ctx)
    admin = users["comision.admin"]
    today = timezone.localdate()
    if not ReviewCampaign.objects.filter(name=CLOSED_NAME).exists():
        opened = today - timedelta(days=40)
        campaign = services.campaign_open(
            actor=admin,
            name=CLOSED_NAME,
            business_days=10,
            reminder_days=[3],
            institutions=[ctx["member2"]],
            today=opened,
        )
        answer_day = opened + timedelta(days=2)
        services.campaign_remind(campaign=campaign, today=campaign.due_on)
        inst_admin = users["inst2.admin"]
        for item in campaign.items.select_related("user").order_by("pk"):
            if item.user.username == "inst2.temporal":
                services.item_revoke(
                    actor=inst_admin, item=item, reason="Concluyó su comisión en IMS", today=answer_day
                )
            elif item.user.username == "inst2.inactiva":
                continue  # nobody answers: suspended at the close
            else:
                # Nobody confirms their own account: the commission does, as the fallback reviewer.
                reviewer = admin if item.user_id == inst_admin.pk else inst_admin
                services.item_confirm(actor=reviewer, item=item, today=answer_day)
        services.campaign_close(campaign=campaign, today=campaign.due_on + timedelta(days=1))
    if not ReviewCampaign.objects.filter(name=OPEN_NAME).exists():
        campaign = services.campaign_open(actor=admin, name=OPEN_NAME, business_days=10, reminder_days=[5, 2])
        items = {i.user.username: i for i in campaign.items.select_related("user")}
        services.item_confirm(actor=users["inst1.admin"], item=items["inst1.analista"])
        services.item_revoke(
            actor=users["inst1.admin"], item=items["inst1.becario"], reason="Concluyó su servicio social"
        )
    ctx["access_review_users"] = extra
