"""The SKP state machine × role (performance/skp.py): create (own, another's, admin with an override and its reason),
results and what they may support, submit problems, submit / return / agree by the right and the wrong people,
revisions as new versions superseding the old when agreed, a unit copied from last year with its cascade re-linked,
and every edit refused once submitted."""

from __future__ import annotations

import pytest

from pamong.accounts.models import Role
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from pamong.people.models import Employee
from pamong.performance import selectors
from pamong.performance import skp as svc
from pamong.performance.models import Skp, SkpIndicator, SkpResult, SkpState
from tests import factories as f

from .conftest import YEAR


def _create(perf, key: str, year: int = YEAR) -> Skp:
    return svc.skp_create(actor=perf.users[key], employee_id=getattr(perf.city, key).pk, year=year)


def _fill(perf, skp: Skp, key: str, supports: SkpResult | None = None, pk_reference: str = "") -> SkpResult:
    u = perf.users[key]
    r = svc.skp_result_add(actor=u, skp_id=skp.pk, kind="utama", text="Laporan", pk_reference=pk_reference,
                           supports_id=supports.pk if supports else None)  # fmt: skip
    svc.skp_indicator_add(actor=u, result_id=r.pk, text="Laporan selesai", aspect="kuantitas", target="12",
                          unit_label="laporan")  # fmt: skip
    return r


def _submitted_staff(perf) -> tuple[Skp, dict[str, Skp]]:
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    s = _create(perf, "staff")
    _fill(perf, s, "staff", supports=kabid.results.first())
    svc.skp_submit(actor=perf.users["staff"], skp_id=s.pk)
    s.refresh_from_db()
    return s, {"head": head, "kabid": kabid}


# --- create ----------------------------------------------------------------------------------------------------


def test_create_own_derives_the_chain_with_seven_values_and_is_audited(perf):
    s = _create(perf, "staff")
    assert s.state == SkpState.DRAFT and s.version == 1
    assert (s.penilai_id, s.atasan_penilai_id) == (perf.city.kabid.pk, perf.city.head.pk)
    assert s.position_id == perf.city.staff.position_id and s.unit_id == perf.city.staff.unit_id
    assert s.behaviours.count() == 7 and s.penilai_override_reason == ""
    ev = AuditEvent.objects.get(action="skp.created")
    assert ev.changes["derived"] is True and ev.object_id == str(s.pk)


@pytest.mark.parametrize("key", ["kabid", "operator_a", "inspector", "assessor", "other"])
def test_only_the_employee_or_admin_creates(perf, key):
    with pytest.raises(Forbidden):
        svc.skp_create(actor=perf.users[key], employee_id=perf.city.staff.pk, year=YEAR)
    assert not Skp.objects.exists()


def test_admin_creates_anothers_skp_with_the_derived_chain(perf):
    s = svc.skp_create(actor=perf.users["admin"], employee_id=perf.city.staff.pk, year=YEAR)
    assert s.penilai_id == perf.city.kabid.pk and s.created_by == perf.users["admin"]


def test_admin_override_needs_a_reason(perf):
    admin = perf.users["admin"]
    with pytest.raises(ValidationFailed):
        svc.skp_create(actor=admin, employee_id=perf.city.staff.pk, year=YEAR, penilai_id=perf.city.head.pk)
    assert not Skp.objects.exists()
    s = svc.skp_create(actor=admin, employee_id=perf.city.staff.pk, year=YEAR, penilai_id=perf.city.head.pk,
                       atasan_penilai_id=None, override_reason="Kabid tugas belajar")  # fmt: skip
    assert s.penilai_id == perf.city.head.pk and s.atasan_penilai_id is None
    assert s.penilai_override_reason == "Kabid tugas belajar"
    assert AuditEvent.objects.get(action="skp.created").reason == "Kabid tugas belajar"


def test_an_employee_cannot_override_their_own_chain(perf):
    with pytest.raises(Forbidden):
        svc.skp_create(actor=perf.users["staff"], employee_id=perf.city.staff.pk, year=YEAR,
                       penilai_id=perf.city.head.pk, override_reason="Saya mau")  # fmt: skip


