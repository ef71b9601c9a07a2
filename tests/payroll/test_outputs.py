"""Payroll outputs from an approved run of the small test city: payslip PDF (text checked in the PDF itself), the
register and recap workbooks, the bank files with their control totals and rejected rows, the contributions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zlib

import openpyxl
import pytest

from pamong.core.formats import rupiah, terbilang
from pamong.payroll.labels import LINE_LABELS, SLIP_ORDER, slip_sections
from pamong.payroll.models import PayrollRun, Payslip, RunState
from pamong.payroll.outputs import bank, contributions, pdf, register
from pamong.people.models import Employee
from tests.payroll.conftest import PERIOD


def pdf_text(data: bytes) -> str:
    """Text of a WeasyPrint PDF, good enough for assertions (no PDF library in the environment): inflate the
    streams, object streams included, map each font's glyph codes through its ToUnicode CMap, join text runs."""
    objects: dict[int, bytes] = {}
    for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        body = m.group(2)
        objects[int(m.group(1))] = body
        s = re.search(rb"stream\r?\n(.*)endstream", body, re.S)
        if s and b"/FlateDecode" in body.split(b"stream")[0]:
            raw = zlib.decompress(s.group(1))
            objects[int(m.group(1))] = body.split(b"stream")[0] + b"stream\n" + raw
            if b"/ObjStm" in body:
                first = int(re.search(rb"/First (\d+)", body).group(1))  # type: ignore[union-attr]
                nums = [int(x) for x in raw[:first].split()]
                offsets = list(zip(nums[::2], nums[1::2], strict=True))
                for i, (num, off) in enumerate(offsets):
                    end = offsets[i + 1][1] if i + 1 < len(offsets) else len(raw) - first
                    objects[num] = raw[first + off : first + end]

    def stream(num: int) -> bytes:
        return objects[num].split(b"stream\n", 1)[1]

    cmaps: dict[bytes, dict[str, str]] = {}
    for body in list(objects.values()):
        for name, ref in re.findall(rb"/([A-Za-z0-9+_.-]+) (\d+) 0 R", body):
            tu = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(ref), b""))
            if tu is None:
                continue
            cmap: dict[str, str] = {}
            text = stream(int(tu.group(1)))
            for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
                for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    cmap[src.decode().lower()] = bytes.fromhex(dst.decode()).decode("utf-16-be")
            for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
                for lo, hi, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    width, start = len(lo), int(dst, 16)
                    for k, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                        cmap[format(code, f"0{width}x")] = chr(start + k)
            cmaps[name] = cmap
    runs: list[str] = []
    for body in objects.values():
        if b"stream\n" not in body or b" Tf" not in body:
            continue
        for bt in re.findall(rb"BT(.*?)ET", body.split(b"stream\n", 1)[1], re.S):
            font: dict[str, str] = {}
            parts: list[str] = []
            for tok in re.finditer(rb"/([A-Za-z0-9+_.-]+) [\d.]+ Tf|<([0-9a-fA-F]*)>", bt):
                if tok.group(1):
                    font = cmaps.get(tok.group(1), {})
                    continue
                hexs = tok.group(2).decode().lower()
                width = len(next(iter(font))) if font else 4
                parts += [font.get(hexs[i : i + width], "?") for i in range(0, len(hexs), width)]
            runs.append("".join(parts))
    return " ".join(" ".join(runs).split())


def squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def approved(pay) -> dict[str, PayrollRun]:
    """Approved gaji and TPP runs for November 2026; "Pegawai Dinas B" has no bank account."""
    Employee.objects.filter(pk=pay.city.other.pk).update(bank_name="", bank_account_number="")
    Employee.objects.filter(pk=pay.city.staff2.pk).update(bank_name="BRI", bank_account_number="0012345678")
    gaji = pay.approve(pay.compute("gaji"))
    tpp = pay.approve(pay.compute("tpp"))
    assert gaji.state == tpp.state == RunState.APPROVED
    return {"gaji": gaji, "tpp": tpp}


# --- labels ---------------------------------------------------------------------------------------------------


def test_every_line_the_runs_store_has_a_label_and_a_place(approved):
    codes = {c for p in Payslip.objects.all() for c in p.lines}
    assert codes <= set(LINE_LABELS) and codes <= set(SLIP_ORDER)


def test_slip_sections_add_up_to_the_payslip_totals(approved):
    for p in Payslip.objects.all():
        s = slip_sections(p, include_zero=True)
        t = s["totals"]
        assert t["penghasilan"] + t["pengurang"] == p.bruto
        assert sum(a for _, _, a in s["potongan"]) == p.potongan
        assert p.bruto - p.potongan + t["pembulatan"] == p.bersih


# --- payslip PDF ------------------------------------------------------------------------------------------------


