"""Pages of the machine side of attendance: the machines (list, register), one machine (its user ids → employees,
the ids nobody is mapped to, uploading an export, its files), an upload's progress and report, and the employee's
check-in button. Thin: each view calls one selector or service (devices.py, punch_jobs.py, checkin.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from pamong.accounts.access import access_for
from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.web.views import _is_partial, _vary_htmx, login_required, private

from . import checkin as checkin_svc
from . import devices as svc
from . import punch_jobs as jobs
from .models import Device, DeviceUser, Punch, PunchFile, PunchImportJob, PunchSource
from .selectors import employees_in_scope

ROWS_SHOWN = 1_000  # bad rows listed on a report page (a whole wrong file could have 100,000)


def _device(request: HttpRequest, pk: int) -> Device:
    try:
        return svc.device_get(request.user, pk)
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


def _require_manager(request: HttpRequest) -> None:
    if not svc.manages_devices(access_for(request.user)):
        raise PermissionDenied(_("Hanya BKPSDM dan operator OPD yang dapat mengelola mesin presensi."))


class DeviceForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Kode atau nomor seri mesin"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Nama / lokasi mesin"), max_length=150)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit kerja"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = svc.units_for_devices(user)  # type: ignore[attr-defined]


@require_http_methods(["GET", "POST"])
@login_required
@private
def device_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = DeviceForm(user=request.user)
    status = 200
    if request.method == "POST":
        form = DeviceForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                d = svc.device_create(actor=request.user, code=form.cleaned_data["code"],
                                      name=form.cleaned_data["name"], unit_id=form.cleaned_data["unit"].pk)  # fmt: skip
            except DomainError as exc:
                form.add_error(None, str(exc.message))
                status = exc.status
            else:
                messages.success(request, _("Mesin %(code)s terdaftar.") % {"code": d.code})
                return redirect("attendance:device", pk=d.pk)
        else:
            status = 400
    devices = list(
        svc.devices_visible_to(request.user)
        .select_related("unit")
        .annotate(n_users=Count("users", distinct=True), last_import=Max("files__imported_at"))
        .order_by("unit__path", "code")[:500]
    )
    return render(request, "attendance/import_devices.html", {"form": form, "devices": devices}, status=status)


def _unmatched(device: Device) -> list[dict[str, Any]]:
    return list(
        Punch.objects.filter(device=device, employee__isnull=True)
        .values("machine_user_id")
        .annotate(n=Count("id"), first=Max("date"))
        .order_by("machine_user_id")[:500]
    )


@require_http_methods(["GET", "POST"])
@login_required
@private
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One machine. POST step=map (one id → a NIP), step=map_file (a CSV/XLSX of ids and NIPs), step=upload (a
    machine export: queued, then its progress page)."""
    device = _device(request, pk)
    status, bad_rows = 200, []
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise DomainError(_("Pilih berkas dari mesin presensi."))
                job = jobs.punch_job_start(actor=request.user, device_id=device.pk, filename=upload.name,
                                           content=upload.read())  # fmt: skip
                return redirect("attendance:import_job", pk=job.pk)
            if step == "map":
                nip = request.POST.get("nip", "").strip()
                emp = employees_in_scope(request.user).filter(nip=nip).first()
                if emp is None:
                    raise NotVisible(_("NIP %(nip)s tidak ditemukan di unit kerja Anda.") % {"nip": nip})
                m = svc.device_user_map(device_id=device.pk, machine_user_id=request.POST.get("machine_user_id", ""),
                                        employee_id=emp.pk, actor=request.user)  # fmt: skip
                text = _("ID %(id)s dipetakan ke %(name)s; %(n)s presensi tersimpan ikut tercatat.")
                messages.success(request, text % {"id": m.device_user.machine_user_id, "name": emp.name,
                                                  "n": m.attached})  # fmt: skip
                return redirect("attendance:device", pk=device.pk)
            if step == "map_file":
                upload = request.FILES.get("file")
                if upload is None:
                    raise DomainError(_("Pilih berkas pemetaan (CSV atau XLSX)."))
                done = svc.device_users_import(device_id=device.pk, data=upload.read(), actor=request.user)
                messages.success(request, _("%(n)s ID dipetakan; %(p)s presensi tersimpan ikut tercatat.")
                                 % {"n": len(done), "p": sum(m.attached for m in done)})  # fmt: skip
                return redirect("attendance:device", pk=device.pk)
            raise DomainError(_("Permintaan tidak dikenal."))
        except Forbidden as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
            if isinstance(exc.details, dict):
                bad_rows = exc.details.get("rows", [])[:ROWS_SHOWN]
    users = list(DeviceUser.objects.filter(device=device).select_related("employee").order_by("machine_user_id")[:2000])
    ctx = {
        "device": device,
        "users": users,
        "unmatched": _unmatched(device),
        "files": list(PunchFile.objects.filter(device=device).select_related("imported_by")[:20]),
        "bad_rows": bad_rows,
    }
    return render(request, "attendance/import_device.html", ctx, status=status)


