"""Row history by database triggers (django-pghistory) on PostgreSQL: it catches even bulk updates."""

import pytest
from django.db import connection

from pamong.people.models import Employee

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="pghistory triggers exist on PostgreSQL")


def test_queryset_update_is_recorded_by_the_trigger(city):
    events = Employee.pgh_event_model.objects.filter(pgh_obj_id=city.staff.pk)
    before = events.count()
    Employee.objects.filter(pk=city.staff.pk).update(phone="0811")  # bypasses services and signals
    assert events.count() == before + 1
    assert events.order_by("-pgh_id").first().phone == "0811"