def test_payslip_pdf_shows_net_pay_its_words_and_the_verification_code(approved):
    slip = approved["gaji"].payslips.select_related("run", "opd").get(employee__name="Kepala A")
    data = pdf.payslip_pdf(slip)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "PEMERINTAH KOTA SAWAHLUNTO" in text and "Slip Gaji" in text and "November 2026" in text
    assert slip.facts["nip"] in text and "Kepala A" in text and "Dinas A" in text
    assert re.fullmatch(r"Rp\d{1,3}(\.\d{3})+", rupiah(slip.bersih))
    assert rupiah(slip.bersih) in text
    assert squash(terbilang(slip.bersih)) in squash(text.lower())
    assert slip.code in text and f"/verifikasi/{slip.code}/" in text
    assert rupiah(slip.lines["gaji_pokok"]) in text and "Gaji pokok" in text


def test_tpp_slip_pdf_has_its_title_and_lines(approved):
    slip = approved["tpp"].payslips.select_related("run", "opd").get(employee__name="Staf Satu")
    text = pdf_text(pdf.payslip_pdf(slip))
    assert "Slip Tambahan Penghasilan Pegawai (TPP)" in text
    assert "TPP kinerja" in text and rupiah(slip.lines["tpp_kinerja"]) in text
    assert rupiah(slip.bersih) in text


def test_public_url_setting_is_used_for_the_qr_and_link(approved, settings):
    settings.PAMONG_PUBLIC_URL = "https://pamong.sawahluntokota.go.id/"
    slip = approved["gaji"].payslips.select_related("run", "opd").first()
    html = pdf.render_html([slip])
    assert f"https://pamong.sawahluntokota.go.id/verifikasi/{slip.code}/" in html
    assert "<svg" in html and "<path" in html


def test_many_payslips_one_page_each(approved):
    slips = approved["gaji"].payslips.all()
    data = pdf.payslips_pdf(slips)
    text = pdf_text(data)
    for p in slips:
        assert p.code in text
    assert len(re.findall(r"Kode verifikasi", text)) == slips.count()


def test_pdf_refuses_external_fetches():
    fetcher = pdf.make_fetcher()
    for url in ("https://example.com/font.woff2", "file:///etc/passwd"):
        with pytest.raises(pdf.ExternalFetchRefused):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,abc").read() == b"abc"


# --- register and recap ------------------------------------------------------------------------------------------


def _sheet_rows(data: bytes, sheet: int = 0) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    return list(wb.worksheets[sheet].iter_rows(values_only=True))


def test_register_totals_equal_the_payslips(approved):
    run, opd = approved["gaji"], approved["gaji"].payslips.first().opd
    slips = list(run.payslips.filter(opd=opd))
    rows = _sheet_rows(register.register_xlsx(run, opd))
    header = next(r for r in rows if r and r[0] == "No")
    total = next(r for r in rows if r and isinstance(r[1], str) and r[1].startswith("Jumlah ("))
    col = {name: i for i, name in enumerate(header)}
    assert total[col["Dibayar"]] == sum(p.bersih for p in slips)
    assert total[col["Penghasilan kotor"]] == sum(p.bruto for p in slips)
    assert total[col["Jumlah potongan"]] == sum(p.potongan for p in slips)
    assert total[col["Gaji pokok"]] == sum(p.lines["gaji_pokok"] for p in slips)
    body = [r for r in rows[rows.index(header) + 1 : rows.index(total)]]
    assert len(body) == len(slips)
    assert {r[col["NIP"]] for r in body} == {p.facts["nip"] for p in slips}  # NIP kept as text, all 18 digits
    flat = [c for r in rows for c in r if isinstance(c, str)]
    assert "Kepala OPD" in flat and "Bendahara Pengeluaran" in flat


# the register PDF: tests/payroll/test_register_pdf.py


def test_recap_per_opd_and_per_account_add_up(approved):
    run = approved["gaji"]
    data = register.recap_xlsx(run)
    rows = _sheet_rows(data, 0)
    total = next(r for r in rows if r and r[1] == "Jumlah")
    header = next(r for r in rows if r and r[0] == "No")
    col = {name: i for i, name in enumerate(header)}
    assert total[col["Dibayar"]] == sum(p.bersih for p in run.payslips.all())
    assert total[col["Jumlah pegawai"]] == run.payslips.count()
    accounts = _sheet_rows(data, 1)
    spend = sum(
        sum(v for c, v in p.lines.items() if c not in ("iuran_taspen", "iuran_bpjs_kesehatan", "pph21"))
        for p in run.payslips.all()
    )
    assert next(r for r in accounts if r[1] == "Jumlah")[2] == spend
    by_code = {r[0]: r[2] for r in accounts if r[0]}
    pppk = run.payslips.get(employee=approved["gaji"].payslips.get(facts__status="PPPK").employee)
    assert by_code["5.1.01.01.01.0002"] == pppk.lines["gaji_pokok"]  # Belanja Gaji Pokok PPPK


