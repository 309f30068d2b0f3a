"""What to write instead, for the YAML mistakes editors make most.

The parser's own words ("mapping values are not allowed in this context") name a rule of
YAML, not the fix. For an unquoted colon, a quote that closes too early, a tab, a list item
without ``- `` and a key without a space after its colon, we say what to write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = r"(?P<lead>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w-]*)"
_NO_SPACE = re.compile(_KEY + r":(?P<value>[^\s/].*)$")
_PAIR = re.compile(_KEY + r":[ ]+(?P<value>\S.*?)\s*$")


@dataclass(frozen=True)
class Hint:
    """A fix for one line of the front-matter (0-based within the YAML text)."""

    line: int
    field: str | None
    message: str


def quoted(text: str) -> str:
    """The text as a YAML quoted scalar: double quotes unless it holds one."""
    if '"' not in text:
        return '"' + text.replace("\\", "\\\\") + '"'
    return "'" + text.replace("'", "''") + "'"


def _parent_key(lines: list[str], index: int, indent: int) -> str | None:
    """The key of the list or mapping that line ``index`` (indented ``indent``) sits in."""
    for line in reversed(lines[:index]):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if len(line) - len(stripped) < indent:
            match = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):", line)
            return match.group(1) if match else None
    return None


def _in_list(lines: list[str], index: int, indent: int) -> bool:
    """Is there a ``- `` item at this indentation just above line ``index``?"""
    for line in reversed(lines[:index]):
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        depth = len(line) - len(stripped)
        if depth < indent:
            return False
        if depth == indent:
            return stripped.startswith("- ") or stripped == "-"
    return False


def _line_hint(lines: list[str], index: int, problem: str) -> Hint | None:
    line = lines[index]
    if "\t" in line[:len(line) - len(line.lstrip())] or "tab" in problem and "\t" in line:
        named = re.match(r"\s*(?:-\s+)?([A-Za-z_][\w-]*):", line)
        field = named.group(1) if named else _parent_key(lines, index, len(line) - len(
            line.lstrip()))
        return Hint(index, field, "a tab cannot indent YAML: indent with spaces "
                    "(2 per level, as the lines above)")
    match = _NO_SPACE.match(line)
    if match and not match["value"].startswith(("//", ":")):
        key, value = match["key"], match["value"].strip()
        return Hint(index, key, f"a space must follow ':': {key}: {value}")
    match = _PAIR.match(line)
    if match:
        key, value = match["key"], match["value"]
        first = value[0]
        if first in "\"'" and not (len(value) > 1 and value.endswith(first)
                                   and first not in value[1:-1].replace(first * 2, "")):
            text = value[1:-1] if len(value) > 1 and value.endswith(first) else value
            return Hint(index, key, f"a value that starts with a quote must be quoted "
                        f"whole: {key}: {quoted(text)}")
        if first not in "\"'[{|>&*!" and (": " in value or value.endswith(":")):
            return Hint(index, key, f"a ':' inside a value needs quotes: {key}: "
                        f"{quoted(value)}")
    stripped = line.lstrip(" ")
    indent = len(line) - len(stripped)
    if indent and stripped and not stripped.startswith(("- ", "#")) \
            and _in_list(lines, index, indent):
        field = _parent_key(lines, index, indent)
        item = stripped.rstrip()
        item = item[1:] if item.startswith("-") else item  # '-publisher: b'
        return Hint(index, field, f"a list item starts with '- ': write \"{' ' * indent}- "
                    f"{item}\"")
    return None


def yaml_hint(yaml_text: str, problem: str, problem_line: int | None,
              context_line: int | None) -> Hint | None:
    """A fix for the error the parser met at ``problem_line`` (0-based), if we know one."""
    lines = yaml_text.split("\n")
    candidates = [n for n in (problem_line, context_line,
                              None if problem_line is None else problem_line - 1)
                  if n is not None and 0 <= n < len(lines)]
    for index in dict.fromkeys(candidates):
        hint = _line_hint(lines, index, problem)
        if hint is not None:
            return hint
    return None