def test_override_to_oneself_or_nobody_is_refused(perf):
    admin = perf.users["admin"]
    with pytest.raises(ValidationFailed):
        svc.skp_create(actor=admin, employee_id=perf.city.staff.pk, year=YEAR, penilai_id=perf.city.staff.pk,
                       override_reason="x")  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.skp_create(actor=admin, employee_id=perf.city.staff.pk, year=YEAR, penilai_id=999999,
                       override_reason="x")  # fmt: skip
    assert not Skp.objects.exists()


def test_a_second_skp_for_the_year_a_bad_year_and_an_inactive_employee_are_refused(perf):
    _create(perf, "staff")
    with pytest.raises(TransitionRefused):
        _create(perf, "staff")
    with pytest.raises(ValidationFailed):
        _create(perf, "staff2", year=2021)
    Employee.objects.filter(pk=perf.city.staff2.pk).update(status="pensiun")
    with pytest.raises(ValidationFailed):
        _create(perf, "staff2")
    with pytest.raises(NotVisible):
        svc.skp_create(actor=perf.users["admin"], employee_id=999999, year=YEAR)
    assert Skp.objects.count() == 1


def test_the_head_is_rated_by_the_wali_kota(perf):
    s = _create(perf, "head")
    assert s.penilai_id is None and s.atasan_penilai_id is None and svc.is_unit_head(s)


# --- results ---------------------------------------------------------------------------------------------------


def test_a_result_supports_only_the_penilais_skp_of_the_same_year(perf):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    last_year_kabid = perf.agreed_skp("kabid", supports=None, year=YEAR - 1)
    s = _create(perf, "staff")
    u = perf.users["staff"]
    for wrong in (head.results.first(), last_year_kabid.results.first()):  # not the penilai / another year
        with pytest.raises(ValidationFailed) as exc:
            svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="X", supports_id=wrong.pk)
        assert exc.value.details == {"field": "supports"}
    with pytest.raises(ValidationFailed):
        svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="X", supports_id=999999)
    assert not SkpResult.objects.filter(skp=s).exists()
    r = svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="X", supports_id=kabid.results.first().pk)
    assert r.supports.skp_id == kabid.pk and r.order == 1


def test_a_superseded_superior_result_cannot_be_supported(perf):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    old_result = kabid.results.first()
    new = svc.skp_revise(actor=perf.users["kabid"], skp_id=kabid.pk, reason="Tugas baru")
    svc.skp_submit(actor=perf.users["kabid"], skp_id=new.pk)
    svc.skp_agree(actor=perf.users["head"], skp_id=new.pk)
    s = _create(perf, "staff")
    with pytest.raises(ValidationFailed):
        svc.skp_result_add(actor=perf.users["staff"], skp_id=s.pk, kind="utama", text="X", supports_id=old_result.pk)
    r = svc.skp_result_add(actor=perf.users["staff"], skp_id=s.pk, kind="utama", text="X",
                           supports_id=new.results.first().pk)  # fmt: skip
    assert r.supports.skp_id == new.pk


def test_bad_kind_text_aspect_and_target_are_refused(perf):
    s = _create(perf, "head")
    u = perf.users["head"]
    with pytest.raises(ValidationFailed):
        svc.skp_result_add(actor=u, skp_id=s.pk, kind="lain", text="X")
    with pytest.raises(ValidationFailed):
        svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="  ")
    r = svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="X", pk_reference="PK")
    for aspect, target in (("lain", "1"), ("kuantitas", "banyak"), ("kuantitas", "-1"), ("kuantitas", "1e13")):
        with pytest.raises(ValidationFailed):
            svc.skp_indicator_add(actor=u, result_id=r.pk, text="I", aspect=aspect, target=target, unit_label="x")
    ind = svc.skp_indicator_add(actor=u, result_id=r.pk, text="I", aspect="biaya", target="1500,5",
                                unit_label="rupiah")  # fmt: skip
    assert str(ind.target) == "1500.50"


def test_a_result_supported_by_staff_cannot_be_deleted(perf):
    head = perf.agreed_skp("head")
    kabid_open = _create(perf, "kabid")
    r = _fill(perf, kabid_open, "kabid", supports=head.results.first())
    s = _create(perf, "staff")
    svc.skp_result_add(actor=perf.users["staff"], skp_id=s.pk, kind="utama", text="X", supports_id=r.pk)
    with pytest.raises(TransitionRefused):
        svc.skp_result_delete(actor=perf.users["kabid"], result_id=r.pk)
    assert SkpResult.objects.filter(pk=r.pk).exists()


