"""Reads on institutions and agreements, always scoped to what the asking user may see."""

from .models import Institution


def institution_list(*, user):
    return Institution.objects.visible_to(user)
