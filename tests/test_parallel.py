"""Work units for the parallel renderer: packs keep their handouts, pages come after files."""

from jikim.parallel import units
from jikim.plan import Artifact


def test_units_put_a_pack_with_its_handouts_and_pages_last():
    artifacts = [Artifact(kind, "ko", audience, lesson)
                 for audience in ("middle", "high") for lesson in ("a", "b")
                 for kind in ("page", "deck", "slides", "handout", "guide", "handout-docx")]
    artifacts += [Artifact("pack", "ko", "middle"), Artifact("audience-index", "ko", "middle"), Artifact("root-index")]
    files, pages = units(artifacts)
    pack = next(u for u in files if any(a.kind == "pack" for a in u))
    assert {(a.kind, a.lesson) for a in pack} == {("pack", ""), ("handout", "a"), ("handout", "b")}
    assert all(len(u) == 1 for u in files if u is not pack), "every other file is a unit of its own"
    assert {a.kind for u in pages for a in u} == {"page", "audience-index", "root-index"}
    assert any(a.kind == "deck" for u in files for a in u), "a deck is a download whose size pages show"
    assert sorted(map(repr, (a for u in files + pages for a in u))) == sorted(map(repr, artifacts)), \
        "nothing lost, nothing twice"
    assert files[0] is pack and files[1][0].kind == "guide", "the longest work starts first"


def test_fewer_collections_restores_the_collector():
    import gc

    from jikim.parallel import fewer_collections
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] > before[0]
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
