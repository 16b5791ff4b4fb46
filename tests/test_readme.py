"""The README stays true: the two commands first, every command, option and block kind, every output."""

import re

from conftest import ROOT

from jikim.cli import parser
from jikim.lessons import BLOCK_ARGS
from jikim.kinds import OUTPUT_KINDS

PATHS = {kind.name: kind.path for kind in OUTPUT_KINDS}

README = (ROOT / "README.md").read_text()


def test_the_two_setup_commands_come_first():
    commands = re.findall(r"^\s+(make \w+)", README, re.M)
    assert commands[:2] == ["make build", "make test"]


def test_every_command_and_option_is_documented():
    p = parser()
    for command in p._actions[1].choices:
        assert f"build.py {command}" in README or (command == "build" and "python build.py " in README), command
    for action in p._actions:
        for option in action.option_strings:
            if option.startswith("--") and action.help != "==SUPPRESS==" and option not in ("--help", "--version", "--root"):
                assert option in README, option


def test_every_block_kind_is_documented():
    for kind in BLOCK_ARGS:
        assert f"`::: {kind}" in README, kind


def test_every_output_path_is_documented():
    for kind, path in PATHS.items():
        shown = path.replace("{lang}", "L").replace("{audience}", "A").replace("{lesson}", "X")
        assert f"output/{shown}" in README or f"`{shown.split('/')[-1]}`" in README or shown in README, kind


def test_every_course_yaml_key_is_documented():
    from jikim.config import KEYS
    table = README[README.index("| key in `course.yaml` |"):]
    for level, keys in KEYS.items():
        for key in keys:
            shown = f"`school.{key}`" if level == "school" else f"`{key}`"
            assert shown in table, f"{level} key '{key}' is not in README's course.yaml table"
