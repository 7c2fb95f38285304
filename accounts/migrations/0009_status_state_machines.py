import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    """The status columns become django-fsm-2 FSMFields: the same varchar columns, so the database is
    left alone (state only); the transitions are declared on the models."""

    dependencies = [
        ("accounts", "0008_user_name_order_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="accountchangerequest",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("submitted", "En revisión"),
                            ("returned", "Devuelta para corrección"),
                            ("approved", "Aprobada y aplicada"),
                            ("rejected", "Rechazada"),
                        ],
                        default="submitted",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="accountrequest",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("draft", "Borrador"),
                            ("submitted", "En revisión"),
                            ("returned", "Devuelta para corrección"),
                            ("approved", "Aprobada"),
                            ("rejected", "Rechazada"),
                            ("withdrawn", "Retirada"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="confidentialityletter",
                    name="scan_status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("not_required", "No se requiere"),
                            ("pending_upload", "Pendiente de cargar"),
                            ("pending_review", "Pendiente de validar"),
                            ("valid", "Validada"),
                            ("invalid", "No válida"),
                        ],
                        default="not_required",
                        max_length=20,
                        verbose_name="carta firmada a mano",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalaccountchangerequest",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("submitted", "En revisión"),
                            ("returned", "Devuelta para corrección"),
                            ("approved", "Aprobada y aplicada"),
                            ("rejected", "Rechazada"),
                        ],
                        default="submitted",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalaccountrequest",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("draft", "Borrador"),
                            ("submitted", "En revisión"),
                            ("returned", "Devuelta para corrección"),
                            ("approved", "Aprobada"),
                            ("rejected", "Rechazada"),
                            ("withdrawn", "Retirada"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalconfidentialityletter",
                    name="scan_status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("not_required", "No se requiere"),
                            ("pending_upload", "Pendiente de cargar"),
                            ("pending_review", "Pendiente de validar"),
                            ("valid", "Validada"),
                            ("invalid", "No válida"),
                        ],
                        default="not_required",
                        max_length=20,
                        verbose_name="carta firmada a mano",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaluser",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("pending_letter", "Pendiente de carta de confidencialidad"),
                            ("active", "Activa"),
                            ("suspended", "Suspendida"),
                            ("cancelled", "Cancelada"),
                        ],
                        default="active",
                        max_length=20,
                        verbose_name="estado de la cuenta",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("pending_letter", "Pendiente de carta de confidencialidad"),
                            ("active", "Activa"),
                            ("suspended", "Suspendida"),
                            ("cancelled", "Cancelada"),
                        ],
                        default="active",
                        max_length=20,
                        verbose_name="estado de la cuenta",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
