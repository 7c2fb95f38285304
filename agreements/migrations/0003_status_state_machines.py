import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    """The status columns become django-fsm-2 FSMFields: the same varchar columns, so the database is
    left alone (state only); the transitions are declared on the models."""

    dependencies = [
        ("agreements", "0002_agreements_officers_signatories_memberships"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agreement",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("draft", "Borrador"),
                            ("in_force", "Vigente"),
                            ("expired", "Vencido"),
                            ("terminated", "Terminado anticipadamente"),
                            ("rescinded", "Rescindido"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalagreement",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("draft", "Borrador"),
                            ("in_force", "Vigente"),
                            ("expired", "Vencido"),
                            ("terminated", "Terminado anticipadamente"),
                            ("rescinded", "Rescindido"),
                        ],
                        default="draft",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalmembership",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("requested", "Solicitada"),
                            ("accepted", "Aceptada"),
                            ("denied", "Negada"),
                            ("leaving", "Baja voluntaria programada"),
                            ("terminating", "Terminación notificada"),
                            ("ended", "Concluida"),
                        ],
                        default="requested",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalsignatory",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("submitted", "Enviada a la Comisión"),
                            ("registered", "Registrada"),
                            ("rejected", "Rechazada"),
                            ("revoked", "Revocada"),
                        ],
                        default="submitted",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalterminationnotice",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("pending", "En plazo"),
                            ("answered", "Respondida"),
                            ("final", "Definitiva"),
                            ("withdrawn", "Retirada"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("requested", "Solicitada"),
                            ("accepted", "Aceptada"),
                            ("denied", "Negada"),
                            ("leaving", "Baja voluntaria programada"),
                            ("terminating", "Terminación notificada"),
                            ("ended", "Concluida"),
                        ],
                        default="requested",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="signatory",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("submitted", "Enviada a la Comisión"),
                            ("registered", "Registrada"),
                            ("rejected", "Rechazada"),
                            ("revoked", "Revocada"),
                        ],
                        default="submitted",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
                migrations.AlterField(
                    model_name="terminationnotice",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("pending", "En plazo"),
                            ("answered", "Respondida"),
                            ("final", "Definitiva"),
                            ("withdrawn", "Retirada"),
                        ],
                        default="pending",
                        max_length=20,
                        verbose_name="estado",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
