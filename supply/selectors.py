"""Reads on data supply, always scoped to what the user may see."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from agreements.models import Agreement

from .models import Catalog, Delivery, Evaluation, Layout


def delivery_list(*, user, q: str = "", status: str = "") -> QuerySet[Delivery]:
    """Deliveries ``user`` sees, newest first; the list's view re-sorts by the column chosen."""
    qs = Delivery.objects.visible_to(user).select_related("institution", "agreement", "layout")
    if q:
        qs = qs.filter(
            Q(file_name__icontains=q)
            | Q(institution__acronym__icontains=q)
            | Q(agreement__folio__icontains=q)
            | Q(receipt_folio__icontains=q)
        )
    if status in Delivery.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-received_at", "-id")


def delivery_get(*, user, pk: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.visible_to(user).select_related("institution", "agreement", "layout"), pk=pk
    )


def layout_list(*, user) -> QuerySet[Layout]:
    return Layout.objects.visible_to(user).select_related("agreement").order_by("agreement__folio", "code")


def layout_get(*, user, pk: int) -> Layout:
    return get_object_or_404(Layout.objects.visible_to(user).select_related("agreement"), pk=pk)


def catalog_list(*, user) -> QuerySet[Catalog]:
    return Catalog.objects.visible_to(user).select_related("institution")


def catalog_get(*, user, pk: int) -> Catalog:
    return get_object_or_404(Catalog.objects.visible_to(user).select_related("institution"), pk=pk)


def evaluation_list(*, user, agreement: int | None = None, institution: int | None = None) -> QuerySet[Evaluation]:
    qs = Evaluation.objects.visible_to(user).select_related("institution", "agreement", "delivery")
    if agreement:
        qs = qs.filter(agreement_id=agreement)
    if institution:
        qs = qs.filter(institution_id=institution)
    return qs.order_by("-period_start", "institution__acronym")


def evaluation_get(*, user, pk: int) -> Evaluation:
    return get_object_or_404(Evaluation.objects.visible_to(user).select_related("institution", "agreement"), pk=pk)


def agreements_for_delivery(*, user) -> QuerySet[Agreement]:
    """Agreements the user sees that have a layout (where a delivery can go)."""
    return Agreement.objects.visible_to(user).filter(supply_layouts__isnull=False).distinct()
