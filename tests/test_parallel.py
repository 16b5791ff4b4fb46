"""Work units for the parallel renderer: packs keep their handouts, the longest work starts first."""

from jikim.parallel import units
from jikim.plan import Artifact


def test_units_put_a_pack_with_its_handouts_and_start_the_longest_first():
    artifacts = [Artifact(kind, "ko", audience, lesson)
                 for audience in ("middle", "high") for lesson in ("a", "b")
                 for kind in ("deck", "slides", "handout", "guide", "handout-docx")]
    artifacts += [Artifact("pack", "ko", "middle"), Artifact("letter", "ko", "middle")]
    found = units(artifacts)
    pack = next(u for u in found if any(a.kind == "pack" for a in u))
    assert {(a.kind, a.lesson) for a in pack} == {("pack", ""), ("handout", "a"), ("handout", "b")}
    assert all(len(u) == 1 for u in found if u is not pack), "every other artifact is a unit of its own"
    assert sorted(map(repr, (a for u in found for a in u))) == sorted(map(repr, artifacts)), \
        "nothing lost, nothing twice"
    assert found[0] is pack and found[1][0].kind == "guide", "the longest work starts first"
    assert found[-1][0].kind == "deck", "a page costs least"


def test_fewer_collections_restores_the_collector():
    import gc

    from jikim.parallel import fewer_collections
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
