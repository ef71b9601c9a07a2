"""Leave (/presensi/cuti/) and official travel (/presensi/surat-tugas/)."""

from django.urls import path

from . import views_leave as v

urlpatterns = [
    path("cuti/", v.leave_mine, name="leave_mine"),
    path("cuti/persetujuan/", v.leave_approvals, name="leave_approvals"),
    path("cuti/buka-tahun/", v.leave_year_open, name="leave_year_open"),
    path("cuti/<int:pk>/putus/", v.leave_decide, name="leave_decide"),
    path("cuti/<int:pk>/batal/", v.leave_cancel, name="leave_cancel"),
    path("cuti/<int:pk>/bukti/", v.leave_evidence, name="leave_evidence"),
    path("surat-tugas/", v.travel_list, name="travel_list"),
    path("surat-tugas/<int:pk>/batal/", v.travel_cancel, name="travel_cancel"),
]
