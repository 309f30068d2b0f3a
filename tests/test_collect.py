"""The links of every event file, with their lines, read without building."""

from __future__ import annotations

from generator.sources.collect import Link, collect, event_paths, read_event_file

from conftest import MakeSite, event_file


def test_event_paths_in_order_without_hidden(make_site: MakeSite) -> None:
    site = make_site({"content/events/b.md": "", "content/events/a/z.md": "",
                      "content/events/.x/y.md": "", "content/events/.h.md": "",
                      "content/events/n.txt": ""})
    assert [p.relative_to(site).as_posix() for p in event_paths(site)] == [
        "content/events/a/z.md", "content/events/b.md"]
    assert event_paths(site / "nowhere") == []


def test_links_with_lines(make_site: MakeSite) -> None:
    sources = ("sources:\n  - https://short.test/a\n  - publisher: P\n"
               "    url: https://p.test/x\n    archived: https://web.archive.org/web/1/x\n"
               "    published: 2017-10-03\n  - publisher: No link\n")
    site = make_site({"content/events/a.md": event_file("A", sources=sources),
                      "content/events/broken.md": "no front-matter"})
    files = collect(site)
    assert [f.path for f in files] == ["content/events/a.md"]
    file = files[0]
    assert file.links == (
        Link("content/events/a.md", 0, "url", 6, "https://short.test/a", "", "", "2017-09-11",
             short=True),
        Link("content/events/a.md", 1, "url", 8, "https://p.test/x",
             "https://web.archive.org/web/1/x", "2017-10-03", "2017-09-11"),
        Link("content/events/a.md", 1, "archived", 9, "https://web.archive.org/web/1/x", "",
             "2017-10-03", "2017-09-11"))
    assert file.undated == ((0, 6), (2, 11))
    assert file.links[1].where == "content/events/a.md:8: sources[1].url"
    assert file.links[0].is_web and not Link("p", 0, "url", None, "mailto:a@b.test", "", "",
                                             "").is_web
    assert read_event_file(site, site / "content/events/broken.md") is None
