from django.contrib.auth.hashers import MD5PasswordHasher

ENCODED = []


class CountingHasher(MD5PasswordHasher):
    """Counts how often a password is hashed (checking one hashes it too)."""

    algorithm = "counting_md5"

    def encode(self, password, salt):
        ENCODED.append(1)
        return super().encode(password, salt)
