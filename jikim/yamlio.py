"""YAML with line numbers: every key path maps to the line it was written on."""

from __future__ import annotations

import yaml


class YamlError(Exception):
    """args: (line, message)."""


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed
    """Safe YAML that keeps dates as text, so our own checks can name a bad one."""


Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(node, path: tuple, lines: dict) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            _walk(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines)


def parse(text: str, first_line: int = 1):
    """Return (data, lines) or raise YamlError(line, message)."""
    try:
        loader = Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        flow = exc.context_mark and "flow" in (exc.context or "") or "quoted" in (exc.context or "")
        mark = exc.context_mark if flow else (exc.problem_mark or exc.context_mark)
        line = (mark.line if mark else 0) + first_line
        raise YamlError(line, f"YAML syntax: {exc.problem or exc} — check the indentation and quotes") from None
    except yaml.YAMLError as exc:
        raise YamlError(first_line, f"YAML syntax: {exc}") from None
    lines: dict = {}
    if node is not None:
        _walk(node, (), lines)
    shifted = {path: line + first_line - 1 for path, line in lines.items()}
    return data, shifted


def line_of(lines: dict, *path, default: int = 1) -> int:
    """The line of the longest known prefix of `path`."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), default)
