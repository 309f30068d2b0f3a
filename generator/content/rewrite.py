"""Edit one value in an event file's front-matter and leave every other byte as it was.

Dumping YAML again would lose comments, key order, quoting and line endings that editors
chose; so we compose the YAML only to learn where each node lies in the text, and splice
the new text in there. Pure functions on text: callers read and write the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from generator.content.header import split


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: its marks count characters (libyaml's may count bytes)."""


class RewriteError(ValueError):
    """The edit cannot be made without touching more than the value (the reason says why),
    with the line of the file it is about when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class _Front:
    bom: str
    text: str  # without the BOM
    base: int  # offset of the YAML text in ``text``
    root: yaml.MappingNode


def _front(text: str) -> _Front:
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    parts = split("", body)
    if not isinstance(parts, tuple):
        raise RewriteError(parts.message, parts.line)
    yaml_text, first_line = parts[0], parts[1]
    base = 0
    for _ in range(first_line - 1):
        base = body.index("\n", base) + 1
    node = _compose(yaml_text, first_line)
    if not isinstance(node, yaml.MappingNode):
        raise RewriteError("front-matter is not fields (key: value)", first_line)
    return _Front(bom, body, base, node)


def _get(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = None
    for key_node, value_node in mapping.value:  # the last one wins, as when loading
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = value_node
    return found


def _newline(text: str, at: int) -> str:
    end = text.find("\n", at)
    if end == -1:
        end = text.rfind("\n")
    return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"


_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9:/?#@!$&'()*+;=%._~-]*")
"""Safe unquoted in block and flow context alike: no flow indicators, no spaces."""


def scalar(value: str, flow: bool = False, style: str = "") -> str:
    """YAML for a string that reads back as exactly ``value``: plain when that is safe
    (in the quoting style the editor used, if any), else double-quoted."""
    if style == "'" and "\n" not in value and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style != '"' and _PLAIN.fullmatch(value) \
            and ": " not in value and " #" not in value and not value.endswith(":"):
        probe = f"[{value}]" if flow else f"- {value}"  # read back where it will stand
        try:
            loaded = yaml.load(probe, Loader=_Loader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            loaded = None
        if loaded == [value]:
            return value
    return json.dumps(value)  # a JSON string is a YAML double-quoted scalar


def _line_end(text: str, at: int) -> int:
    """Offset just past the line break ending the line that holds ``at`` (or the end)."""
    end = text.find("\n", at)
    return len(text) if end == -1 else end + 1


def _last_end(node: yaml.Node) -> int:
    """Where a value's own text ends: a block collection's end mark lies at the next token,
    which may be lines further on."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return _last_end(node.value[-1])
    return int(node.end_mark.index)


def _is_block_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def _replace(front: _Front, node: yaml.Node, new: str) -> str:
    start = front.base + node.start_mark.index
    end = front.base + node.end_mark.index
    return front.bom + front.text[:start] + new + front.text[end:]


def set_source_field(text: str, index: int, name: str, value: str) -> str:
    """Set ``sources[index].name`` to ``value``: the value replaced if the field is there,
    else a line added after the source's last field (or ``, name: value`` in ``{...}``)."""
    front = _front(text)
    sources = _get(front.root, "sources")
    if not isinstance(sources, yaml.SequenceNode) or not 0 <= index < len(sources.value):
        raise RewriteError(f"sources[{index}] not found")
    item = sources.value[index]
    if not isinstance(item, yaml.MappingNode):
        raise RewriteError(f"sources[{index}] is a short citation: write it as fields "
                           "(publisher:, url:) to add more")
    old = _get(item, name)
    if old is not None:
        if not isinstance(old, yaml.ScalarNode):
            raise RewriteError(f"sources[{index}].{name} is not a single value")
        flow = bool(item.flow_style) or bool(sources.flow_style)
        start = front.base + old.start_mark.index
        tail = _newline(front.text, start) if _is_block_scalar(old) else ""  # its span
        return _replace(front, old, scalar(value, flow) + tail)  # ends at the next line
    body = front.text
    if not item.value:
        raise RewriteError(f"sources[{index}] has no fields")
    if item.flow_style:  # `{publisher: X, url: Y}`: added right after the last value, so
        # that a comment or line break before the closing brace stays where it is
        at = front.base + int(item.value[-1][1].end_mark.index)
        new = f", {name}: {scalar(value, flow=True)}"
        return front.bom + body[:at] + new + body[at:]
    first_key = item.value[0][0]
    column = first_key.start_mark.column
    last_key, last_value = item.value[-1]
    if _is_block_scalar(last_value) and len(item.value) > 1:
        # Before a `quote: |` that ends the mapping: after it, the new line would give the
        # text a line break it did not have when it ended the front-matter.
        at = body.rfind("\n", 0, front.base + last_key.start_mark.index) + 1
        end = at
    else:
        end = front.base + _last_end(last_value)
        line_start = body.rfind("\n", 0, end) + 1
        at = line_start if not body[line_start:end].strip() else _line_end(body, end)
    nl = _newline(body, max(end - 1, 0))
    line = f"{' ' * column}{name}: {scalar(value)}"
    if at == len(body) and not body.endswith("\n"):
        line = nl + line
    else:
        line += nl
    return front.bom + body[:at] + line + body[at:]


def _block_item_span(body: str, start: int, end: int, block: bool = False
                     ) -> tuple[int, int]:
    """The whole line(s) of a block list item ``- value``; a block scalar (``- |``) ends
    where its end mark is, at the start of the next line."""
    line_start = body.rfind("\n", 0, start) + 1
    if body[line_start:start].strip() != "-":
        raise RewriteError("a tag shares its line with another value",
                           body.count("\n", 0, start) + 1)
    return line_start, end if block else _line_end(body, end)


