"""Payroll's own text entries (awards, other deductions, imported sanctions) refuse control characters like every
text field (core/text.py); a creditor's name, which heads its transfer file, may not start like a formula."""

from __future__ import annotations

import pytest

from pamong.people.imports import import_file
from tests.payroll.conftest import PERIOD
from tests.payroll.test_inputs import SANCTIONS, sanction_row
from tests.people.test_import_helpers import errors_of, to_csv


def test_awards_and_deductions_refuse_control_characters_and_formula_creditors(pay):
    from pamong.core.errors import ValidationFailed
    from pamong.payroll.adjustments import award_create, deduction_create

    city = pay.city
    with pytest.raises(ValidationFailed, match="Uraian berisi karakter kendali"):
        award_create(pay.treasurer_a, employee=city.staff, period=PERIOD, amount=1, decree_number="KEP/1",
                     decree_date=PERIOD, description="Juara\r\nEVIL")  # fmt: skip
    common = {"kind": "koperasi", "amount": 1000, "start": PERIOD}
    with pytest.raises(ValidationFailed, match="Penerima tidak boleh diawali"):
        deduction_create(pay.treasurer_a, employee=city.staff, creditor="=HYPERLINK(1)", reference="SK/1", **common)
    with pytest.raises(ValidationFailed, match="Nomor perjanjian/surat kuasa berisi karakter kendali"):
        deduction_create(pay.treasurer_a, employee=city.staff, creditor="Koperasi", reference="SK\n1", **common)


def test_sanction_import_refuses_a_line_break_in_the_sk_number(city):
    content = to_csv([sanction_row(city.staff, NOMOR_SK="800/1\r\n2,EVIL")], columns=SANCTIONS)
    report = import_file(
        actor=city.users["admin"], kind="sanctions", filename="hukuman.csv", content=content, dry_run=True
    )
    assert [(row, col) for row, col, _value in errors_of(report)] == [(2, "NOMOR_SK")]
    assert "nomor SK berisi karakter kendali" in report.errors[0].message
