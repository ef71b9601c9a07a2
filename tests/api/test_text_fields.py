"""PATCH refuses control characters and formula-like names with the one 422 shape, naming the field."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Budi\nEVIL"), ("bank_account_name", "-1"), ("address", "a\x00"), ("phone", "0812\r\n")],
)
def test_api_patch_refuses_control_characters_with_422(api_as, city, field, value):
    err = assert_error(api_as("operator_a").patch(f"/employees/{city.staff.nip}", {field: value}), 422)
    assert err["details"][0]["field"] == field
    city.staff.refresh_from_db()
    assert getattr(city.staff, field) != value
