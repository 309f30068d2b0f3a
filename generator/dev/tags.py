"""``timeline rename-tag OLD NEW``: one tag renamed in every event that has it, each file
otherwise kept byte for byte (comments, key order, quoting, line endings), its label in
``content/labels.<lang>.yaml`` carried over, and its old page redirected to the new one
(``content/renamed-tags.yaml``, which the build reads)."""

from __future__ import annotations

import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from generator.content.editing import EditError, edit_file, read_original
from generator.content.model import slugify
from generator.content.rewrite import RewriteError, rename_key, rename_tag, set_key, tags_of
from generator.content.tagmoves import RENAMED_TAGS, RENAMED_TAGS_HEAD
from generator.errors import SiteError
from generator.sources.collect import event_paths

TagRenamed = Callable[[Path, str, str, list[str]], None]
TAG_RENAMED: list[TagRenamed] = []
"""Called after a rename with (site, old, new, files changed)."""


def _same(a: str, b: str) -> bool:
    """Two spellings of one tag share one tag page: the same slug."""
    return slugify(a) == slugify(b)


def _edits(site: Path, old: str, new: str, err: TextIO
           ) -> tuple[list[tuple[Path, Callable[[str], str | None]]], int, int]:
    """Each file to change and how; how many files that may hold the tag cannot be; and
    how many have it."""
    edits: list[tuple[Path, Callable[[str], str | None]]] = []
    failed = used = 0

    def change(text: str) -> str | None:
        return rename_tag(text, old, new, _same)

    for path in event_paths(site):
        rel = path.relative_to(site).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            print(f"{rel}: not read: {exc.strerror or exc}", file=err)
            failed += 1
            continue
        try:
            text = raw.decode("utf-8")
            used += any(_same(tag, old) for tag in tags_of(text))
            if change(text) is not None:
                edits.append((path, change))
        except (UnicodeDecodeError, RewriteError) as exc:
            if slugify(old).encode() in raw.lower():  # only files that may have the tag
                where = f"{rel}:{exc.line}" if isinstance(exc, RewriteError) and exc.line \
                    else rel
                print(f"{where}: tags: not changed: {exc}", file=err)
                failed += 1
    return edits, failed, used


def _label_edits(site: Path, old: str, new: str
                 ) -> list[tuple[Path, Callable[[str], str | None]]]:
    """The tag's key renamed in each ``content/labels.<lang>.yaml`` that has it."""
    def change(text: str) -> str | None:
        return rename_key(text, old, new, _same)

    return [(path, change) for path in sorted((site / "content").glob("labels.*.yaml"))
            if path.is_file() and not path.is_symlink()]


def _redirect_edit(old: str, new: str) -> Callable[[str], str | None]:
    """``old: new`` in ``content/renamed-tags.yaml``; an earlier rename to ``old`` now
    leads to ``new`` too, so no redirect ends on a page that is gone."""
    def change(text: str) -> str | None:
        text = text or RENAMED_TAGS_HEAD
        text = set_key(text, old, new, _same)
        return rename_key(text, old, new, _same, values=True) or text
    return change


def rename_tag_in_site(site: Path, old: str, new: str, out: TextIO | None = None,
                       dry_run: bool = False) -> int:
    """Rename tag ``old`` (any spelling with its slug) to ``new``; print each file changed
    (with ``dry_run``, the diff of each, and write nothing). 1 when no event has the tag or
    a file that has it cannot be changed."""
    out = out or sys.stdout
    for name, tag in (("OLD", old), ("NEW", new)):
        if not slugify(tag):
            raise SiteError.one("rename-tag", None, name, f"'{tag}' gives no usable tag URL")
    if not (site / "content" / "events").is_dir():
        raise SiteError.one("content/events", None, None, f"not found in {site}")
    edits, failed, used = _edits(site, old, new, sys.stderr)
    if not used and not failed:
        print(f"rename-tag: OLD: no event has the tag '{old}': nothing renamed",
              file=sys.stderr)
        return 1
    events = len(edits)
    if edits and not _same(old, new):
        edits += [(site / "content" / RENAMED_TAGS, _redirect_edit(old, new))]
    edits += _label_edits(site, old, new)
    changed: list[str] = []
    for path, change in edits:
        rel = path.relative_to(site).as_posix()
        try:
            if dry_run:
                original = read_original(path, rel, create=True)
                after = change(original.text())
                if after is not None and after != original.text():
                    out.writelines(difflib.unified_diff(
                        original.raw.decode("utf-8").splitlines(True),
                        original.encode(after).decode("utf-8").splitlines(True),
                        f"a/{rel}", f"b/{rel}"))
                continue
            if edit_file(path, change, rel, create=True) is not None:
                changed.append(rel)
                print(rel, file=out)
        except EditError as exc:
            print(exc, file=sys.stderr)
            failed += 1
        except RewriteError as exc:
            print(f"{rel}:{exc.line}: not changed: {exc}" if exc.line
                  else f"{rel}: not changed: {exc}", file=sys.stderr)
            failed += 1
    if dry_run:
        print(f"would rename '{old}' to '{new}' in {events} event{'s' * (events != 1)} "
              "(--dry-run: nothing written)", file=out)
        return 1 if failed else 0
    for hook in TAG_RENAMED:
        hook(site, old, new, [c for c in changed if c.startswith("content/events/")])
    count = sum(c.startswith("content/events/") for c in changed)
    print(f"renamed '{old}' to '{new}' in {count} event{'s' * (count != 1)}", file=out)
    return 1 if failed else 0
