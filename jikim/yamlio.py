"""YAML with line numbers: every key path maps to the line it was written on."""

from __future__ import annotations

import re

import yaml

#: Limits that no real course file comes near; each guards a way to crash or exhaust the build.
MAX_DEPTH = 20  # mappings and lists inside each other
MAX_FILE_BYTES = 4 * 1024 * 1024  # course.yaml, a data pack
MAX_NUMBER_DIGITS = 30  # int("1" * 5000) raises; no count or date needs more than a few digits
#: Characters that XML (Word, the PDFs' text) cannot hold, or that no text file should: C0
#: controls but tab and line breaks, DEL, lone surrogates and U+FFFE/U+FFFF.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
#: Line breaks and controls: a one-line field (a name, a title) holding one could forge a line
#: of the parent letter's text.
LINE_BREAKS = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
#: A bound on nesting that is cheap to compute before parsing: libyaml's composer recurses in
#: C and segfaults on a few thousand `[`. Above it, the pure-Python parser (which raises) is used.
_NESTING_MARKS = re.compile(r"[\[{]|(?:^|\s)[-?:](?=\s|$)")


class YamlError(Exception):
    """args: (line, message)."""


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed
    """Safe YAML that keeps dates as text, so our own checks can name a bad one."""


class SlowLoader(yaml.SafeLoader):
    """The same in pure Python: its recursion raises instead of overflowing the C stack."""


for _loader in (Loader, SlowLoader):
    _loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def read_source(path) -> str:
    """A YAML file's text; its size asked of the file system before it is read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlError(0, f"the file is {size / 1024 / 1024:.1f} MB; it may be at most "
                        f"{MAX_FILE_BYTES // 1024 // 1024} MB")
    return path.read_text(encoding="utf-8-sig")


def forbidden_char(text: str) -> str | None:
    """'U+0007' for the first character no text may hold, or None."""
    found = FORBIDDEN_CHARS.search(text)
    return f"U+{ord(found[0]):04X}" if found else None


def _nesting_bound(text: str) -> tuple[int, int]:
    """An upper bound of how deep `text` nests, counted without parsing it, and its line (0-based)."""
    depth = bound = where = 0
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip(" ")
        marks = len(_NESTING_MARKS.findall(stripped))
        depth = max(depth + stripped.count("[") + stripped.count("{") - stripped.count("]") - stripped.count("}"), 0)
        if len(line) - len(stripped) + marks + depth > bound:
            bound, where = len(line) - len(stripped) + marks + depth, number
    return bound, where


def _walk(root, lines: dict) -> None:
    """Record each key path's line; refuse aliases, deep nesting, huge numbers, control characters."""
    seen: set[int] = set()
    todo = [(root, (), 1)]
    while todo:
        node, path, depth = todo.pop()
        line = node.start_mark.line + 1
        if id(node) in seen:
            raise YamlError(line, "anchors and aliases (&name, *name) are not allowed here — write the value out")
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise YamlError(line, f"the values here are nested more than {MAX_DEPTH} levels deep — flatten them")
        lines.setdefault(path, line)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                _scalar(key)
                child = path + (key.value,) if isinstance(key, yaml.ScalarNode) else path + (None,)
                lines[child] = key.start_mark.line + 1
                todo.append((value, child, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((item, path + (index,), depth + 1) for index, item in enumerate(node.value))
        else:
            _scalar(node)


def _scalar(node) -> None:
    if not isinstance(node, yaml.ScalarNode):
        raise YamlError(node.start_mark.line + 1, "a key must be plain text — write it as a word")
    line = node.start_mark.line + 1
    bad = forbidden_char(node.value)
    if bad:
        raise YamlError(line, f"this value holds the control character {bad} — remove it")
    if node.tag == "tag:yaml.org,2002:int" and len(node.value) > MAX_NUMBER_DIGITS:
        raise YamlError(line, f"this number has {len(node.value)} characters; a number here has at most "
                        f"{MAX_NUMBER_DIGITS} — write a real value, or quote it if it is text")


def parse(text: str, first_line: int = 1):
    """Return (data, lines) or raise YamlError(line, message)."""
    bad = forbidden_char(text)
    if bad:
        line = text[:FORBIDDEN_CHARS.search(text).start()].count("\n") + first_line
        raise YamlError(line, f"this line holds the control character {bad} — remove it")
    bound, deepest = _nesting_bound(text)
    loader_class = Loader if bound <= 4 * MAX_DEPTH else SlowLoader
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            lines: dict = {}
            if node is not None:
                _walk(node, lines)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        flow = exc.context_mark and "flow" in (exc.context or "") or "quoted" in (exc.context or "")
        mark = exc.context_mark if flow else (exc.problem_mark or exc.context_mark)
        line = (mark.line if mark else 0) + first_line
        raise YamlError(line, f"YAML syntax: {exc.problem or exc} — check the indentation and quotes") from None
    except YamlError as exc:
        raise YamlError(exc.args[0] + first_line - 1, exc.args[1]) from None
    except RecursionError:
        raise YamlError(first_line + deepest, f"the values are nested too deeply (at most {MAX_DEPTH} levels) "
                        "— flatten them") from None
    except (yaml.YAMLError, ValueError) as exc:
        raise YamlError(first_line, f"YAML syntax: {exc}") from None
    shifted = {path: line + first_line - 1 for path, line in lines.items()}
    return data, shifted


def line_of(lines: dict, *path, default: int = 1) -> int:
    """The line of the longest known prefix of `path`."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), default)
