from pamong.org.selectors import units_for_choice
from tests import factories as f


def test_filters_offer_the_opd_level_plus_the_selected_unit(city):
    seksi = f.unit("Seksi A1.1", parent=city.bidang_a, kind="seksi")
    admin = city.users["admin"]
    assert set(units_for_choice(admin)) == {city.opd_a, city.opd_b}
    assert set(units_for_choice(admin, selected=str(seksi.pk))) == {city.opd_a, city.opd_b, seksi}
    assert set(units_for_choice(admin, selected="bukan-angka")) == {city.opd_a, city.opd_b}


def test_a_scoped_operator_is_offered_their_unit_and_the_level_below_only(city):
    f.unit("Seksi A1.1", parent=city.bidang_a, kind="seksi")
    assert set(units_for_choice(city.users["operator_a"])) == {city.opd_a, city.bidang_a}
