"""The appeal pages: who may open what (self, pejabat penilai, atasan, other OPD, assessor, operator, admin,
inspectorate), which form each party sees, and the follow-up page for BKPSDM."""

from __future__ import annotations

import pytest
from django.test import Client

from pamong.performance import appeals as svc
from pamong.performance.models import AppealState

from .appeal_setup import filed, final_periodic


def client_for(perf, key):
    c = Client()
    c.force_login(perf.users[key])
    return c


@pytest.fixture
def ev(perf):
    perf.chain()
    return final_periodic(perf)


DETAIL = {"staff": 200, "kabid": 200, "head": 200, "admin": 200, "inspector": 200, "other": 404, "assessor": 404,
          "operator_a": 404, "staff2": 404, "treasurer_a": 404, "bpkad": 404}  # fmt: skip


@pytest.mark.parametrize("who,status", DETAIL.items())
def test_who_may_open_an_appeal(perf, ev, who, status):
    a = filed(perf, ev)
    r = client_for(perf, who).get(f"/kinerja/keberatan/{a.pk}/")
    assert r.status_code == status
    if status == 200:
        assert "Target sudah tercapai penuh." in r.content.decode()


def test_an_assigned_assessor_does_not_see_their_ratees_appeal(perf):
    perf.chain()
    ev = final_periodic(perf, "staff2")
    a = filed(perf, ev, "staff2")
    assert client_for(perf, "assessor").get(f"/kinerja/keberatan/{a.pk}/").status_code == 404


@pytest.mark.parametrize("who,status", {"staff": 200, "kabid": 403, "head": 403, "admin": 403, "other": 404,
                                        "assessor": 404}.items())  # fmt: skip
def test_the_filing_page_is_the_employees(perf, ev, who, status):
    r = client_for(perf, who).get(f"/kinerja/keberatan/ajukan/{ev.pk}/")
    assert r.status_code == status
    if status == 200:
        body = r.content.decode()
        assert "paling lambat" in body and 'name="reasons"' in body and "Kepala A" in body


def test_filing_through_the_page(perf, ev):
    c = client_for(perf, "staff")
    r = c.post(f"/kinerja/keberatan/ajukan/{ev.pk}/", {"reasons": ""})
    assert r.status_code == 200 and "wajib diisi" in r.content.decode()
    r = c.post(f"/kinerja/keberatan/ajukan/{ev.pk}/", {"reasons": "Capaian saya di atas target."})
    a = ev.appeals.get()
    assert r.status_code == 302 and r["Location"] == f"/kinerja/keberatan/{a.pk}/"
    r = c.get(f"/kinerja/keberatan/ajukan/{ev.pk}/")
    assert "sedang diproses" in r.content.decode() and 'name="reasons"' not in r.content.decode()


def _forms(perf, who, pk):
    body = client_for(perf, who).get(f"/kinerja/keberatan/{pk}/").content.decode()
    return {name for name in ("minta-penjelasan", "penjelasan/", "putus", "tarik") if f"/{pk}/{name}" in body}


def test_each_form_is_shown_to_its_party_only(perf, ev):
    a = filed(perf, ev)
    assert _forms(perf, "head", a.pk) == {"minta-penjelasan"}
    assert _forms(perf, "staff", a.pk) == {"tarik"}
    assert _forms(perf, "kabid", a.pk) == set()
    assert _forms(perf, "admin", a.pk) == set() and _forms(perf, "inspector", a.pk) == set()
    svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    assert _forms(perf, "head", a.pk) == {"putus"}
    assert _forms(perf, "staff", a.pk) == {"penjelasan/", "tarik"}
    assert _forms(perf, "kabid", a.pk) == {"penjelasan/"}
    svc.appeal_statement(actor=perf.users["kabid"], appeal_id=a.pk, text="Penjelasan penilai.")
    assert _forms(perf, "kabid", a.pk) == set()
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    for who in ("head", "staff", "kabid"):
        assert _forms(perf, who, a.pk) == set()


