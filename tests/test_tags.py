"""``rename-tag``: every spelling of a tag renamed, other files and bytes left alone."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.dev.tags import TAG_RENAMED, rename_tag_in_site
from generator.errors import SiteError

from conftest import CONFIG, MakeSite, event_file, parse_html, tree_hash


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
        "content/events/a.md", "content/events/b.md", "content/renamed-tags.yaml",
        "renamed 'trade war' to 'Trade' in 2 events"]
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
    assert err == ("content/events/a.md:3: tags: not changed: invalid YAML: expected ',' or "
                   "']', but got '<stream end>'\n")
    assert out.getvalue().splitlines() == ["content/events/b.md", "content/renamed-tags.yaml",
                                           "renamed 'alpha' to 'beta' in 1 event"]


BLOCK = ("---\ntitle: B\ndate: 2017\ntags:\n  - |\n    seafood\n  - >-\n    fish\n    eries\n"
         "  - other   # kept\nsources:\n  - publisher: P\n    url: https://example.org/\n---\nx\n")


@pytest.mark.parametrize(("old", "new", "tags"), [
    ("seafood", "food", "  - food\n  - >-\n    fish\n    eries\n  - other   # kept\n"),
    ("fish eries", "fish", "  - |\n    seafood\n  - fish\n  - other   # kept\n"),
    ("fish eries", "other", "  - |\n    seafood\n  - other   # kept\n"),
])
def test_tags_written_as_block_scalars(make_site: MakeSite, old: str, new: str,
                                       tags: str) -> None:
    site = make_site({"content/events/b.md": BLOCK})
    assert rename_tag_in_site(site, old, new, io.StringIO()) == 0
    text = (site / "content/events/b.md").read_text("utf-8")
    assert text == BLOCK.replace(BLOCK[BLOCK.index("  - |"):BLOCK.index("sources:")], tags)
    assert main(["check", str(site)]) == 0


def test_a_tag_nobody_uses_exits_1(make_site: MakeSite,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A")})
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert main(["rename-tag", "nobody", "beta", str(site)]) == 1
    assert capsys.readouterr().err == ("rename-tag: OLD: no event has the tag 'nobody': "
                                       "nothing renamed\n")
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_dry_run_prints_the_diff_and_writes_nothing(make_site: MakeSite,
                                                    capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood]"),
                      "content/labels.ko.yaml": "seafood: 해산물\r\n"})
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert main(["rename-tag", "seafood", "fisheries", str(site), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert "-tags: [seafood]\n+tags: [fisheries]\n" in out
    assert "--- a/content/renamed-tags.yaml\n" in out and "+seafood: fisheries\n" in out
    assert "-seafood: 해산물\r\n+fisheries: 해산물\r\n" in out
    assert out.endswith("would rename 'seafood' to 'fisheries' in 1 event (--dry-run: "
                        "nothing written)\n")


def test_old_tag_page_redirects_and_label_follows(make_site: MakeSite, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood, other]"),
                      "content/events/b.md": event_file("B", "2018", tags="[Seafood]"),
                      "content/labels.ko.yaml": "# Korean\nseafood: 해산물\nother: 기타\n"},
                     config=CONFIG + 'languages = ["en", "ko"]\n')
    assert main(["rename-tag", "seafood", "fisheries", str(site)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "content/events/a.md", "content/events/b.md", "content/renamed-tags.yaml",
        "content/labels.ko.yaml", "renamed 'seafood' to 'fisheries' in 2 events"]
    assert (site / "content/labels.ko.yaml").read_text("utf-8") == (
        "# Korean\nfisheries: 해산물\nother: 기타\n")
    assert main(["rename-tag", "fisheries", "Fish and seafood", str(site)]) == 0
    moved = (site / "content/renamed-tags.yaml").read_text("utf-8")
    assert moved.endswith("seafood: \"Fish and seafood\"\nfisheries: \"Fish and seafood\"\n")
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "-q"]) == 0
    for prefix in ("", "ko/"):
        for old in ("seafood", "fisheries"):
            page = parse_html(out / f"{prefix}tags/{old}/index.html")
            assert page.xpath("//meta[@http-equiv='refresh']/@content") == [
                f"0; url=../../{'../' if prefix else ''}{prefix}tags/fish-and-seafood/"]
    assert (out / "ko/tags/fish-and-seafood/index.html").is_file()
    lines = (out / "_redirects").read_text("utf-8").splitlines()
    assert "/tl/tags/seafood/ /tl/tags/fish-and-seafood/ 301" in lines
    assert "/tl/ko/tags/fisheries/ /tl/ko/tags/fish-and-seafood/ 301" in lines
    # The old tag used again: its own page wins, the redirect goes quietly.
    (site / "content/events/c.md").write_text(event_file("C", "2019", tags="[seafood]"))
    assert main(["build", str(site), "-o", str(out), "-q"]) == 0
    assert parse_html(out / "tags/seafood/index.html").xpath("//h1")


def test_a_read_only_event_is_named_and_left(make_site: MakeSite,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood]"),
                      "content/events/b.md": event_file("B", tags="[seafood]")})
    locked = site / "content/events/a.md"
    before = locked.read_bytes()
    locked.chmod(0o444)
    assert main(["rename-tag", "seafood", "fish", str(site)]) == 1
    assert capsys.readouterr().err == ("content/events/a.md: is read-only: not rewritten "
                                       "(make it writable to let this command change it)\n")
    assert locked.read_bytes() == before
    assert "tags: [fish]" in (site / "content/events/b.md").read_text("utf-8")


def test_a_redirect_to_a_tag_nobody_has_is_a_warning(make_site: MakeSite, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood]"),
                      "content/labels.ko.yaml": "seafood: 해산물\nfish: 생선\n"})
    assert main(["rename-tag", "seafood", "fish", str(site)]) == 0
    # The new tag had a label of its own: kept, and the old one left for the editor.
    assert (site / "content/labels.ko.yaml").read_text("utf-8") == "seafood: 해산물\nfish: 생선\n"
    (site / "content/events/a.md").write_text(event_file("A", tags="[other]"), "utf-8")
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(tmp_path / "out")]) == 0
    assert ("content/renamed-tags.yaml: warning: seafood: no event has the tag 'fish': "
            "/tags/seafood/ is not redirected") in capsys.readouterr().err.splitlines()
    assert not (tmp_path / "out/tags/seafood").exists()


def test_a_warm_build_after_a_rename_equals_a_cold_one(make_site: MakeSite, tmp_path: Path
                                                       ) -> None:
    """``content/renamed-tags.yaml`` is an input of the build state like any content file:
    written, changed or removed alone, the warm build equals ``--no-cache``."""
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood, other]"),
                      "content/events/b.md": event_file("B", "2018", tags="[other]")})
    assert main(["build", str(site), "-q"]) == 0
    moved = site / "content/renamed-tags.yaml"
    for edit in (lambda: main(["rename-tag", "seafood", "fish", str(site)]),
                 lambda: moved.write_text("seafood: other\n", "utf-8"),
                 lambda: moved.unlink()):
        edit()
        assert main(["build", str(site), "-q"]) == 0
        cold = tmp_path / "cold"
        assert main(["build", str(site), "-q", "--no-cache", "-o", str(cold)]) == 0
        assert tree_hash(site / "site") == tree_hash(cold)
        shutil.rmtree(cold)
    assert not (site / "site/tags/seafood").exists()


def test_a_new_spelling_of_the_same_tag_keeps_its_label_and_needs_no_redirect(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[seafood]"),
                      "content/labels.ko.yaml": "seafood: 해산물\n"})
    assert main(["rename-tag", "seafood", "Seafood", str(site)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "content/events/a.md", "content/labels.ko.yaml", "renamed 'seafood' to 'Seafood' in "
        "1 event"]  # one tag page: nothing to redirect
    assert (site / "content/labels.ko.yaml").read_text("utf-8") == "Seafood: 해산물\n"
    assert not (site / "content/renamed-tags.yaml").exists()
