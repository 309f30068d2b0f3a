"""Every file a build reads is an input of the build state: an edit to any one kind of input
alone (labels, a site catalog, eras, the sources lock, an event, a template, a static file)
makes a warm build, on disk and in ``serve``'s memory, byte for byte a ``--no-cache`` one."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import build_site
from generator.incremental.memory import MemoryState
from generator.output.manifest import MANIFEST

from conftest import MakeSite, event_file, tree_hash

CONFIG = ('title = "Inputs"\nbase_url = "https://i.example/"\nlanguages = ["en", "ko"]\n'
          'description = "Every input counts."\n')
URL = "https://example.org/report"
LOCK = {"version": 1, "links": {URL: {"status": "ok", "code": 200,
                                      "checked_at": "2026-11-30T08:15:00Z"}}}
PO = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
      'msgid "Sources"\nmsgstr "자료"\n')


def _files() -> dict[str, str]:
    return {
        "content/events/a.md": event_file("A", "2017-09-11", tags="[sanctions, trade]",
                                          extra="places: [New York]\n"),
        "content/events/a.ko.md": "---\ntitle: 가\nsummary: 요약.\n---\n본문.\n",
        "content/events/b.md": event_file("B", "2018-02-01", tags="[trade]"),
        "content/labels.ko.yaml": "sanctions: 제재\nNew York: 뉴욕\n",
        "content/eras.yaml": '- title: "First era"\n  start: "2017-01-01"\n  end: "2018-12-31"\n',
        "content/sources.lock.json": json.dumps(LOCK, indent=1) + "\n",
        "locales/ko/LC_MESSAGES/messages.po": PO,
        "templates/README.md": "Overrides go here.\n",
        "static/robots.txt": "User-agent: *\n",
    }


def _replace(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("labels", lambda s: _replace(s, "content/labels.ko.yaml", "제재", "경제 제재")),
    ("labels added", lambda s: _replace(s, "content/labels.ko.yaml", "뉴욕\n",
                                        "뉴욕\ntrade: 무역\n")),
    ("catalog", lambda s: _replace(s, "locales/ko/LC_MESSAGES/messages.po", "자료", "출전")),
    ("eras", lambda s: _replace(s, "content/eras.yaml", "First era", "An era renamed")),
    ("lock", lambda s: _replace(s, "content/sources.lock.json", '"ok"', '"gone"')),
    ("event", lambda s: _replace(s, "content/events/b.md", "title: \"B\"", "title: \"B2\"")),
    ("static", lambda s: _replace(s, "static/robots.txt", "*", "bot")),
]


def _cold(site: Path, out: Path, **settings: object) -> dict[str, str]:
    if out.exists():
        shutil.rmtree(out)
    build_site(site, out, use_cache=False, **settings)  # type: ignore[arg-type]
    found = tree_hash(out)
    found.pop(MANIFEST, None)
    return found


@pytest.mark.parametrize("name, edit", EDITS, ids=[name for name, _ in EDITS])
def test_a_warm_build_after_one_input_changed_equals_a_cold_one(
        make_site: MakeSite, tmp_path: Path, name: str, edit: Callable[[Path], None]) -> None:
    site = make_site(_files(), CONFIG)
    build_site(site)
    before = tree_hash(site / "site")
    edit(site)
    build_site(site)
    warm = tree_hash(site / "site")
    warm.pop(MANIFEST, None)
    assert warm == _cold(site, tmp_path / "cold"), name
    assert warm != {k: v for k, v in before.items() if k != MANIFEST}, name


@pytest.mark.parametrize("name, edit", EDITS, ids=[name for name, _ in EDITS])
def test_serve_after_one_input_changed_equals_a_cold_build(
        make_site: MakeSite, tmp_path: Path, name: str, edit: Callable[[Path], None]) -> None:
    base = "http://127.0.0.1:8000/"
    site = make_site(_files(), CONFIG)
    state = MemoryState(site, site / "out", True, base)
    build_site(site, state.output, drafts=True, base_url=base, state=state)
    edit(site)
    state.notice(path for path in site.rglob("*") if path.is_file())  # as the watcher does
    build_site(site, state.output, drafts=True, base_url=base, state=state)
    hashed = {rel: hashlib.sha256(data if isinstance(data, bytes) else b"".join(data))
              .hexdigest() for rel, data in state.site_files.items()}
    hashed.pop(MANIFEST, None)
    assert hashed == _cold(site, tmp_path / "cold", drafts=True, base_url=base), name
