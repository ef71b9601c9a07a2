from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """An append-only, hash-chained record of one change. Never updated or deleted (PostgreSQL: trigger)."""

    seq = models.BigIntegerField(unique=True)  # chain position; assigned under the audit lock
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)  # username at the time, or "system"
    action = models.CharField(max_length=80, db_index=True)  # e.g. employee.created, rank.added
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)  # {"field": [before, after]}
    reason = models.TextField(blank=True)
    sk_number = models.CharField(max_length=100, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"