def _removals(front: _Front, seq: yaml.SequenceNode, removed: set[int]
              ) -> list[tuple[int, int]]:
    """Spans to cut so that the items in ``removed`` go and a valid list stays."""
    base, body, items = front.base, front.text, seq.value
    if not seq.flow_style:
        return [_block_item_span(body, base + items[i].start_mark.index,
                                 base + items[i].end_mark.index, _is_block_scalar(items[i]))
                for i in sorted(removed)]
    last = len(items) - 1
    kept = [i for i in range(len(items)) if i not in removed]
    if last in removed:  # `, b, c` after the last item kept
        k = max(kept)
        spans = [(base + items[k].end_mark.index, base + items[last].end_mark.index)]
        return spans + [(base + items[i].start_mark.index, base + items[i + 1].start_mark.index)
                        for i in sorted(removed) if i < k]
    return [(base + items[i].start_mark.index, base + items[i + 1].start_mark.index)
            for i in sorted(removed)]


def tags_of(text: str) -> list[str]:
    """The tags of an event file's front-matter, as written."""
    tags = _get(_front(text).root, "tags")
    if not isinstance(tags, yaml.SequenceNode):
        return []
    return [n.value for n in tags.value if isinstance(n, yaml.ScalarNode)]


def rename_tag(text: str, old: str, new: str, same: Callable[[str, str], bool] | None = None
               ) -> str | None:
    """The text with tag ``old`` renamed ``new`` (dropped where ``new`` is there already),
    or None when nothing changes. ``same(a, b)`` says whether two tags are one tag (by
    default, when their text is equal). A tag written as a block scalar (``- |``) becomes
    one plain line; its indented lines go with it."""
    front = _front(text)
    tags = _get(front.root, "tags")
    if not isinstance(tags, yaml.SequenceNode):
        return None
    equal = same or (lambda a, b: a == b)
    values = [n.value if isinstance(n, yaml.ScalarNode) else None for n in tags.value]
    hits = [i for i, v in enumerate(values) if v is not None and v != new and equal(v, old)]
    if not hits:
        return None
    there = [i for i, v in enumerate(values)
             if v is not None and i not in hits and (v == new or equal(v, new))]
    edits: list[tuple[int, int, str]] = []
    removed = set(hits)
    if not there:  # the first one is renamed, any other spelling of it goes
        first = tags.value[hits[0]]
        removed.discard(hits[0])
        start = front.base + first.start_mark.index
        end = front.base + first.end_mark.index
        style = getattr(first, "style", "") or ""
        flow = bool(tags.flow_style)
        new_text = scalar(new, flow, style)
        if _is_block_scalar(first):  # its span ends at the start of the next line
            new_text = scalar(new, flow) + _newline(front.text, start)
        edits.append((start, end, new_text))
    edits += [(start, end, "") for start, end in _removals(front, tags, removed)]
    out = front.text
    for start, end, replacement in sorted(edits, reverse=True):
        out = out[:start] + replacement + out[end:]
    return front.bom + out


def _compose(text: str, first_line: int) -> yaml.Node | None:
    """The YAML node tree of ``text``, whose first line is ``first_line`` of its file."""
    try:
        loader = _Loader(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RewriteError(f"invalid YAML: {getattr(exc, 'problem', None) or exc}",
                           None if mark is None else first_line + mark.line) from None
    return node


def _mapping(text: str) -> yaml.MappingNode | None:
    """The top-level mapping of a YAML file (None when the file is empty)."""
    node = _compose(text, 1)
    if node is None:
        return None
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise RewriteError("expected lines of `name: value`", 1)
    return node


def _scalar_pairs(node: yaml.MappingNode | None) -> list[tuple[yaml.ScalarNode,
                                                                 yaml.ScalarNode]]:
    return [(k, v) for k, v in (node.value if node else [])
            if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)]


def rename_key(text: str, old: str, new: str, same: Callable[[str, str], bool],
               values: bool = False) -> str | None:
    """A YAML mapping file (``labels.ko.yaml``) with key ``old`` renamed ``new`` (or, with
    ``values``, each value ``old``); None when nothing changes or ``new`` is a key already
    (its own label is kept)."""
    pairs = _scalar_pairs(_mapping(text))
    if not values and any(k.value == new or (same(k.value, new) and not same(k.value, old))
                          for k, _ in pairs):
        return None
    nodes = [v if values else k for k, v in pairs]
    hits = [n for n in nodes if n.value != new and same(n.value, old)
            and not _is_block_scalar(n)]
    for node in sorted(hits, key=lambda n: -int(n.start_mark.index)):
        start, end = int(node.start_mark.index), int(node.end_mark.index)
        text = text[:start] + scalar(new, style=node.style or "") + text[end:]
    return text if hits else None


def set_key(text: str, key: str, value: str, same: Callable[[str, str], bool]) -> str:
    """A YAML mapping file with ``key: value``: the value replaced where the key is, else a
    line added at the end."""
    pairs = _scalar_pairs(_mapping(text))
    for k, v in pairs:
        if same(k.value, key):
            if _is_block_scalar(v):
                raise RewriteError(f"'{k.value}' has a block value: edit it by hand",
                                   k.start_mark.line + 1)
            start, end = int(v.start_mark.index), int(v.end_mark.index)
            return text[:start] + scalar(value, style=v.style or "") + text[end:]
    nl = _newline(text, 0) if "\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += nl
    return text + f"{scalar(key)}: {scalar(value)}{nl}"
