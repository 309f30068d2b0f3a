"""``timeline rename-tag OLD NEW``: one tag renamed in every event that has it, each file
otherwise kept byte for byte (comments, key order, quoting, line endings)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from generator.content.model import slugify
from generator.content.rewrite import RewriteError, rename_tag
from generator.errors import SiteError
from generator.sources.collect import event_paths
from generator.sources.lock import write_atomic

TagRenamed = Callable[[Path, str, str, list[str]], None]
TAG_RENAMED: list[TagRenamed] = []
"""Called after a rename with (site, old, new, files changed): the hook where an alias or
redirect page from the old tag's URL to the new one is to be added. None is built here."""


def _same(a: str, b: str) -> bool:
    """Two spellings of one tag share one tag page: the same slug."""
    return slugify(a) == slugify(b)


def rename_tag_in_site(site: Path, old: str, new: str, out: TextIO | None = None) -> int:
    """Rename tag ``old`` (any spelling with its slug) to ``new``; print each file changed."""
    out = out or sys.stdout
    for name, tag in (("OLD", old), ("NEW", new)):
        if not slugify(tag):
            raise SiteError.one("rename-tag", None, name, f"'{tag}' gives no usable tag URL")
    if not (site / "content" / "events").is_dir():
        raise SiteError.one("content/events", None, None, f"not found in {site}")
    changed: list[str] = []
    failed = 0
    for path in event_paths(site):
        rel = path.relative_to(site).as_posix()
        raw = path.read_bytes()
        try:
            text = rename_tag(raw.decode("utf-8"), old, new, _same)
        except (UnicodeDecodeError, RewriteError) as exc:
            if slugify(old).encode() in raw.lower():  # only files that may have the tag
                print(f"{rel}: not changed: {exc}", file=sys.stderr)
                failed += 1
            continue
        if text is not None:
            write_atomic(path, text.encode("utf-8"))
            changed.append(rel)
            print(rel, file=out)
    for hook in TAG_RENAMED:
        hook(site, old, new, changed)
    count = len(changed)
    print(f"renamed '{old}' to '{new}' in {count} event{'s' * (count != 1)}", file=out)
    return 1 if failed else 0
