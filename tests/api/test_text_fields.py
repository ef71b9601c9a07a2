"""The API refuses control characters and formula-like names with the one 422 shape, naming the field: the schema's
pattern (documented in OpenAPI) refuses them first, and the service refuses them too (tests/people)."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_error


def field_of(detail: dict) -> str:
    return detail.get("field") or detail["loc"][-1]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Budi\nEVIL"), ("bank_account_name", "-1"), ("address", "a\x00"), ("phone", "0812\r\n"), ("name", " ")],
)
def test_api_patch_refuses_control_characters_with_422(api_as, city, field, value):
    err = assert_error(api_as("operator_a").patch(f"/employees/{city.staff.nip}", {field: value}), 422)
    assert field_of(err["details"][0]) == field
    city.staff.refresh_from_db()
    assert getattr(city.staff, field) != value


def test_api_create_refuses_a_line_break_in_a_name(api_as, city):
    from tests.api.conftest import create_payload

    body = create_payload(city.staff_pos, name="Budi\r\n1,2,3", bank_account_name="=1+1")
    err = assert_error(api_as("admin").post("/employees", body), 422)
    assert {field_of(d) for d in err["details"]} == {"name", "bank_account_name"}


def test_service_refuses_what_the_schema_would_let_through(city):
    """A format character above U+FFFF is not in the schema's pattern (kept portable), but the service refuses it."""
    from pamong.core.errors import ValidationFailed
    from pamong.people.services import employee_update_contact

    with pytest.raises(ValidationFailed):
        employee_update_contact(actor=None, employee=city.staff, name="Budi\U000e0001")
