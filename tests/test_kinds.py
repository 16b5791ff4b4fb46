"""The tables of kinds.py: the plan they drive, each row checked, and no kind named elsewhere."""

import json
from pathlib import Path

from jikim.datapack import pack_path
from jikim.overrides import PACKAGE_TEMPLATES
from jikim.pipeline import Options, load
from jikim.plan import HTML_KINDS, Selection, plan

ROOT = Path(__file__).resolve().parent.parent


def test_the_default_course_plans_the_same_artifacts_as_before_the_tables():
    """tests/fixtures/plan-default.json: plan() of the default course before kinds.py existed."""
    expected = json.loads((ROOT / "tests/fixtures/plan-default.json").read_text())
    loaded = load(Options(root=ROOT))
    for name, selection in (("all", Selection()), ("pages", Selection(kinds=HTML_KINDS))):
        found = plan(loaded.course, loaded.lessons, pack_path(loaded.course), selection, "a4", [PACKAGE_TEMPLATES])
        assert [[a.kind, a.path] for a in found] == expected[name]