def test_only_the_owner_or_admin_edits_a_draft(perf):
    s = _create(perf, "staff")
    r = svc.skp_result_add(actor=perf.users["admin"], skp_id=s.pk, kind="tambahan", text="Piket")
    for key in ("kabid", "head", "operator_a", "staff2", "inspector"):
        with pytest.raises(Forbidden):
            svc.skp_result_add(actor=perf.users[key], skp_id=s.pk, kind="tambahan", text="X")
        with pytest.raises(Forbidden):
            svc.skp_indicator_add(actor=perf.users[key], result_id=r.pk, text="I", aspect="kuantitas", target="1",
                                  unit_label="x")  # fmt: skip
        with pytest.raises(Forbidden):
            svc.skp_result_delete(actor=perf.users[key], result_id=r.pk)
    assert SkpResult.objects.filter(skp=s).count() == 1


# --- submit ----------------------------------------------------------------------------------------------------


def test_submit_problems_list_what_is_missing(perf):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    s = _create(perf, "staff")
    assert svc.submit_problems(s) == ["Tuliskan paling sedikit satu rencana hasil kerja utama."]
    u = perf.users["staff"]
    r = svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="Rekap")
    problems = svc.submit_problems(s)
    assert any("belum memiliki indikator" in p for p in problems)
    assert any("belum dikaitkan dengan hasil kerja atasan" in p for p in problems)
    with pytest.raises(ValidationFailed) as exc:
        svc.skp_submit(actor=u, skp_id=s.pk)
    assert exc.value.details["problems"] == problems
    s.refresh_from_db()
    assert s.state == SkpState.DRAFT
    svc.skp_result_delete(actor=u, result_id=r.pk)
    _fill(perf, s, "staff", supports=kabid.results.first())
    assert svc.submit_problems(s) == []


def test_a_unit_head_names_the_pk_target_instead(perf):
    s = _create(perf, "head")
    u = perf.users["head"]
    r = svc.skp_result_add(actor=u, skp_id=s.pk, kind="utama", text="Layanan")
    svc.skp_indicator_add(actor=u, result_id=r.pk, text="I", aspect="kuantitas", target="1", unit_label="x")
    assert any("sasaran perjanjian kinerja" in p for p in svc.submit_problems(s))
    SkpResult.objects.filter(pk=r.pk).update(pk_reference="Sasaran PK 1")
    assert svc.submit_problems(s) == []


def test_submit_by_the_owner_notifies_the_penilai(perf):
    s, _ = _submitted_staff(perf)
    assert s.state == SkpState.SUBMITTED and s.submitted_at is not None
    n = Notification.objects.get(user=perf.users["kabid"], link=f"/kinerja/skp/{s.pk}/")
    assert "Staf Satu" in n.text and "menunggu persetujuan" in n.text
    assert AuditEvent.objects.filter(action="skp.submitted", object_id=str(s.pk)).count() == 1
    with pytest.raises(TransitionRefused):
        svc.skp_submit(actor=perf.users["staff"], skp_id=s.pk)


@pytest.mark.parametrize("key", ["kabid", "head", "operator_a", "staff2"])
def test_submit_by_others_is_refused(perf, key):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    s = _create(perf, "staff")
    _fill(perf, s, "staff", supports=kabid.results.first())
    with pytest.raises(Forbidden):
        svc.skp_submit(actor=perf.users[key], skp_id=s.pk)
    s.refresh_from_db()
    assert s.state == SkpState.DRAFT


def test_admin_may_submit_for_the_employee(perf):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    s = _create(perf, "staff")
    _fill(perf, s, "staff", supports=kabid.results.first())
    assert svc.skp_submit(actor=perf.users["admin"], skp_id=s.pk).state == SkpState.SUBMITTED


def test_edits_are_refused_after_submit(perf):
    s, _ = _submitted_staff(perf)
    u = perf.users["staff"]
    r = s.results.first()
    with pytest.raises(TransitionRefused):
        svc.skp_result_add(actor=u, skp_id=s.pk, kind="tambahan", text="X")
    with pytest.raises(TransitionRefused):
        svc.skp_result_delete(actor=u, result_id=r.pk)
    with pytest.raises(TransitionRefused):
        svc.skp_indicator_add(actor=u, result_id=r.pk, text="I", aspect="kuantitas", target="1", unit_label="x")
    with pytest.raises(TransitionRefused):
        svc.skp_indicator_delete(actor=u, indicator_id=r.indicators.first().pk)
    with pytest.raises(Forbidden):
        svc.skp_expectation_set(actor=u, skp_id=s.pk, value="loyal", expectation="X")
    with pytest.raises(TransitionRefused):  # admin too: the content is fixed once submitted
        svc.skp_result_add(actor=perf.users["admin"], skp_id=s.pk, kind="tambahan", text="X")
    assert SkpResult.objects.filter(skp=s).count() == 1 and SkpIndicator.objects.filter(result=r).count() == 1


