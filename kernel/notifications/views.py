from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kernel import access, web

from . import selectors, services
from .models import Notification

PAGE_SIZE = 20


def _posted_id(request):
    """The notification named in the form (ids travel in the POST body: a person's rows are
    not addressable by URL)."""
    try:
        return int(request.POST.get("notificacion", ""))
    except ValueError:
        raise Http404 from None


INBOX_SORTS = web.Sortable({"fecha": ("created_at",)}, default="-fecha")
OUTBOX_SORTS = web.Sortable(
    {
        "creado": ("created_at",),
        "destinatario": ("to_address",),
        "asunto": ("subject",),
        "intentos": ("attempts",),
    },
    default="-creado",
)


def _page(request, rows):
    return web.page(request, rows, PAGE_SIZE)


@access.signed_in
def inbox(request):
    """The signed-in user's in-app notifications."""
    rows, sorting = web.sort(request, selectors.inbox(user=request.user), INBOX_SORTS)
    return render(
        request,
        "notifications/inbox.html",
        {"page": _page(request, rows), "query": web.query_without_page(request), "sorting": sorting},
    )


@access.signed_in
@require_POST
def mark_read(request):
    try:
        notification = selectors.inbox_item(user=request.user, pk=_posted_id(request))
    except Notification.DoesNotExist:
        raise Http404 from None
    services.notification_mark_read(notification=notification, actor=request.user)
    return redirect("notifications:inbox")


@access.signed_in
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        message = ngettext(
            "Se marcó %(count)s notificación como leída.", "Se marcaron %(count)s notificaciones como leídas.", count
        )
        messages.success(request, message % {"count": count})
    return redirect("notifications:inbox")


@access.permission("notifications.manage_outbox")
def outbox(request):
    """E-mails of the whole platform by status; failed ones first, with a resend button."""
    status = request.GET.get("estado", Notification.Status.FAILED)
    if status not in Notification.Status.values:
        status = Notification.Status.FAILED
    rows, sorting = web.sort(request, selectors.outbox(user=request.user, status=status), OUTBOX_SORTS)
    return render(
        request,
        "notifications/outbox.html",
        {
            "page": _page(request, rows),
            "status": status,
            "statuses": Notification.Status.choices,
            "query": web.query_without_page(request),  # no "estado" means the failed ones, as here
            "sorting": sorting,
        },
    )


@access.permission("notifications.manage_outbox")
@require_POST
def resend(request):
    try:
        notification = selectors.outbox(user=request.user).get(pk=_posted_id(request))
    except Notification.DoesNotExist:
        raise Http404 from None
    try:
        services.notification_resend(notification=notification, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("El correo quedó en cola para enviarse de nuevo."))
    return redirect("notifications:outbox")
