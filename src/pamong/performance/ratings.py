"""Third-party numeric ratings (0–100 per criterion) for calibration: who may rate whom, the comparison pools.

Comparison pool (kelompok pembanding) of an employee: by the city's pack `kinerja/kelompok_pembanding`
- "opd_jenjang" (default): the OPD's code × the job level, key "<OPD code>/<level>";
- "opd": the OPD's code only;
- "kota_jenjang": the job level across the city, key "kota/<level>".
The OPD is the root OPD of the employee's unit. The job level comes from the position (`job_level`): jpt,
administrator, pengawas (the structural kinds, which the eselon follows), fungsional ahli (jenjang ahli pertama ..
utama; when no jenjang is recorded, kelas jabatan 8 and above), fungsional keterampilan (pemula .. penyelia, or
kelas below 8), pelaksana. The pool is fixed on the rating when it is given.

Who may rate (rater_role):
- supervisor: the ratee's pejabat penilai (of the agreed SKP of the year, else from the position tree);
- assessor: a user with the assessor role and a running AssessorAssignment for the ratee (not a peer one);
- peer: an employee of the same OPD with a running AssessorAssignment for the ratee whose purpose starts with
  "rekan kerja" (peers are assigned like assessors, by admin BKPSDM through `peer_assign`; such a row gives a peer
  no sight of the ratee's records, as visibility comes only with the assessor role);
- citizen: admin BKPSDM enters the unit's citizen-facing figure (rater None, rater_key "warga:<unit code>") — a
  placeholder until the citizen module feeds it.
Nobody rates themself. A rating may be given again (it replaces the earlier one, audited) until it is locked: when
the pool's calibration session closes.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import AssessorAssignment, Role
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.org.models import Unit
from pamong.people.models import Employee
from pamong.rules.params import params_in_force

from .chain import chains_for
from .inputs import clean_text
from .models import CalibrationSession, CalibrationState, RaterRole, Rating

POOL_MODES = ("opd_jenjang", "opd", "kota_jenjang")
DEFAULT_POOL_MODE = "opd_jenjang"
PEER_PURPOSE = "rekan kerja"  # AssessorAssignment.purpose prefix of a peer rater's assignment
CITY = "kota"
DEFAULT_CRITERIA = {
    "hasil_kerja": "Hasil kerja",
    "kualitas": "Kualitas pekerjaan",
    "kerja_sama": "Kerja sama",
    "pelayanan": "Pelayanan",
    "integritas": "Integritas",
}
LEVEL_LABELS = {
    "jpt": "Pimpinan tinggi",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "fungsional_ahli": "Fungsional ahli",
    "fungsional_terampil": "Fungsional keterampilan",
    "pelaksana": "Pelaksana",
}
AHLI = ("ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")
KELAS_AHLI = 8
TWO = Decimal("0.01")


def _pack(on: dt.date) -> dict[str, Any]:
    return params_in_force(on, region=settings.PAMONG_REGION)


def pool_mode(on: dt.date) -> str:
    found = _pack(on).get("kinerja/kelompok_pembanding")
    value = found.value if found is not None else DEFAULT_POOL_MODE
    return value if value in POOL_MODES else DEFAULT_POOL_MODE


def criteria(on: dt.date) -> dict[str, str]:
    """criterion code → label, from the city's pack (kinerja/kriteria_penilaian)."""
    found = _pack(on).get("kinerja/kriteria_penilaian")
    value = found.value if found is not None else None
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) and value else dict(DEFAULT_CRITERIA)


def job_level(kind: str, jf_jenjang: str, kelas: int) -> str:
    if kind in ("jpt", "administrator", "pengawas", "pelaksana"):
        return kind
    if kind == "fungsional":
        if jf_jenjang:
            return "fungsional_ahli" if jf_jenjang in AHLI else "fungsional_terampil"
        return "fungsional_ahli" if kelas >= KELAS_AHLI else "fungsional_terampil"
    return "pelaksana"


def pool_key(opd_code: str, level: str, mode: str) -> str:
    if mode == "opd":
        return opd_code
    if mode == "kota_jenjang":
        return f"{CITY}/{level}"
    return f"{opd_code}/{level}"


def pools_of(employee_ids: list[int], on: dt.date) -> dict[int, str]:
    """employee id → pool key (two queries)."""
    mode = pool_mode(on)
    rows = list(
        Employee.objects.filter(pk__in=employee_ids).values_list(
            "id", "unit__code", "unit__opd__code", "position__kind", "position__jf_jenjang", "position__kelas_jabatan"
        )
    )
    return {
        pk: pool_key(opd_code or unit_code, job_level(kind or "", jenjang or "", kelas or 0), mode)
        for pk, unit_code, opd_code, kind, jenjang, kelas in rows
    }