def test_expectations_by_owner_in_draft_and_penilai_until_agreed(perf):
    s, skps = _submitted_staff(perf)
    kabid = perf.users["kabid"]
    svc.skp_expectation_set(actor=kabid, skp_id=s.pk, value="adaptif", expectation="Cepat belajar aplikasi")
    assert s.behaviours.get(value="adaptif").expectation == "Cepat belajar aplikasi"
    for key in ("head", "staff2", "operator_a"):
        with pytest.raises(Forbidden):
            svc.skp_expectation_set(actor=perf.users[key], skp_id=s.pk, value="adaptif", expectation="X")
    with pytest.raises(ValidationFailed):
        svc.skp_expectation_set(actor=kabid, skp_id=s.pk, value="jujur", expectation="X")
    svc.skp_agree(actor=kabid, skp_id=s.pk)
    with pytest.raises(Forbidden):
        svc.skp_expectation_set(actor=kabid, skp_id=s.pk, value="adaptif", expectation="Lain")
    assert s.behaviours.get(value="adaptif").expectation == "Cepat belajar aplikasi"


# --- return and agree ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["staff", "head", "admin", "operator_a", "staff2", "inspector"])
def test_return_and_agree_by_anyone_but_the_penilai_are_refused(perf, key):
    s, _ = _submitted_staff(perf)
    with pytest.raises(Forbidden):
        svc.skp_return(actor=perf.users[key], skp_id=s.pk, note="Perbaiki")
    with pytest.raises(Forbidden):
        svc.skp_agree(actor=perf.users[key], skp_id=s.pk)
    s.refresh_from_db()
    assert s.state == SkpState.SUBMITTED


def test_the_penilai_returns_with_a_note_then_agrees(perf):
    s, _ = _submitted_staff(perf)
    kabid = perf.users["kabid"]
    with pytest.raises(ValidationFailed):
        svc.skp_return(actor=kabid, skp_id=s.pk, note="")
    svc.skp_return(actor=kabid, skp_id=s.pk, note="Target kurang jelas")
    s.refresh_from_db()
    assert s.state == SkpState.DRAFT and s.return_note == "Target kurang jelas"
    assert Notification.objects.filter(user=perf.users["staff"], text__contains="Target kurang jelas").exists()
    with pytest.raises(TransitionRefused):
        svc.skp_return(actor=kabid, skp_id=s.pk, note="Lagi")
    with pytest.raises(TransitionRefused):
        svc.skp_agree(actor=kabid, skp_id=s.pk)
    svc.skp_submit(actor=perf.users["staff"], skp_id=s.pk)
    s.refresh_from_db()
    assert s.return_note == ""  # cleared on resubmission
    svc.skp_agree(actor=kabid, skp_id=s.pk)
    s.refresh_from_db()
    assert s.state == SkpState.AGREED and s.agreed_by == kabid and s.agreed_at is not None
    assert selectors.current_skp(perf.city.staff.pk, YEAR) == s
    with pytest.raises(TransitionRefused):
        svc.skp_agree(actor=kabid, skp_id=s.pk)


def test_the_heads_skp_is_agreed_by_admin_for_the_wali_kota(perf):
    s = _create(perf, "head")
    _fill(perf, s, "head", pk_reference="Sasaran PK 1")
    svc.skp_submit(actor=perf.users["head"], skp_id=s.pk)
    with pytest.raises(Forbidden):
        svc.skp_agree(actor=perf.users["kabid"], skp_id=s.pk)
    assert svc.skp_agree(actor=perf.users["admin"], skp_id=s.pk).state == SkpState.AGREED


def test_a_stale_transition_is_refused(perf):
    s, _ = _submitted_staff(perf)
    Skp.objects.filter(pk=s.pk).update(state=SkpState.DRAFT)
    with pytest.raises(TransitionRefused):
        svc._move(s, perf.users["kabid"], SkpState.AGREED, "skp.agreed")


