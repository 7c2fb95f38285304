"""``__in`` on integer columns drops values no row could hold, like Django's own ``exact``.

Django 5 answers ``pk=<30 digits>`` with an empty result (``IntegerFieldOverflow``), but its
``in`` lookup sends every value to the database: SQLite's driver raises OverflowError on a value
beyond 64 bits, so a forged id in any multiple choice (``ModelMultipleChoiceField``, the admin's
selected rows) was a server error instead of "not one of the available choices". Registered once
on ``IntegerField`` (every auto, big and small integer field inherits it) by ``PortalConfig``.
"""

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [value for value in self.rhs if _fits(value, low, high)]
        return super().process_rhs(compiler, connection)


def _fits(value, low, high) -> bool:
    if not isinstance(value, int):
        return True  # None, expressions: In handles them
    return (low is None or value >= low) and (high is None or value <= high)


def register():
    IntegerField.register_lookup(IntegerFieldIn)
