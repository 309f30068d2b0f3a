"""``rename-tag``: every spelling of a tag renamed, other files and bytes left alone."""

from __future__ import annotations

import io

import pytest

from generator.dev.tags import TAG_RENAMED, rename_tag_in_site
from generator.errors import SiteError

from conftest import MakeSite, event_file


def test_rename_every_spelling(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("A", tags="[Trade War, other]"),
        "content/events/b.md": event_file("B", tags="[trade-war]").replace("\n", "\r\n"),
        "content/events/c.md": event_file("C", tags="[other]")})
    c_before = (site / "content/events/c.md").read_bytes()
    out = io.StringIO()
    seen: list[tuple[str, str, list[str]]] = []
    TAG_RENAMED.append(lambda _site, old, new, files: seen.append((old, new, files)))
    try:
        assert rename_tag_in_site(site, "trade war", "Trade", out) == 0
    finally:
        TAG_RENAMED.pop()
    assert out.getvalue().splitlines() == [
        "content/events/a.md", "content/events/b.md", "renamed 'trade war' to 'Trade' in 2 "
        "events"]
    assert "tags: [Trade, other]\n" in (site / "content/events/a.md").read_text("utf-8")
    assert b"tags: [Trade]\r\n" in (site / "content/events/b.md").read_bytes()
    assert (site / "content/events/c.md").read_bytes() == c_before
    assert seen == [("trade war", "Trade", ["content/events/a.md", "content/events/b.md"])]


def test_refusals(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    with pytest.raises(SiteError) as caught:
        rename_tag_in_site(site, "alpha", "!!")
    assert str(caught.value) == "rename-tag: NEW: '!!' gives no usable tag URL"
    with pytest.raises(SiteError) as caught:
        rename_tag_in_site(site / "nowhere", "a", "b")
    assert str(caught.value) == f"content/events: not found in {site / 'nowhere'}"


def test_a_file_that_cannot_be_rewritten_is_named(make_site: MakeSite,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": "---\ntitle: A\ntags: [alpha\n---\n",
                      "content/events/b.md": event_file("B")})
    out = io.StringIO()
    assert rename_tag_in_site(site, "alpha", "beta", out) == 1
    err = capsys.readouterr().err
    assert err.startswith("content/events/a.md: not changed: ")
    assert out.getvalue().splitlines() == ["content/events/b.md",
                                           "renamed 'alpha' to 'beta' in 1 event"]