def _job(request: HttpRequest, pk: int) -> PunchImportJob:
    try:
        return jobs.punch_job_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc


def _job_context(job: PunchImportJob) -> dict[str, Any]:
    percent = round(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    return {"job": job, "percent": percent, "pfile": job.punch_file, "bad_rows": job.bad_rows[:ROWS_SHOWN],
            "rows_hidden": max(0, len(job.bad_rows) - ROWS_SHOWN)}  # fmt: skip


@require_GET
@login_required
@private
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "attendance/import_job.html", _job_context(_job(request, pk)))


@require_GET
@login_required
@private
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by htmx every second while the job runs; when it ends, htmx reloads the page."""
    job = _job(request, pk)
    response = render(request, "attendance/import_progress.html", _job_context(job))
    if _is_partial(request) and job.finished:
        response["HX-Refresh"] = "true"
    return _vary_htmx(response)


@require_GET
@login_required
@private
def punch_file(request: HttpRequest, pk: int) -> HttpResponse:
    """An imported file's report: rows, added, duplicates, ids with no employee yet."""
    f = PunchFile.objects.select_related("device", "imported_by").filter(pk=pk).first()
    if f is None:
        raise Http404
    _device(request, f.device_id)  # the file's machine must be the user's
    unmapped = set(
        Punch.objects.filter(device_id=f.device_id, employee__isnull=True, machine_user_id__in=list(f.unmatched))
        .values_list("machine_user_id", flat=True)
        .distinct()
    )
    rows = [(k, v, k in unmapped) for k, v in f.unmatched.items()]
    return render(request, "attendance/import_file.html", {"f": f, "unmatched": rows})


# --- check-in ---------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@private
def checkin_page(request: HttpRequest) -> HttpResponse:
    """The employee's check-in button. The static JS asks the browser for the position and fills the hidden fields;
    without it (or refused), the form is sent without a position, which a unit without a fence accepts."""
    a = access_for(request.user)
    if a.employee_id is None:
        raise PermissionDenied(_("Presensi hanya untuk pegawai."))
    status = 200
    if request.method == "POST":
        try:
            lat = _coordinate(request.POST.get("latitude", ""), 90)
            lon = _coordinate(request.POST.get("longitude", ""), 180)
            r = checkin_svc.checkin_record(actor=request.user, latitude=lat, longitude=lon)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = exc.status
        else:
            h, rem = divmod(r.punch.seconds, 3600)
            when = f"{h:02d}.{rem // 60:02d}"
            if r.duplicate:
                messages.info(request, _("Presensi Anda pukul %(t)s sudah tercatat.") % {"t": when})
            else:
                messages.success(request, _("Presensi tercatat pukul %(t)s.") % {"t": when})
            return redirect("attendance:checkin")
    from django.utils import timezone

    today = timezone.localdate()
    punches = list(
        Punch.objects.filter(employee_id=a.employee_id, date=today).order_by("seconds").values_list("seconds", "source")
    )
    times = [(f"{s // 3600:02d}.{s % 3600 // 60:02d}", PunchSource(src).label) for s, src in punches]
    emp = employees_in_scope(request.user).select_related("unit").get(pk=a.employee_id)
    fence = checkin_svc.geofence_for(emp)
    ctx = {"today": today, "times": times, "fence": fence}
    return render(request, "attendance/import_checkin.html", ctx, status=status)


def _coordinate(text: str, bound: int) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise DomainError(_("Lokasi dari peramban tidak terbaca; coba lagi.")) from None
    if not -bound <= value <= bound:
        raise DomainError(_("Lokasi dari peramban tidak terbaca; coba lagi."))
    return value
