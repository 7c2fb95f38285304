from django.db import migrations

from kernel.search import trigram_index_operation


class Migration(migrations.Migration):
    """Accent-insensitive search of agreements and institutions served by trigram indexes on
    PostgreSQL (kernel.search). The fields are the models' SEARCH_FIELDS, in the same order.
    Nothing on SQLite."""

    dependencies = [
        ("agreements", "0007_institution_immediate_suspensions"),
    ]

    operations = [
        trigram_index_operation("agreements", "Agreement", ("folio", "title"), "agreements_agreement_search_trgm"),
        trigram_index_operation(
            "agreements", "Institution", ("acronym", "legal_name"), "agreements_institution_search_trgm"
        ),
    ]
