"""An approved back-dated KGB yields rapel: the months since its TMT that were already paid at the old MKG."""

from __future__ import annotations

import datetime as dt

from pamong.kgb.services import kgb_decree_approve, kgb_drafts_create
from pamong.payroll.models import RunState
from tests.payroll.test_rapel_run import MONTHS, NOV, paid_months


def test_approved_back_dated_kgb_is_paid_by_the_next_rapel_run(pay):
    paid_months(pay)  # August–October 2026 paid (gaji and TPP approved) at MKG 8
    staff = pay.city.staff
    admin = pay.city.users["admin"]
    (d,) = kgb_drafts_create(actor=admin, employee_ids=[staff.pk], today=dt.date(2026, 11, 5))
    assert d.tmt == dt.date(2025, 3, 1)  # II/c: MKG 9 reached in March 2025, never decreed
    kgb_decree_approve(actor=admin, decree_id=d.pk, today=dt.date(2026, 11, 5))

    run = pay.compute("rapel", period=NOV)
    assert run.state == RunState.COMPUTED and run.errors_total == 0
    (slip,) = run.payslips.all()
    months = slip.facts["rapel_bulan"]
    assert list(months) == [f"{m:%Y-%m}" for m in MONTHS]  # the paid months since the TMT
    assert months["2026-08"]["dibayar"] == {"golongan": "II/c", "mkg_years": 8}
    assert months["2026-08"]["seharusnya"] == {"golongan": "II/c", "mkg_years": 9}
    # PP 5/2024 II/c: MKG 7 column 2.645.000 → MKG 9 column 2.728.300, three months
    assert slip.lines["gaji_pokok"] == 3 * (2728300 - 2645000)
