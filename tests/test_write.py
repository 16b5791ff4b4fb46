"""The atomic swap of output/: one exchange where Linux has it, two renames elsewhere."""

from jikim import write


def _tree(folder, text):
    folder.mkdir()
    (folder / "index.html").write_text(text)


def test_the_swap_exchanges_the_folders(tmp_path):
    out, stage = tmp_path / "output", tmp_path / "stage"
    _tree(out, "old")
    _tree(stage, "new")
    write.swap_in(stage, out)
    assert (out / "index.html").read_text() == "new" and not stage.exists()


def test_without_renameat2_the_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    """macOS has no renameat2: the swap must still happen, not crash."""
    monkeypatch.setattr(write, "_renameat2", lambda: None)
    out, stage = tmp_path / "output", tmp_path / "stage"
    _tree(out, "old")
    _tree(stage, "new")
    write.swap_in(stage, out)
    assert (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]


def test_importing_the_writer_loads_no_c_library():
    import importlib
    write._renameat2.cache_clear()
    importlib.reload(write)
    assert write._renameat2.cache_info().currsize == 0
