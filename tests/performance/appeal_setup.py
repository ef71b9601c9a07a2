"""Shared set-up for the appeal tests: a final periodic evaluation of Staf Satu (rated by Kabid A1; atasan
Kepala A) and of Kabid A1 (rated by Kepala A; no atasan: admin BKPSDM decides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pamong.performance import appeals as svc
from pamong.performance.evaluations import evaluation_rate
from pamong.performance.models import Appeal, Evaluation

NOV = dt.date(2026, 11, 1)


def final_periodic(perf: Any, key: str = "staff", month: dt.date = NOV, hasil: str = "sesuai",
                   perilaku: str = "sesuai") -> Evaluation:  # fmt: skip
    emp = getattr(perf.city, key)
    skp = emp.skps.get(year=month.year, state="agreed")
    rater = perf.user_of(skp.penilai_id) if skp.penilai_id else perf.users["admin"]
    return evaluation_rate(actor=rater, employee_id=emp.pk, month=month, hasil=hasil, perilaku=perilaku,
                           finalise=True)  # fmt: skip


def filed(perf: Any, ev: Evaluation, key: str = "staff") -> Appeal:
    return svc.appeal_file(actor=perf.users[key], evaluation_id=ev.pk, reasons="Target sudah tercapai penuh.",
                           today=svc.received_on(ev))  # fmt: skip


def examining(perf: Any, ev: Evaluation, key: str = "staff", atasan: str = "head") -> Appeal:
    a = filed(perf, ev, key)
    return svc.appeal_request_explanations(actor=perf.users[atasan], appeal_id=a.pk)


def finalise_year(perf: Any, ratings: dict[str, tuple[str, str]], year: int = 2026) -> None:
    """Year-end for Bidang A1 (Kabid A1, Staf Satu, Staf Dua): `ratings` key → (hasil, perilaku); the unit head's
    hasil follows the organisation (istimewa → di atas)."""
    from pamong.performance.evaluations import annual_rate, unit_year_finalise, unit_year_set

    admin, bidang = perf.users["admin"], perf.city.bidang_a
    unit_year_set(actor=admin, unit_id=bidang.pk, year=year, organisasi="istimewa", basis="Capaian renstra.")
    for key in ("kabid", "staff", "staff2"):
        hasil, perilaku = ratings.get(key, ("sesuai", "sesuai"))
        rater = perf.users["head"] if key == "kabid" else perf.users["kabid"]
        annual_rate(actor=rater, employee_id=getattr(perf.city, key).pk, year=year, perilaku=perilaku,
                    hasil=None if key == "kabid" else hasil)  # fmt: skip
    unit_year_finalise(actor=admin, unit_id=bidang.pk, year=year, reason="Unit kecil.")
