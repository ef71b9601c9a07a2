import datetime as dt

import pytest

from pamong.people.family import Child, Spouse, age_on, child_qualifies, derive

ON = dt.date(2026, 11, 1)


def child(age_years: int, **kw) -> Child:
    return Child(birth_date=dt.date(ON.year - age_years, 6, 1), **kw)


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(dt.date(2005, 11, 2), ON) == 20
    assert age_on(dt.date(2005, 11, 1), ON) == 21


@pytest.mark.parametrize(
    ("c", "qualifies"),
    [
        (child(20), True),
        (child(21), False),  # 21 and not in school
        (child(21, in_school=True), True),
        (child(24, in_school=True), True),
        (child(25, in_school=True), False),
        (child(10, married=True), False),
        (child(19, working=True), False),
        (Child(dt.date(2010, 1, 1), ended_on=dt.date(2020, 1, 1)), False),  # deceased
    ],
)
def test_child_allowance_eligibility_by_age_school_and_status(c, qualifies):
    assert child_qualifies(c, ON) is qualifies


def test_allowance_pays_at_most_two_children_but_ptkp_counts_three():
    kids = [child(3), child(6), child(9), child(12)]
    facts = derive("L", [Spouse(receives_allowance_here=True, has_income=False)], kids, ON)
    assert facts.children_eligible == 4
    assert facts.children_paid == 2
    assert facts.ptkp == "K/3"
    assert facts.spouse_allowance is True


def test_single_employee_with_no_children_is_tk0():
    facts = derive("P", [], [], ON)
    assert (facts.spouse_allowance, facts.children_paid, facts.ptkp) == (False, 0, "TK/0")


def test_married_woman_whose_husband_earns_is_tk0_for_ptkp():
    facts = derive("P", [Spouse(receives_allowance_here=False, has_income=True)], [child(5)], ON)
    assert facts.ptkp == "TK/0"
    assert facts.spouse_allowance is False
    assert facts.children_paid == 1  # the child allowance does not depend on the PTKP rule


def test_married_woman_whose_husband_has_no_income_files_k():
    facts = derive("P", [Spouse(receives_allowance_here=True, has_income=False)], [child(5), child(30)], ON)
    assert facts.ptkp == "K/1"


def test_pns_spouse_receiving_the_allowance_elsewhere_means_no_spouse_line_here():
    facts = derive("L", [Spouse(receives_allowance_here=False, has_income=True)], [], ON)
    assert facts.spouse_allowance is False
    assert facts.ptkp == "K/0"


def test_divorced_spouse_no_longer_counts():
    facts = derive("L", [Spouse(True, False, ended_on=dt.date(2025, 1, 1))], [child(4)], ON)
    assert facts.spouse_allowance is False
    assert facts.ptkp == "TK/1"
