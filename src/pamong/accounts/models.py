from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. An employee's user is linked from Employee.user; roles come from RoleGrant rows."""


class Role(models.TextChoices):
    ADMIN_BKPSDM = "admin_bkpsdm", _("Admin BKPSDM")
    OPERATOR_OPD = "operator_opd", _("Operator OPD")
    TREASURER = "treasurer", _("Bendahara gaji")
    BPKAD_HEAD = "bpkad_head", _("Kepala BPKAD")
    INSPECTORATE = "inspectorate", _("Inspektorat")
    ASSESSOR = "assessor", _("Penilai independen")


SCOPED_ROLES = (Role.OPERATOR_OPD, Role.TREASURER)


class RoleGrant(models.Model):
    """A role held by a user; operator and treasurer roles are scoped to a unit and everything under it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="rolegrant_unique"),
            models.CheckConstraint(
                condition=~models.Q(role__in=[str(r) for r in SCOPED_ROLES]) | models.Q(unit__isnull=False),
                name="rolegrant_scoped_roles_need_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class AssessorAssignment(models.Model):
    """An independent assessor may see exactly the employees assigned here, while the assignment runs."""

    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("tujuan"), max_length=200)
    valid_from = models.DateField()
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessor", "employee", "purpose"], name="assignment_unique")]


class ApiToken(models.Model):
    """A bearer token for integrations. Only its SHA-256 is stored; the token is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()  # refused from then on (401 expired_token); default 90 days after creation
    last_used_at = models.DateTimeField(null=True, blank=True)  # updated at most once a minute (api/auth.py)
    revoked = models.BooleanField(default=False)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
