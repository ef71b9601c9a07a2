import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import ValidationFailed
from pamong.org.models import Unit
from pamong.org.services import unit_update
from tests import factories as f


@pytest.fixture
def tree(db):
    dinas = f.unit("Dinas", code="D")
    bidang = f.unit("Bidang", parent=dinas, kind="bidang", code="D1")
    seksi = f.unit("Seksi", parent=bidang, kind="seksi", code="D11")
    other = f.unit("Badan", code="B")
    return dinas, bidang, seksi, other


def test_children_take_the_path_and_opd_of_their_parent(tree):
    dinas, bidang, seksi, _ = tree
    assert seksi.path.startswith(bidang.path) and bidang.path.startswith(dinas.path)
    assert (bidang.opd_id, seksi.opd_id) == (dinas.pk, dinas.pk)


def test_moving_a_unit_moves_its_subtree_and_audits_it(tree):
    dinas, bidang, seksi, other = tree
    unit_update(actor=None, unit=bidang, parent=other, reason="Perwali SOTK 2026")
    bidang, seksi = Unit.objects.get(pk=bidang.pk), Unit.objects.get(pk=seksi.pk)
    assert seksi.path.startswith(other.path) and seksi.path.startswith(bidang.path)
    assert (bidang.opd_id, seksi.opd_id) == (other.pk, other.pk)
    ev = AuditEvent.objects.filter(action="unit.updated").get()
    assert ev.changes["parent"] == [dinas.pk, other.pk] and ev.reason == "Perwali SOTK 2026"


def test_a_bidang_that_becomes_an_opd_takes_its_subtree_with_it(tree):
    _, bidang, seksi, _ = tree
    unit_update(actor=None, unit=bidang, kind="opd")
    assert Unit.objects.get(pk=seksi.pk).opd_id == bidang.pk


def test_a_unit_cannot_move_under_its_own_subtree(tree):
    _, bidang, seksi, _ = tree
    with pytest.raises(ValidationFailed):
        unit_update(actor=None, unit=bidang, parent=seksi)
