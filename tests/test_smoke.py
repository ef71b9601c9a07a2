from pamong.audit.services import verify_chain
from pamong.people.selectors import employees_visible_to


def test_city_fixture_builds_and_chain_verifies(city):
    assert employees_visible_to(city.users["admin"]).count() == 5
    assert verify_chain().ok
