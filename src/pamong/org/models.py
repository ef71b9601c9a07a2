from __future__ import annotations

import pghistory
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OPD = "opd", _("Perangkat Daerah (OPD)")
    SEKRETARIAT = "sekretariat", _("Sekretariat")
    BIDANG = "bidang", _("Bidang")
    BAGIAN = "bagian", _("Bagian")
    SUBBIDANG = "subbidang", _("Subbidang")
    SUBBAGIAN = "subbagian", _("Subbagian")
    SEKSI = "seksi", _("Seksi")
    UPTD = "uptd", _("UPTD")
    KECAMATAN = "kecamatan", _("Kecamatan")
    KELURAHAN = "kelurahan", _("Kelurahan")
    DESA = "desa", _("Desa")
    PUSKESMAS = "puskesmas", _("Puskesmas")
    SEKOLAH = "sekolah", _("Sekolah")
    RSUD = "rsud", _("Rumah Sakit Daerah")


@pghistory.track()
class Unit(models.Model):
    """A node of the organisation tree. `path` is the materialised path of ids ("00000001/00000007/")."""

    code = models.CharField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    opd = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="root OPD"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit kerja")
        # subtree = path LIKE 'prefix%': PostgreSQL uses a btree only with the pattern opclass
        indexes = [models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name


class PositionKind(models.TextChoices):
    JPT = "jpt", _("Jabatan Pimpinan Tinggi")
    ADMINISTRATOR = "administrator", _("Administrator")
    PENGAWAS = "pengawas", _("Pengawas")
    FUNGSIONAL = "fungsional", _("Fungsional")
    PELAKSANA = "pelaksana", _("Pelaksana")


class Eselon(models.TextChoices):
    II_A = "II.a", "II.a"
    II_B = "II.b", "II.b"
    III_A = "III.a", "III.a"
    III_B = "III.b", "III.b"
    IV_A = "IV.a", "IV.a"
    IV_B = "IV.b", "IV.b"


class JenjangFungsional(models.TextChoices):
    AHLI_PERTAMA = "ahli_pertama", _("Ahli Pertama")
    AHLI_MUDA = "ahli_muda", _("Ahli Muda")
    AHLI_MADYA = "ahli_madya", _("Ahli Madya")
    AHLI_UTAMA = "ahli_utama", _("Ahli Utama")
    PEMULA = "pemula", _("Pemula")
    TERAMPIL = "terampil", _("Terampil")
    MAHIR = "mahir", _("Mahir")
    PENYELIA = "penyelia", _("Penyelia")


STRUCTURAL_KINDS = (PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS)


@pghistory.track()
class Position(models.Model):
    """A jabatan in the peta jabatan: its class, its superior, and the seats the workload analysis (ABK) allows."""

    code = models.CharField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama jabatan"), max_length=200)
    kind = models.CharField(_("jenis jabatan"), max_length=20, choices=PositionKind.choices)
    eselon = models.CharField(_("eselon"), max_length=6, choices=Eselon.choices, blank=True)
    jf_family = models.CharField(_("rumpun JF"), max_length=80, blank=True)  # e.g. "guru", "perawat"
    jf_jenjang = models.CharField(_("jenjang JF"), max_length=20, choices=JenjangFungsional.choices, blank=True)
    kelas_jabatan = models.PositiveSmallIntegerField(
        _("kelas jabatan"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="positions")
    superior = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="subordinates")
    path = models.CharField(max_length=255, db_index=True, editable=False)
    seats_abk = models.PositiveIntegerField(_("kebutuhan (ABK)"), default=1)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("jabatan")
        indexes = [models.Index(fields=["path"], name="position_path_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kelas_jabatan__gte=1, kelas_jabatan__lte=17), name="position_kelas_1_17"
            ),
        ]

    def __str__(self) -> str:
        return self.name