def pool_of(employee: Employee, on: dt.date) -> str:
    return pools_of([employee.pk], on)[employee.pk]


def pool_label(key: str) -> str:
    """Plain words for a pool key: "Dinas Kesehatan · Pelaksana"."""
    code, _, level = key.rpartition("/")
    if not code:
        code, level = key, ""
    where = gettext("Seluruh kota") if code == CITY else None
    if where is None:
        where = Unit.objects.filter(code=code).values_list("name", flat=True).first() or code
    return f"{where} · {gettext(LEVEL_LABELS.get(level, level))}" if level else where


def annual_period(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _is_running(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


def _opd_id(emp: Employee) -> int:
    return emp.unit.opd_id or emp.unit_id


def _penilai_id(ratee: Employee, year: int) -> int | None:
    from .selectors import current_skp

    skp = current_skp(ratee.pk, year)
    if skp is not None:
        return skp.penilai_id
    chain = chains_for([ratee.pk]).get(ratee.pk)
    return chain.penilai_id if chain is not None else None


def roles_for(actor: Any, ratee: Employee, period_start: dt.date) -> list[str]:
    """The rater roles `actor` may take for `ratee` (in order of precedence); empty: may not rate them."""
    a = access_for(actor)
    if not a.authenticated:
        return []
    roles: list[str] = []
    if a.employee_id == ratee.pk:
        return []  # self-ratings never count
    today = timezone.localdate()
    if a.employee_id is not None and _penilai_id(ratee, period_start.year) == a.employee_id:
        roles.append(str(RaterRole.SUPERVISOR))
    assigned = AssessorAssignment.objects.filter(_is_running(today), assessor_id=a.user_id, employee_id=ratee.pk)
    if a.has(Role.ASSESSOR) and assigned.exclude(purpose__startswith=PEER_PURPOSE).exists():
        roles.append(str(RaterRole.ASSESSOR))
    if a.employee_id is not None and assigned.filter(purpose__startswith=PEER_PURPOSE).exists():
        me = Employee.objects.select_related("unit").get(pk=a.employee_id)
        if _opd_id(me) == _opd_id(ratee):
            roles.append(str(RaterRole.PEER))
    if a.has(Role.ADMIN_BKPSDM):
        roles.append(str(RaterRole.CITIZEN))
    return roles


def _scores(raw: Any, on: dt.date) -> tuple[dict[str, Any], Decimal]:
    wanted = criteria(on)
    if not isinstance(raw, dict):
        raise ValidationFailed(gettext("Nilai per kriteria wajib diisi."), details={"field": "scores"})
    unknown = sorted(set(map(str, raw)) - set(wanted))
    if unknown:
        raise ValidationFailed(
            gettext("Kriteria tidak dikenal: %(k)s.") % {"k": ", ".join(unknown)}, details={"field": "scores"}
        )
    clean: dict[str, Any] = {}
    for code, label in wanted.items():
        value = raw.get(code)
        if value is None or value == "":
            raise ValidationFailed(
                gettext("Nilai untuk %(k)s wajib diisi.") % {"k": label}, details={"field": f"scores.{code}"}
            )
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            number = Decimal("NaN")
        bad = isinstance(value, bool) or not number.is_finite() or not 0 <= number <= 100
        if bad or number != number.quantize(TWO):
            raise ValidationFailed(
                gettext("Nilai untuk %(k)s harus angka 0 sampai 100 (paling banyak dua desimal).") % {"k": label},
                details={"field": f"scores.{code}"},
            )
        clean[code] = int(number) if number == number.to_integral_value() else float(number)
    total = sum((Decimal(str(v)) for v in clean.values()), Decimal(0))
    mean = (total / len(clean)).quantize(TWO, rounding=ROUND_HALF_UP)
    return clean, mean


def pool_closed(period_start: dt.date, pool: str) -> bool:
    return CalibrationSession.objects.filter(
        period_start=period_start, pool=pool, state=CalibrationState.CLOSED
    ).exists()


def rating_submit(
    *,
    actor: Any,
    ratee_id: int,
    scores: dict[str, Any],
    period_start: dt.date | None = None,
    comment: str = "",
    role: str | None = None,
) -> Rating:
    """Give (or give again) a rating of `ratee_id` for the period (default: this year's annual period, 1 January).
    `role` picks the rater role when the actor may take several (default: the first of supervisor, assessor,
    peer); the citizen figure is entered by admin BKPSDM with role="citizen"."""
    period_start = period_start or annual_period(timezone.localdate().year)
    ratee = Employee.objects.select_related("unit", "position").filter(pk=ratee_id).first()
    if ratee is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan."))
    allowed = roles_for(actor, ratee, period_start)
    a = access_for(actor)
    if role is None:
        role = next((r for r in allowed if r != RaterRole.CITIZEN), None)
    if role is None or role not in allowed:
        if a.employee_id == ratee.pk:
            raise Forbidden(gettext("Anda tidak dapat menilai diri sendiri."))
        if role == RaterRole.CITIZEN:
            raise Forbidden(gettext("Angka layanan masyarakat hanya dimasukkan oleh admin BKPSDM."))
        raise Forbidden(
            gettext(
                "Anda tidak dapat menilai pegawai ini: hanya pejabat penilainya, penilai independen atau rekan kerja "
                "yang ditugaskan untuknya."
            )
        )
    clean, value = _scores(scores, period_start)
    comment = clean_text(comment, "comment", max_len=2000, required=False, multiline=True)
    pool = pool_of(ratee, period_start)
    if role == RaterRole.CITIZEN:
        rater, rater_key = None, f"warga:{ratee.unit.code}"
    else:
        rater, rater_key = actor, f"u{actor.pk}"
    with transaction.atomic():
        existing = (
            Rating.objects.select_for_update()
            .filter(period_start=period_start, rater_key=rater_key, ratee=ratee)
            .first()
        )
        if (existing is not None and existing.locked) or pool_closed(period_start, existing.pool if existing else pool):
            raise TransitionRefused(
                gettext("Penilaian periode ini sudah dikunci oleh sidang kalibrasi; tidak dapat diubah lagi.")
            )
        if existing is None:
            try:
                with transaction.atomic():
                    r = Rating.objects.create(
                        period_start=period_start,
                        pool=pool,
                        ratee=ratee,
                        rater=rater,
                        rater_key=rater_key,
                        rater_role=role,
                        scores=clean,
                        value=value,
                        comment=comment,
                    )
            except IntegrityError:
                raise Conflict(gettext("Penilaian ini baru saja disimpan oleh permintaan lain.")) from None
            changes: dict[str, Any] = {
                "ratee": [None, ratee.pk],
                "rater_role": [None, role],
                "pool": [None, pool],
                "scores": [None, clean],
                "value": [None, str(value)],
            }
            action = "rating.created"
        else:
            r = existing
            changes = {"scores": [r.scores, clean], "value": [str(r.value), str(value)]}
            if r.comment != comment:
                changes["comment"] = [r.comment, comment]
            r.scores, r.value, r.comment, r.rater_role = clean, value, comment, role
            r.save(update_fields=["scores", "value", "comment", "rater_role"])
            action = "rating.changed"
        audit.record(actor=actor, action=action, obj=r, changes=changes)
    return r


def peer_assign(
    *, actor: Any, rater_employee_id: int, ratee_id: int, year: int, reason: str = ""
) -> AssessorAssignment:
    """Admin BKPSDM assigns a colleague of the same OPD to rate an employee as a peer for the year (an
    AssessorAssignment whose purpose is "rekan kerja <year>")."""
    if not access_for(actor).has(Role.ADMIN_BKPSDM):
        raise Forbidden(gettext("Hanya admin BKPSDM yang dapat menugaskan rekan penilai."))
    found = Employee.objects.select_related("unit", "user").filter(pk__in=[rater_employee_id, ratee_id])
    pair = {e.pk: e for e in found}
    rater, ratee = pair.get(rater_employee_id), pair.get(ratee_id)
    if rater is None or ratee is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan."))
    if rater.pk == ratee.pk:
        raise ValidationFailed(gettext("Pegawai tidak dapat menilai diri sendiri."), details={"field": "rater"})
    if _opd_id(rater) != _opd_id(ratee):
        raise ValidationFailed(gettext("Rekan penilai harus dari OPD yang sama."), details={"field": "rater"})
    user = getattr(rater, "user", None)
    if user is None:
        raise ValidationFailed(gettext("Rekan penilai belum mempunyai akun."), details={"field": "rater"})
    purpose = f"{PEER_PURPOSE} {year}"
    try:
        with transaction.atomic():
            a = AssessorAssignment.objects.create(
                assessor=user,
                employee=ratee,
                purpose=purpose,
                valid_from=dt.date(year, 1, 1),
                valid_until=dt.date(year + 1, 3, 31),
            )
            audit.record(
                actor=actor,
                action="peer_assignment.created",
                obj=a,
                reason=reason,
                changes={"rater": [None, rater.pk], "employee": [None, ratee.pk], "purpose": [None, purpose]},
            )
    except IntegrityError:
        raise Conflict(gettext("Penugasan yang sama sudah ada.")) from None
    return a
