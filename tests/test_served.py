"""Finding a requested file in the site kept in memory, or in a folder, the same way."""

from __future__ import annotations

from pathlib import Path

from generator.dev.served import Found, folder_lookup, memory_lookup, missing_page, url_parts

SITE = {"index.html": b"<p>home</p>", "events/a/index.html": b"<p>a</p>",
        "events.json": [b"[", memoryview(b"1,2"), b"]"], "404.html": b"<p>gone</p>"}


def test_url_parts_refuse_what_could_leave_the_site() -> None:
    assert url_parts("/events/a/") == ["events", "a"]
    for bad in ["/../x", "/a/./b", "/a\\b", "/a\x00"]:
        assert url_parts(bad) is None, bad


def test_memory_lookup_finds_files_folders_and_the_404_page() -> None:
    lookup = memory_lookup(lambda: SITE)
    assert lookup("/") == Found(b"<p>home</p>", "index.html", "index.html")
    assert lookup("/events/a/") == Found(b"<p>a</p>", "index.html", "events/a/index.html")
    assert lookup("/events/a") == Found(redirect=True)
    assert lookup("/events.json").body == SITE["events.json"]
    assert lookup("/../secret") == Found(forbidden=True)
    missing = lookup("/events/b/")
    assert missing.body is None and missing_page(missing) == b"<p>gone</p>"


def test_memory_lookup_before_any_good_build() -> None:
    found = memory_lookup(dict)("/")
    assert found.body is None and not found.built


def test_folder_lookup_answers_as_the_memory_one(tmp_path: Path) -> None:
    for rel, data in SITE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data if isinstance(data, bytes) else b"".join(data))
    on_disk, in_memory = folder_lookup(tmp_path), memory_lookup(lambda: SITE)
    for path in ["/", "/events/a/", "/events/a", "/../x"]:
        found = in_memory(path)
        assert on_disk(path) == Found(found.body, found.name, "", found.redirect,
                                      found.forbidden), path
    assert missing_page(on_disk("/nope")) == b"<p>gone</p>"
    assert not folder_lookup(tmp_path / "never-built")("/").built