def test_actions_through_the_pages(perf, ev):
    a = filed(perf, ev)
    base = f"/kinerja/keberatan/{a.pk}"
    assert client_for(perf, "kabid").post(f"{base}/minta-penjelasan/").status_code == 403
    assert client_for(perf, "inspector").post(f"{base}/minta-penjelasan/").status_code == 403
    assert client_for(perf, "other").post(f"{base}/minta-penjelasan/").status_code == 404
    head = client_for(perf, "head")
    assert head.post(f"{base}/minta-penjelasan/").status_code == 302
    assert client_for(perf, "staff").post(f"{base}/penjelasan/", {"text": "Penjelasan saya."}).status_code == 302
    r = head.post(f"{base}/putus/", {"outcome": "changed", "reason": ""}, follow=True)
    assert "wajib diisi" in r.content.decode()
    r = head.post(f"{base}/putus/", {"outcome": "changed", "new_hasil": "di_atas", "new_perilaku": "di_atas",
                                     "reason": "Bukti lengkap."}, follow=True)  # fmt: skip
    a.refresh_from_db()
    assert a.state == AppealState.CHANGED
    body = client_for(perf, "staff").get(f"{base}/").content.decode()
    assert "Sangat Baik" in body and "Bukti lengkap." in body and "bersifat final" in body


def test_the_list_per_role(perf, ev):
    import datetime as dt

    a = filed(perf, ev)
    assert f"/kinerja/keberatan/{a.pk}/" in client_for(perf, "head").get("/kinerja/keberatan/").content.decode()
    body = client_for(perf, "head").get("/kinerja/keberatan/").content.decode()
    assert 'id="appeals-to-decide"' in body
    assert 'id="appeals-as-penilai"' in client_for(perf, "kabid").get("/kinerja/keberatan/").content.decode()
    svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    body = client_for(perf, "head").get("/kinerja/keberatan/").content.decode()
    assert 'id="appeals-decided"' in body and 'id="appeals-to-decide"' not in body
    assert 'id="my-appeals"' in client_for(perf, "staff").get("/kinerja/keberatan/").content.decode()
    for who in ("admin", "inspector"):
        assert 'id="all-appeals"' in client_for(perf, who).get("/kinerja/keberatan/").content.decode()
    body = client_for(perf, "other").get("/kinerja/keberatan/").content.decode()
    assert f"/kinerja/keberatan/{a.pk}/" not in body
    from pamong.performance.models import Appeal

    late = filed(perf, final_periodic(perf, month=dt.date(2026, 10, 1)))
    Appeal.objects.filter(pk=late.pk).update(decide_by=dt.date(2020, 1, 1))  # long overdue
    body = client_for(perf, "admin").get("/kinerja/keberatan/").content.decode()
    assert 'class="overdue"' in body and "lewat batas" in body


def test_the_employee_sees_what_they_may_still_appeal(perf, ev):
    body = client_for(perf, "staff").get("/kinerja/keberatan/").content.decode()
    assert f"/kinerja/keberatan/ajukan/{ev.pk}/" in body


@pytest.mark.parametrize("who,status", {"admin": 200, "inspector": 200, "staff": 404, "head": 404, "bpkad": 404,
                                        "operator_a": 404}.items())  # fmt: skip
def test_the_follow_up_page(perf, who, status):
    r = client_for(perf, who).get("/kinerja/keberatan/tindak-lanjut/")
    assert r.status_code == status
    if who == "inspector":
        assert r.status_code == 200 and "Usulkan penghargaan" not in r.content.decode()


def test_proposing_awards_through_the_follow_up_page(perf):
    from pamong.payroll.models import Award

    from .appeal_setup import finalise_year

    perf.chain()
    finalise_year(perf, {"staff": ("di_atas", "di_atas")})
    form = {"period": "2027-01", "decree_number": "800/1/BKPSDM", "decree_date": "2026-12-20"}
    url = "/kinerja/keberatan/tindak-lanjut/?tahun=2026"
    assert client_for(perf, "inspector").post(url, form).status_code == 403  # reads, never proposes
    body = client_for(perf, "admin").post(url, {**form, "decree_date": ""}, follow=True).content.decode()
    assert "tanggal keputusan" in body and not Award.objects.exists()
    r = client_for(perf, "admin").post(url, form, follow=True)
    assert "1 usulan penghargaan dibuat" in r.content.decode()
    assert Award.objects.get().employee_id == perf.city.staff.pk
    r = client_for(perf, "admin").post(url, form, follow=True)
    assert "0 usulan penghargaan dibuat" in r.content.decode() and Award.objects.count() == 1
