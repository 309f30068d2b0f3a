"""Split an event file into YAML front-matter and Markdown body, keeping real line numbers.

python-frontmatter splits and parses in one go and loses where each field was written, and
PyYAML's errors name no file; editors need ``path:line: field``. So we split here and compose
the YAML ourselves with the safe loader, then map every value back to its line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.content.yamlhints import yaml_hint
from generator.errors import Problem
from generator.symlinks import INPUT_LIMIT

MAX_FILE_BYTES = 1_000_000
"""Far above any real event; stops a pasted dump from stalling every build."""

MAX_DEPTH = 20
"""Lists and fields nested deeper than this are refused: an event needs three levels
(``sources[0].url``), and each level costs every later stage a recursive call."""

Key = tuple[str | int, ...]


def field_name(key: Key) -> str:
    """A key as messages name the field: ``('sources', 0, 'url')`` is ``sources[0].url``."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key).lstrip(".")


_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as the text the editor wrote (they are EDTF, not YAML)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value YAML's own conversion cannot make (``!!float x``, ``!!bool maybe``) is a YAML
        error at its line, not an exception from deep inside the loader."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value as its type ({exc})",
                node.start_mark) from None


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | str:
    """A YAML integer; one too long for Python to read or print (4,300 digits: YAML's own
    conversion raises, or ``str`` of it later would) stays the text written, which the field
    that holds it then refuses as it refuses any text where a number belongs."""
    try:
        value: int = loader.construct_yaml_int(node)
    except ValueError:
        return str(node.value)
    return value if value.bit_length() < 13_000 else str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_OPENER = re.compile(r"---[ \t]*\r?$")
_CLOSER = re.compile(r"(---|\.\.\.)[ \t]*\r?$")


