from django.db import models


class Capability(models.Model):
    """Holds permissions that belong to no single model (no table: ``managed = False``)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("review_requests", "Revisar y resolver solicitudes de cuentas"),
            ("manage_institution", "Administrar su institución"),
            ("view_admin_dashboard", "Ver el tablero de la Comisión"),
        ]

    def __str__(self):
        return "capability"