# --- bank files --------------------------------------------------------------------------------------------------


def _csv(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def test_bank_files_control_total_equals_net_pay_and_rejects_the_missing_account(approved):
    run = approved["gaji"]
    files = bank.bank_files(run)
    transfer = [f for f in files if not f.rejected]
    (rejected,) = [f for f in files if f.rejected]
    assert [f.filename for f in transfer] == ["GAJI_2026-11_BANK-NAGARI.csv", "GAJI_2026-11_BRI.csv"]
    other = run.payslips.get(employee__name="Pegawai Dinas B")
    paid = run.payslips.exclude(pk=other.pk)
    assert sum(f.total for f in transfer) == sum(p.bersih for p in paid)
    assert sum(f.rows for f in transfer) == paid.count()
    for f in transfer:
        rows = _csv(f.content)
        assert rows[0] == list(bank.HEADER)
        details, trailer = rows[1:-1], rows[-1]
        assert trailer[0] == "TOTAL" and int(trailer[1]) == len(details) == f.rows
        assert int(trailer[3]) == sum(int(r[3]) for r in details) == f.total
        assert all(r[5] == "GAJI 11/2026" for r in details)
    bri = _csv(transfer[1].content)
    assert bri[1][1] == "0012345678"  # account number kept as text, leading zeros included
    rej = _csv(rejected.content)
    assert rej[0] == list(bank.REJECTED_HEADER)
    assert len(rej) == 2 and rej[1][1] == other.facts["nip"] and rej[1][6] == "bank tidak diisi"
    assert rejected.total == other.bersih and rejected.rows == 1


def test_bank_files_for_one_opd(approved):
    run, opd = approved["tpp"], approved["tpp"].payslips.get(employee__name="Kepala A").opd
    files = bank.bank_files(run, opd)
    assert all("_OPD-" in f.filename and not f.rejected for f in files)
    assert sum(f.total for f in files) == sum(p.bersih for p in run.payslips.filter(opd=opd))


@pytest.mark.parametrize(
    ("account", "bersih", "reason"),
    [
        ("", 100, "nomor rekening tidak diisi"),
        ("12-34", 100, "nomor rekening tidak sah"),
        ("12345", 100, "nomor rekening tidak sah"),
        ("1234567890", 0, "jumlah dibayar nol"),
        ("1234567890", 100, None),
    ],
)
def test_reject_reasons(account, bersih, reason):
    got = bank.reject_reason({"nama": "Bank Nagari", "rekening": account}, bersih)
    assert got == reason or (reason is not None and got is not None and got.startswith(reason))


# --- contributions -----------------------------------------------------------------------------------------------


def test_contributions_sum_the_months_approved_runs(approved, pay):
    data = contributions.contributions(PERIOD)
    slips = Payslip.objects.filter(period=PERIOD)

    def total(code: str, kinds: tuple[str, ...] = ("gaji", "tpp")) -> int:
        return sum(p.lines.get(code, 0) for p in slips if p.kind in kinds)

    def col(key: str) -> int:
        return sum(v.get(key, 0) for v in data.values())

    assert col("taspen") == total("iuran_taspen") > 0
    assert col("bpjs_gaji") == total("iuran_bpjs_kesehatan", ("gaji",))
    assert col("bpjs_tpp") == total("iuran_bpjs_kesehatan", ("tpp",))
    assert col("bpjs_pemberi_kerja") == total("pemberi_kerja_bpjs_kesehatan")
    assert col("jkk") == total("pemberi_kerja_jkk") and col("jkm") == total("pemberi_kerja_jkm")
    assert col("pph21") == total("pph21") and col("tunjangan_pph") == total("tunjangan_pph")
    assert data["Dinas B"]["_pegawai"] == 1 and data["Dinas A"]["_pegawai"] == 4
    rows = _sheet_rows(contributions.contributions_xlsx(PERIOD))
    assert next(r for r in rows if r and r[1] == "Jumlah")[3] == total("iuran_taspen")


def test_contributions_leave_out_runs_not_yet_approved(pay):
    pay.compute("gaji")  # computed, not approved
    assert contributions.contributions(PERIOD) == {}
    assert contributions.contributions(dt.date(2026, 10, 1)) == {}


def test_no_bank_file_before_approval(pay):
    from pamong.core.errors import TransitionRefused

    run = pay.compute("gaji")
    with pytest.raises(TransitionRefused, match="sudah disetujui"):
        bank.bank_files(run)
