import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    """The status column becomes a django-fsm-2 FSMField: the same varchar column, so the database is
    left alone (state only); the transitions are declared on the model."""

    dependencies = [
        ("notifications", "0001_outbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="status",
                    field=django_fsm.FSMField(
                        choices=[
                            ("pending", "Pendiente"),
                            ("sending", "En envío"),
                            ("sent", "Enviada"),
                            ("failed", "Fallida"),
                        ],
                        default="pending",
                        max_length=10,
                        verbose_name="estado",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
