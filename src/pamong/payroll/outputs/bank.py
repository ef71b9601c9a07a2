"""Bank transfer files (docs/bank-file.md): one CSV per bank of the payslips' snapshot (Bank Nagari first), each
with a control-total trailer, and one CSV of the rows that cannot be transferred and why. Amounts are integer
rupiah without separators; an account number is text (leading zeros kept).

Every record is one line whatever the stored text holds (a name stored with CR/LF before validation refused it, or
written around the services): text is flattened to one line. In a transfer file a leading `=`, `+`, `-`, `@` is
dropped (the bank matches the holder's name by its letters; a quote would become part of it); in the files people
open in a spreadsheet (rejected rows, creditors) it is kept behind a `'` (the OWASP CSV-injection rule)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from pamong.core.errors import TransitionRefused
from pamong.core.text import fixed_field, flatten, looks_like_formula
from pamong.org.models import Unit

from ..labels import KIND_SHORT
from ..models import PayrollRun, Payslip

FIRST_BANK = "Bank Nagari"  # the city's regional bank (Bank Pembangunan Daerah Sumatera Barat)
HEADER = ("no", "nomor_rekening", "nama_pemilik_rekening", "jumlah", "nip", "keterangan")
REJECTED_HEADER = ("no", "nip", "nama", "bank", "nomor_rekening", "jumlah", "alasan")
CREDITOR_HEADER = ("no", "nip", "nama", "jenis", "nomor_perjanjian", "jumlah", "keterangan")
ACCOUNT_RE = re.compile(r"^[0-9]{6,20}$")


@dataclass(frozen=True)
class BankFile:
    filename: str
    content: bytes
    rows: int  # detail rows (for the rejected file: rejected employees)
    total: int  # control total: the sum of the detail rows' amounts
    rejected: bool = False
    creditor: bool = False  # a transfer of other deductions to their creditor, not net pay


def reject_reason(bank: dict[str, Any], bersih: int, name: str | None = None) -> str | None:
    """Why a payslip cannot go into a transfer file, or None. With the employee's `name`, also a missing holder."""
    if bersih <= 0:
        return "jumlah dibayar nol atau negatif"
    if not (bank.get("nama") or "").strip():
        return "bank tidak diisi"
    account = (bank.get("rekening") or "").strip()
    if not account:
        return "nomor rekening tidak diisi"
    if not ACCOUNT_RE.match(account):
        return "nomor rekening tidak sah (harus 6–20 angka, tanpa spasi atau tanda baca)"
    if name is not None and not holder_name(bank, name):
        return "nama pemilik rekening kosong"
    return None


def holder_name(bank: dict[str, Any], name: str) -> str:
    """The account holder's name as the transfer file writes it; the employee's name when none is given."""
    return fixed_field(bank.get("atas_nama") or "") or fixed_field(name)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper() or "TANPA-NAMA"


def _bank_order(name: str) -> tuple[int, str]:
    return (0 if name.casefold() == FIRST_BANK.casefold() else 1, name.casefold())


def _sheet_text(value: Any) -> str:
    text = flatten(value)
    return "'" + text if looks_like_formula(text) else text


def _csv(rows: list[tuple[Any, ...]], *, for_bank: bool = False) -> bytes:
    """RFC 4180 with CRLF; numbers as they are, text one line and never starting like a formula."""
    safe = fixed_field if for_bank else _sheet_text
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows(tuple(safe(v) if isinstance(v, str) else v for v in row) for row in rows)
    return buf.getvalue().encode("utf-8")


def payslips_for(run: PayrollRun, opd: Unit | None = None) -> QuerySet[Payslip]:
    qs = Payslip.objects.filter(run=run)
    if opd is not None:
        qs = qs.filter(opd=opd)
    return qs.order_by("opd_id", "employee_id")


