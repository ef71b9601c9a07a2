"""URLs of the employee edit forms (web/employee_edit.py), included from web/urls.py."""

from django.urls import path

from . import employee_edit as edit

urlpatterns = [
    path("pegawai/<int:pk>/ubah/kontak/", edit.contact_edit, name="employee_contact_edit"),
    path("pegawai/<int:pk>/ubah/rekening/", edit.bank_edit, name="employee_bank_edit"),
    path("pegawai/<int:pk>/pangkat/baru/", edit.rank_add, name="employee_rank_add"),
    path("pegawai/<int:pk>/jabatan/baru/", edit.position_add, name="employee_position_add"),
    path("pegawai/<int:pk>/status/baru/", edit.status_add, name="employee_status_add"),
    path("pegawai/<int:pk>/keluarga/baru/", edit.family_add, name="employee_family_add"),
    path("pegawai/<int:pk>/keluarga/<int:mid>/ubah/", edit.family_edit, name="employee_family_edit"),
    path("pegawai/<int:pk>/keluarga/<int:mid>/akhiri/", edit.family_end, name="employee_family_end"),
]
