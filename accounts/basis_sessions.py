"""Open sessions end with the institution's basis of access, before the daily job runs (issue 15).

Sign-in is refused from the effective date (``lockout._basis_refusal``); a person already signed
in would keep browsing until ``accounts.basis_enforce`` suspends the account and ends its
sessions. This middleware closes that gap: on the first request from the effective date the
session ends, the sign-in page says why (the sign-in refusal's own words) and the history log
records it (``session_ended_no_basis``).

The standing is derived from several tables, so it is cached per institution and day for
``BASIS_CACHE_SECONDS`` in the process's cache: most requests cost no query. A write that may
change an institution's standing (agreements, parties, termination notices, memberships,
immediate suspensions) forgets the cached answer for the institutions involved, so a change made
in this process counts at once; other processes follow within the cache's lifetime.
"""

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementParty, InstitutionSuspension, Membership, TerminationNotice

BASIS_CACHE_SECONDS = 60
_OK = "ok"


def _key(institution_id, day=None) -> str:
    day = day or timezone.localdate()
    return f"accounts:basis-standing:{institution_id}:{day:%Y%m%d}"


def cached_basis_refusal(user):
    """``(reason, cause)`` when ``user``'s institution has no basis of access today, else None."""
    if user.institution_id is None:
        return None
    key = _key(user.institution_id)
    value = cache.get(key)
    if value is None:
        from .lockout import _basis_refusal

        refusal = _basis_refusal(user)
        value = _OK if refusal is None else (refusal.reason, refusal.cause)
        cache.set(key, value, BASIS_CACHE_SECONDS)
    return None if value == _OK else tuple(value)


def forget_standing(institution_ids) -> None:
    """Drop today's cached standing of these institutions (their basis may have changed)."""
    cache.delete_many([_key(pk) for pk in set(institution_ids) if pk])


class BasisSessionMiddleware:
    """Ends a signed-in session whose institution lost its basis of access today.

    Runs after the session-lifetime middleware and before Django's LoginRequiredMiddleware, which
    then sends the visitor to the sign-in page, where the message says why.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.status in user.LIVE_STATUSES:
            refused = cached_basis_refusal(user)
            if refused is not None:
                self._end(request, user, *refused)
        return self.get_response(request)

    def _end(self, request, user, reason, cause):
        from .lockout import LoginRefused, refusal_message
        from .sessions import end_current_session

        end_current_session(
            request, user=user, action="session_ended_no_basis", detail={"cause": cause, "reason": reason}
        )
        text = refusal_message(LoginRefused(LoginRefused.NO_BASIS, reason=reason, cause=cause))
        messages.error(request, _("Su sesión terminó. %(message)s") % {"message": text})


def _institutions_of_agreement(agreement_id) -> list[int]:
    return list(AgreementParty.objects.filter(agreement_id=agreement_id).values_list("institution_id", flat=True))


def _on_change(sender, instance, **kwargs):
    if isinstance(instance, Agreement):
        ids = _institutions_of_agreement(instance.pk)
    elif isinstance(instance, TerminationNotice):
        ids = _institutions_of_agreement(instance.agreement_id)
    else:  # AgreementParty, Membership, InstitutionSuspension
        ids = [instance.institution_id]
    forget_standing(ids)
    # Again once committed: a request that read the old rows meanwhile may have cached them.
    transaction.on_commit(lambda: forget_standing(ids))


for _model in (Agreement, AgreementParty, TerminationNotice, Membership, InstitutionSuspension):
    post_save.connect(_on_change, sender=_model, dispatch_uid=f"accounts_basis_standing_{_model.__name__}")
    post_delete.connect(_on_change, sender=_model, dispatch_uid=f"accounts_basis_standing_delete_{_model.__name__}")