# --- revise ----------------------------------------------------------------------------------------------------


def test_revise_makes_a_new_draft_version_with_the_content_copied(perf):
    skps = perf.chain()
    old = skps["staff"]
    svc_user = perf.users["staff"]
    old.behaviours.filter(value="loyal").update(expectation="Menjaga rahasia")
    with pytest.raises(ValidationFailed):
        svc.skp_revise(actor=svc_user, skp_id=old.pk, reason="")
    new = svc.skp_revise(actor=svc_user, skp_id=old.pk, reason="Tugas tambahan dari kepala dinas")
    assert (new.version, new.state, new.previous_id) == (2, SkpState.DRAFT, old.pk)
    assert new.revision_reason == "Tugas tambahan dari kepala dinas" and new.penilai_id == old.penilai_id
    r_old, r_new = old.results.get(), new.results.get()
    assert r_new.text == r_old.text and r_new.supports_id == r_old.supports_id
    assert r_new.indicators.get().target == r_old.indicators.get().target
    assert new.behaviours.get(value="loyal").expectation == "Menjaga rahasia"
    old.refresh_from_db()
    assert old.state == SkpState.AGREED  # still in force
    assert selectors.current_skp(perf.city.staff.pk, YEAR) == old
    assert selectors.open_skp(perf.city.staff.pk, YEAR) == new
    with pytest.raises(TransitionRefused):  # one revision at a time
        svc.skp_revise(actor=svc_user, skp_id=old.pk, reason="Lagi")
    with pytest.raises(TransitionRefused):  # only an agreed SKP is revised
        svc.skp_revise(actor=svc_user, skp_id=new.pk, reason="Lagi")


@pytest.mark.parametrize("key", ["kabid", "head", "operator_a", "inspector"])
def test_revise_by_others_is_refused(perf, key):
    skps = perf.chain()
    with pytest.raises(Forbidden):
        svc.skp_revise(actor=perf.users[key], skp_id=skps["staff"].pk, reason="Saya ubah")
    assert Skp.objects.filter(employee=perf.city.staff).count() == 1


def test_agreeing_the_revision_supersedes_the_old_version(perf):
    skps = perf.chain()
    old = skps["staff"]
    new = svc.skp_revise(actor=perf.users["staff"], skp_id=old.pk, reason="Tugas baru")
    extra = svc.skp_result_add(actor=perf.users["staff"], skp_id=new.pk, kind="tambahan", text="Piket layanan")
    svc.skp_indicator_add(actor=perf.users["staff"], result_id=extra.pk, text="Piket", aspect="kuantitas", target="4",
                          unit_label="kali")  # fmt: skip
    svc.skp_submit(actor=perf.users["staff"], skp_id=new.pk)
    svc.skp_agree(actor=perf.users["kabid"], skp_id=new.pk)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.state, new.state) == (SkpState.SUPERSEDED, SkpState.AGREED)
    assert selectors.current_skp(perf.city.staff.pk, YEAR) == new
    ev = AuditEvent.objects.get(action="skp.superseded")
    assert ev.object_id == str(old.pk) and ev.reason == "Tugas baru"
    with pytest.raises(TransitionRefused):  # a superseded version is not revised again
        svc.skp_revise(actor=perf.users["staff"], skp_id=old.pk, reason="X")


def test_a_returned_revision_leaves_the_agreed_version_in_force(perf):
    skps = perf.chain()
    old = skps["staff"]
    new = svc.skp_revise(actor=perf.users["staff"], skp_id=old.pk, reason="Tugas baru")
    svc.skp_submit(actor=perf.users["staff"], skp_id=new.pk)
    svc.skp_return(actor=perf.users["kabid"], skp_id=new.pk, note="Belum perlu diubah")
    old.refresh_from_db()
    assert old.state == SkpState.AGREED and selectors.current_skp(perf.city.staff.pk, YEAR) == old


def test_agreeing_a_superiors_revision_relinks_the_staff_results(perf):
    """The staff's results supported the kabid's old version; once the kabid's revision is agreed they support the
    revision's matching results (same kind and text), so the cascade stays whole."""
    skps = perf.chain()
    kabid_old = skps["kabid"]
    new = svc.skp_revise(actor=perf.users["kabid"], skp_id=kabid_old.pk, reason="Program baru")
    svc.skp_submit(actor=perf.users["kabid"], skp_id=new.pk)
    svc.skp_agree(actor=perf.users["head"], skp_id=new.pk)
    new_result = new.results.get()
    for key in ("staff", "staff2"):
        assert skps[key].results.get().supports_id == new_result.pk
    below = {row["skp"].pk for row in selectors.cascade_below(new)}
    assert below == {skps["staff"].pk, skps["staff2"].pk}


