"""The portal's password hasher."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    """Argon2id with the parameters OWASP's Password Storage Cheat Sheet recommends as its first
    choice: 19 MiB of memory, 2 passes, 1 lane.

    Argon2id resists GPU cracking better than PBKDF2 and costs about 30 ms a check on this
    hardware instead of PBKDF2's 300+ ms, so twenty people signing in at once no longer wait
    seconds. Django's own Argon2 defaults (100 MiB, 8 lanes) would take 100 MiB per concurrent
    sign-in. Passwords hashed earlier with PBKDF2 still verify and are rehashed with these
    parameters at the next successful sign-in (Django upgrades hashes itself).
    """

    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
