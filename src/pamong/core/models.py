"""Infrastructure rows shared by every app: the background workers' heartbeats."""

from __future__ import annotations

from django.db import models


class WorkerBeat(models.Model):
    """A background worker (`pamong worker`) saying it is alive: written between tasks, read by pages that wait on
    background work (a payroll run computing) to tell "in progress" from "nobody is working on it"."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class Notification(models.Model):
    """A message to one user in the app (an appeal filed, an SKP to agree, a decision made): shown on their
    dashboard until read. Written through pamong.core.notify."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=500)
    link = models.CharField(max_length=300, blank=True)  # a path inside the app
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("user", "read_at"))]
