"""Text stored before validation refused it (written here with a queryset update, around the services) cannot add
a record to a bank file or a formula to a CSV/XLSX output: one line per transfer, the control total unchanged."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from pamong.org.models import Unit
from pamong.payroll.outputs import bank, contributions, register
from pamong.people.exports import export_register_xlsx
from pamong.people.models import Employee
from pamong.people.selectors import EmployeeFilter
from tests.payroll.conftest import PERIOD

EVIL = "Staf Satu\r\n99,0012345678,EVIL,999999999,198001012000011001,GAJI 11/2026\r\nTOTAL,1,,999999999,,X"
FORMULA = '=HYPERLINK("http://x","klik")\n@SUM(1)'
FORMULA_LEAD = ("=", "+", "-", "@")


@pytest.fixture
def poisoned(pay):
    """Approved gaji run where one employee's name carries CR/LF and a fake transfer, another's account holder a
    formula, a third has no account (rejected) and a formula name; the Dinas A unit name has a line break."""
    city = pay.city
    Employee.objects.filter(pk=city.staff.pk).update(name=EVIL, bank_account_name="")
    Employee.objects.filter(pk=city.staff2.pk).update(
        bank_name="BRI\n", bank_account_number="0012345678", bank_account_name=FORMULA
    )
    Employee.objects.filter(pk=city.other.pk).update(name="-2+3\tEVIL", bank_name="", bank_account_number="")
    Unit.objects.filter(pk=city.opd_a.pk).update(name="+Dinas\r\nA")
    return pay.approve(pay.compute("gaji"))


def _lines(content: bytes) -> list[str]:
    text = content.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
    return text.split("\r\n")[:-1]


def test_one_line_per_transfer_and_the_control_total_unchanged(poisoned):
    run = poisoned
    files = bank.bank_files(run)
    transfer = [f for f in files if not f.rejected]
    paid = run.payslips.exclude(employee__bank_account_number="")
    assert sum(f.total for f in transfer) == sum(p.bersih for p in paid)
    assert sum(f.rows for f in transfer) == paid.count()
    for f in transfer:
        lines = _lines(f.content)
        assert len(lines) == f.rows + 2  # header, one line per transfer, trailer
        assert len(f.content.decode().splitlines()) == f.rows + 2  # whatever a parser takes for a line break
        rows = list(csv.reader(io.StringIO(f.content.decode())))
        details, trailer = rows[1:-1], rows[-1]
        assert [int(r[0]) for r in details] == list(range(1, f.rows + 1))
        assert trailer[0] == "TOTAL" and int(trailer[3]) == sum(int(r[3]) for r in details) == f.total
        assert not any(cell.startswith(FORMULA_LEAD) for r in rows for cell in r if not cell.lstrip("-").isdigit())
    holders = {r[2] for f in transfer for r in list(csv.reader(io.StringIO(f.content.decode())))[1:-1]}
    assert EVIL.replace("\r\n", " ") in holders  # the name is kept, on one line
    assert 'HYPERLINK("http://x","klik") @SUM(1)' in holders  # the formula mark dropped in a transfer file
    assert [f.filename for f in transfer] == ["GAJI_2026-11_BANK-NAGARI.csv", "GAJI_2026-11_BRI.csv"]


def test_rejected_rows_keep_the_name_behind_a_quote(poisoned):
    (rejected,) = [f for f in bank.bank_files(poisoned) if f.rejected]
    lines = _lines(rejected.content)
    assert len(lines) == rejected.rows + 1
    row = next(csv.reader(io.StringIO(lines[1])))
    assert row[2] == "'-2+3 EVIL"


def test_holder_name_that_is_only_formula_marks_is_rejected():
    assert bank.reject_reason({"nama": "BRI", "rekening": "1234567", "atas_nama": "=-"}, 100, "@") == (
        "nama pemilik rekening kosong"
    )


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _assert_safe(data: bytes) -> list[openpyxl.cell.Cell]:
    cells = _cells(data)
    for c in cells:
        assert "\n" not in c.value and "\r" not in c.value and "\t" not in c.value, c.value
        assert c.data_type == "s", (c.coordinate, c.value)
        if c.value.startswith(FORMULA_LEAD):
            assert c.quotePrefix, (c.coordinate, c.value)  # shown as text, stays text when edited
    return cells


def test_register_and_recap_workbooks_are_one_line_text(poisoned):
    opd = poisoned.payslips.get(employee__pk__isnull=False, employee__name=EVIL).opd
    values = [c.value for c in _assert_safe(register.register_xlsx(poisoned, opd))]
    assert EVIL.replace("\r\n", " ") in values
    recap = [c.value for c in _assert_safe(register.recap_xlsx(poisoned))]
    assert "+Dinas A" in recap


def test_contributions_workbook_is_one_line_text(poisoned):
    values = [c.value for c in _assert_safe(contributions.contributions_xlsx(PERIOD))]
    assert "+Dinas A" in values


def test_employee_export_is_one_line_text_with_quote_prefix(poisoned, city):
    data = export_register_xlsx(user=city.users["admin"], f=EmployeeFilter())
    values = [c.value for c in _assert_safe(data)]
    assert "-2+3 EVIL" in values and FORMULA.replace("\n", " ") in values