@dataclass
class FrontMatter:
    """Parsed front-matter: values, and for each value its line and the text as written."""

    path: str
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[Key, int] = field(default_factory=dict)
    raw: dict[Key, str] = field(default_factory=dict)
    plain: set[Key] = field(default_factory=set)

    def line(self, key: Key) -> int | None:
        """Return the file line of a value, or of its nearest enclosing value."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), None)


def decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is allowed), naming the byte offset of the first bad byte."""
    if len(raw) > MAX_FILE_BYTES:
        size = f"over {INPUT_LIMIT // 1_000_000}" if len(raw) > INPUT_LIMIT \
            else f"{len(raw) / 1_000_000:.1f}"  # read only that far (read_regular)
        return None, [Problem(path, None, None,
                              f"file is {size} MB; an event file may be at most 1 MB")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = f"0x{raw[exc.start]:02x}"
        return None, [Problem(path, line, None,
                              f"not valid UTF-8: byte {byte} at offset {exc.start}")]


def split(path: str, text: str) -> tuple[str, int, str, int] | Problem:
    """Return (yaml text, its first line, body, body's first line) or the problem."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start == len(lines) or not _OPENER.match(lines[start]):
        return Problem(path, start + 1 if start < len(lines) else 1, None,
                       "no front-matter: an event starts with a line '---', then fields, "
                       "then '---'")
    for end in range(start + 1, len(lines)):
        if _CLOSER.match(lines[end]):
            yaml_text = "\n".join(lines[start + 1:end])
            body = "\n".join(lines[end + 1:])
            return yaml_text, start + 2, body, end + 2
    return Problem(path, start + 1, None,
                   "front-matter is never closed: add a line '---' after the last field")


def _walk(fm: FrontMatter, node: yaml.Node, key: Key, first_line: int,
          seen: set[int], problems: list[Problem]) -> bool:
    """Record lines and raw text; refuse aliases (they make YAML bombs) and note duplicates."""
    if id(node) in seen:  # an alias: its node is the anchor's, so name where it is used
        problems.append(Problem(fm.path, fm.line(key) or first_line + node.start_mark.line,
                                str(key[0]) if key else None,
                                "YAML anchors and aliases (&name, *name) are not supported"))
        return False
    seen.add(id(node))
    fm.lines[key] = first_line + node.start_mark.line
    if len(key) > MAX_DEPTH:
        problems.append(Problem(fm.path, first_line + node.start_mark.line,
                                str(key[0]) if key else None,
                                f"nested more than {MAX_DEPTH} levels deep"))
        return False
    if isinstance(node, yaml.ScalarNode):
        fm.raw[key] = node.value
        if not node.style:  # None in PyYAML, '' in libyaml: a plain, unquoted scalar
            fm.plain.add(key)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if not _walk(fm, item, (*key, index), first_line, seen, problems):
                return False
    elif isinstance(node, yaml.MappingNode):
        names: set[str] = set()
        for key_node, value_node in node.value:
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            if name in names:
                problems.append(Problem(fm.path, first_line + key_node.start_mark.line,
                                        ".".join(map(str, (*key, name))),
                                        "duplicate key: the last value wins", "warning"))
            names.add(name)
            fm.lines[(*key, name)] = first_line + key_node.start_mark.line
            if not _walk(fm, value_node, (*key, name), first_line, seen, problems):
                return False
            fm.lines[(*key, name)] = first_line + key_node.start_mark.line
    return True


def _yaml_problem(path: str, first_line: int, exc: yaml.YAMLError,
                  yaml_text: str = "") -> Problem:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    mark = problem_mark or context_mark
    line = first_line + mark.line if mark is not None else first_line - 1
    problem = str(getattr(exc, "problem", None) or exc)
    if isinstance(exc, yaml.MarkedYAMLError) and mark is not None:
        hint = yaml_hint(yaml_text, problem, mark.line,
                         context_mark.line if context_mark is not None else None)
        if hint is not None:
            return Problem(path, first_line + hint.line, hint.field, hint.message)
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in problem:
        tag = re.search(r"'([^']+)'", problem)
        name = (tag.group(1) if tag else "").replace("tag:yaml.org,2002:", "!!")
        return Problem(path, line, None,
                       f"YAML tag {name} is not allowed: front-matter is plain data")
    context = getattr(exc, "context", None)
    if context and context_mark is not None and context_mark is not mark:
        context = f"{context} (line {first_line + context_mark.line})"
    message = f"{context}: {problem}" if context else problem
    return Problem(path, line, None, f"invalid YAML: {message}")


def _load(fm: FrontMatter, yaml_text: str, first_line: int, root: Key
          ) -> tuple[Any, list[Problem]]:
    """Compose, check and construct one YAML document; ``root`` prefixes every key."""
    problems: list[Problem] = []
    try:
        loader = _Loader(yaml_text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None, []
            if not _walk(fm, node, root, first_line, set(), problems):
                return None, problems
            return loader.construct_document(node), problems
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(fm.path, first_line, exc, yaml_text)]
    except RecursionError:
        return None, [Problem(fm.path, first_line, None, "YAML is nested too deeply")]


def parse(path: str, text: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Split and parse one event or page file; return the front-matter or the problems."""
    parts = split(path, text)
    if isinstance(parts, Problem):
        return None, [parts]
    yaml_text, first_line, body, body_line = parts
    fm = FrontMatter(path, {}, body, body_line)
    data, problems = _load(fm, yaml_text, first_line, ())
    if any(p.severity == "error" for p in problems):
        return None, problems
    if data is None:
        return None, [Problem(path, first_line - 1, None,
                              "front-matter is empty: add title, date and sources")]
    if not isinstance(data, dict):
        return None, [Problem(path, first_line, None,
                              f"front-matter must be fields (key: value), not {_kind(data)}")]
    fm.data = {str(k): v for k, v in data.items()}
    return fm, problems


def parse_document(path: str, text: str, root: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse a whole YAML file (such as ``eras.yaml``) as the value of field ``root``."""
    fm = FrontMatter(path, {}, "", 0)
    data, problems = _load(fm, text, 1, (root,))
    if any(p.severity == "error" for p in problems):
        return None, problems
    if isinstance(data, dict) and list(data) == [root] and isinstance(data[root], list | None):
        data = _unwrapped(fm, root, data[root])
    fm.data = {root: data}
    return fm, problems


def _unwrapped(fm: FrontMatter, root: str, items: list[Any] | None) -> list[Any] | None:
    """A list file written as a mapping of its one name (``eras:`` then the list, the form
    a browser editor saves) read as the list itself, lines and texts kept per item."""
    def moved(key: Key) -> Key:
        return (root, *key[2:]) if key[:2] == (root, root) else key

    fm.lines = {moved(k): line for k, line in fm.lines.items()}
    fm.raw = {moved(k): text for k, text in fm.raw.items()}
    fm.plain = {moved(k) for k in fm.plain}
    return items


def _kind(value: Any) -> str:
    names: dict[type, str] = {list: "a list", str: "text"}
    return names.get(type(value), type(value).__name__)
