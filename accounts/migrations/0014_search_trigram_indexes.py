from django.db import migrations

from kernel.search import trigram_index_operation


class Migration(migrations.Migration):
    """Accent-insensitive search of people and account requests served by trigram indexes on
    PostgreSQL (kernel.search): "jose perez" finds "José Pérez" among 50,000 accounts without
    reading them all. The fields are the models' SEARCH_FIELDS, in the same order. Nothing on SQLite."""

    dependencies = [
        ("accounts", "0013_passkeys_recovery_codes_profile_second_factor"),
    ]

    operations = [
        trigram_index_operation(
            "accounts",
            "User",
            ("username", "given_names", "paternal_surname", "maternal_surname", "email"),
            "accounts_user_search_trgm",
        ),
        trigram_index_operation(
            "accounts",
            "AccountRequest",
            ("folio", "given_names", "paternal_surname", "maternal_surname", "curp", "email"),
            "accounts_request_search_trgm",
        ),
    ]