def bank_files(run: PayrollRun, opd: Unit | None = None) -> list[BankFile]:
    """The transfer files of a run (or of one OPD of it): one per bank, then the rejected rows if any. Only an
    approved (or paid/closed) run is paid: its payslips can no longer change under the file."""
    if not run.frozen:
        raise TransitionRefused("File bank hanya dibuat untuk proses penggajian yang sudah disetujui")
    kind = KIND_SHORT.get(run.kind, run.kind.upper())
    keterangan = f"{kind} {run.period:%m/%Y}"
    stem = f"{kind}_{run.period:%Y-%m}" + (f"_OPD-{opd.pk}" if opd is not None else "")
    by_bank: dict[str, list[tuple[str, str, int, str]]] = {}
    rejected: list[tuple[Any, ...]] = []
    for facts, bersih in payslips_for(run, opd).values_list("facts", "bersih").iterator(chunk_size=2000):
        bank = facts.get("bank") or {}
        reason = reject_reason(bank, int(bersih), facts.get("nama", ""))
        if reason is not None:
            rejected.append((facts.get("nip", ""), facts.get("nama", ""), bank.get("nama") or "",
                             bank.get("rekening") or "", int(bersih), reason))  # fmt: skip
            continue
        holder = holder_name(bank, facts.get("nama", ""))
        by_bank.setdefault(flatten(bank["nama"]), []).append((bank["rekening"].strip(), holder, int(bersih),
                                                             facts.get("nip", "")))  # fmt: skip
    files: list[BankFile] = []
    for name in sorted(by_bank, key=_bank_order):
        rows = by_bank[name]
        total = sum(r[2] for r in rows)
        body: list[tuple[Any, ...]] = [HEADER]
        body += [(i, acc, holder, amount, nip, keterangan) for i, (acc, holder, amount, nip) in enumerate(rows, 1)]
        body.append(("TOTAL", len(rows), "", total, "", keterangan))
        files.append(BankFile(f"{stem}_{_slug(name)}.csv", _csv(body, for_bank=True), len(rows), total))
    if rejected:
        total = sum(r[4] for r in rejected)
        body = [REJECTED_HEADER, *[(i, *r) for i, r in enumerate(rejected, 1)]]
        files.append(BankFile(f"{stem}_DITOLAK.csv", _csv(body), len(rejected), total, rejected=True))
    return files


def creditor_files(run: PayrollRun, opd: Unit | None = None) -> list[BankFile]:
    """What the run took from net pay for each creditor (zakat to BAZNAS, koperasi, bank instalments): one CSV per
    creditor with a control total, so the treasurer transfers exactly what the payslips say was deducted."""
    if not run.frozen:
        raise TransitionRefused("Berkas potongan hanya dibuat untuk proses penggajian yang sudah disetujui")
    kind = KIND_SHORT.get(run.kind, run.kind.upper())
    keterangan = f"{kind} {run.period:%m/%Y}"
    stem = f"POTONGAN_{kind}_{run.period:%Y-%m}" + (f"_OPD-{opd.pk}" if opd is not None else "")
    by_creditor: dict[str, list[tuple[str, str, str, str, int]]] = {}
    for facts in payslips_for(run, opd).filter(lines__has_key="potongan_lain").values_list("facts", flat=True):
        for d in facts.get("potongan_lain", []):
            if d["taken"] > 0:
                by_creditor.setdefault(d["creditor"], []).append(
                    (facts.get("nip", ""), facts.get("nama", ""), d["kind"], d["reference"], int(d["taken"]))
                )
    files = []
    for creditor in sorted(by_creditor, key=str.casefold):
        rows = by_creditor[creditor]
        total = sum(r[4] for r in rows)
        body: list[tuple[Any, ...]] = [CREDITOR_HEADER, *[(i, *r, keterangan) for i, r in enumerate(rows, 1)]]
        body.append(("TOTAL", len(rows), "", "", "", total, keterangan))
        files.append(BankFile(f"{stem}_{_slug(creditor)}.csv", _csv(body), len(rows), total, creditor=True))
    return files
