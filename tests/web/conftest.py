from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.fixture
def login(city, client: Client) -> Callable[[str], Client]:
    """login("operator_a") → the test client signed in as that user of the `city` fixture."""

    def _login(role: str) -> Client:
        client.force_login(city.users[role])
        return client

    return _login


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
