import pytest


@pytest.fixture(autouse=True)
def _private(private_media):
    return private_media
