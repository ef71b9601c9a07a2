from pamong.performance.models import SkpState


def test_the_shared_chain_builds_agreed_cascading_skps(perf):
    skps = perf.chain()
    assert all(s.state == SkpState.AGREED for s in skps.values())
    assert skps["staff"].penilai_id == perf.city.kabid.pk
    assert skps["staff"].atasan_penilai_id == perf.city.head.pk
    assert skps["kabid"].penilai_id == perf.city.head.pk and skps["kabid"].atasan_penilai_id is None
    assert skps["head"].penilai_id is None
    assert skps["staff"].results.get().supports.skp == skps["kabid"]