# --- copy a unit -----------------------------------------------------------------------------------------------


def test_copy_unit_relinks_the_cascade_to_this_years_copies(perf):
    last = perf.chain(year=YEAR - 1)
    last["staff"].behaviours.filter(value="kompeten").update(expectation="Ikut pelatihan")
    created = svc.skp_copy_unit(actor=perf.users["admin"], unit_id=perf.city.opd_a.pk, from_year=YEAR - 1,
                                to_year=YEAR)  # fmt: skip
    assert len(created) == 4 and all(s.state == SkpState.DRAFT and s.year == YEAR for s in created)
    new = {s.employee_id: s for s in created}
    head, kabid = new[perf.city.head.pk], new[perf.city.kabid.pk]
    staff, staff2 = new[perf.city.staff.pk], new[perf.city.staff2.pk]
    assert head.results.get().supports_id is None and head.results.get().pk_reference
    assert kabid.results.get().supports_id == head.results.get().pk
    assert staff.results.get().supports_id == kabid.results.get().pk
    assert staff2.results.get().supports_id == kabid.results.get().pk
    assert staff.results.get().indicators.count() == 1
    assert staff.behaviours.get(value="kompeten").expectation == "Ikut pelatihan"
    assert staff.penilai_id == perf.city.kabid.pk
    assert AuditEvent.objects.filter(action="skp.unit_copied").count() == 1
    # again: everyone has an SKP this year now, nothing more is copied
    assert svc.skp_copy_unit(actor=perf.users["admin"], unit_id=perf.city.opd_a.pk, from_year=YEAR - 1,
                             to_year=YEAR) == []  # fmt: skip


def test_copy_unit_skips_employees_with_an_skp_and_sources_not_agreed(perf):
    perf.chain(year=YEAR - 1)
    _create(perf, "staff2")  # already has this year's
    Skp.objects.filter(employee=perf.city.staff, year=YEAR - 1).update(state=SkpState.SUBMITTED)
    created = svc.skp_copy_unit(actor=perf.users["operator_a"], unit_id=perf.city.bidang_a.pk, from_year=YEAR - 1,
                                to_year=YEAR)  # fmt: skip
    assert [s.employee_id for s in created] == [perf.city.kabid.pk]


def test_copy_unit_by_the_wrong_people_or_years_is_refused(perf):
    perf.chain(year=YEAR - 1)
    op_b = f.user("op_b", role=Role.OPERATOR_OPD, unit=perf.city.opd_b)
    for actor in (op_b, perf.users["staff"], perf.users["kabid"], perf.users["inspector"]):
        with pytest.raises(Forbidden):
            svc.skp_copy_unit(actor=actor, unit_id=perf.city.opd_a.pk, from_year=YEAR - 1, to_year=YEAR)
    with pytest.raises(ValidationFailed):
        svc.skp_copy_unit(actor=perf.users["admin"], unit_id=perf.city.opd_a.pk, from_year=YEAR, to_year=YEAR - 1)
    with pytest.raises(NotVisible):
        svc.skp_copy_unit(actor=perf.users["admin"], unit_id=999999, from_year=YEAR - 1, to_year=YEAR)
    assert not Skp.objects.filter(year=YEAR).exists()


# --- actions_for (what the page offers) ------------------------------------------------------------------------


def test_actions_for_follows_the_state_and_the_role(perf):
    s, _ = _submitted_staff(perf)
    assert svc.actions_for(perf.users["staff"], s) == set()
    assert svc.actions_for(perf.users["kabid"], s) == {"expect", "return", "agree"}
    assert svc.actions_for(perf.users["head"], s) == set()
    s = svc.skp_agree(actor=perf.users["kabid"], skp_id=s.pk)
    assert svc.actions_for(perf.users["staff"], s) == {"revise"}
    draft = _create(perf, "staff2")
    assert svc.actions_for(perf.users["staff2"], draft) == {"edit", "submit", "expect"}
    assert svc.actions_for(perf.users["kabid"], draft) == {"expect"}
