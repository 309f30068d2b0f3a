"""``check`` is ``build`` with another target: on the same sites it reports exactly the
problems a build reports (every warning, or the errors that stop it), in the same order,
besides what only a check looks at (sources' advice)."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build import build_site, load_site, render_site
from generator.check import check_site
from generator.errors import Problem, SiteError
from generator.sources.advice import source_warnings

from conftest import CONFIG, MakeSite, event_file, tree_hash

REPO = Path(__file__).resolve().parent.parent
TWO = CONFIG + 'languages = ["en", "ko"]\n'
LABELS = "alpha: 알파\nSeoul: 서울\n"


def reported_by_build(site: Path, output: Path) -> list[Problem]:
    """What ``timeline build --drafts`` prints: its warnings, or the errors that stopped it."""
    try:
        return build_site(site, output, drafts=True).warnings
    except SiteError as exc:
        return exc.problems


def assert_check_reports_what_build_reports(site: Path, output: Path) -> list[str]:
    """Check first (it must need no build before it), then build into ``output``."""
    before = tree_hash(site)
    checked = [str(p) for p in check_site(site)]
    assert tree_hash(site) == before  # a check writes nothing, a cache neither
    built = reported_by_build(site, output)
    assert len(set(built)) == len(built)  # each problem once
    advice = source_warnings(site)  # a check's own: a build does not look at sources
    assert checked == [str(p) for p in sorted({*built, *advice}, key=Problem.sort_key)]
    return checked


def test_the_real_site(tmp_path: Path) -> None:
    site = tmp_path / "real"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "timeline.toml", site)
    checked = assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert checked and all(": warning: " in line for line in checked)
    assert (tmp_path / "out" / "ko" / "index.html").is_file()


def test_a_site_with_warnings(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file("A", tags="[]"),
                      "content/events/b.md": event_file("B", sources="sources: "
                                                        "[https://example.org/b]\n")},
                     config=CONFIG.replace('"https://example.org/tl/"', '""'))
    checked = assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert "content/events/a.md:4: warning: tags: no tags: readers find events by tag" \
        in checked
    assert any(line.startswith("timeline.toml: warning: base_url:") for line in checked)


def test_a_site_with_errors(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file("A", date="2017-02-30"),
                      "content/events/b.md": event_file("B", sources=""),
                      "content/events/c.md": event_file("C", tags="[]")})
    checked = assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert checked[0] == "content/events/a.md:3: date: no such day 2017-02-30"
    assert any(line.startswith("content/events/b.md") and "sources" in line
               for line in checked)
    assert not (tmp_path / "out").exists()


def test_a_bilingual_site(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra="places: [Seoul]\n"),
                      "content/events/a.ko.md": "---\ntitle: 가\n---\n무슨 일.\n",
                      "content/labels.ko.yaml": LABELS,
                      "content/pages/about.md": "---\ntitle: About\n---\nUs.\n"},
                     config=TWO)
    assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert (tmp_path / "out" / "ko" / "events" / "a" / "index.html").is_file()


def test_a_page_a_template_cannot_render_is_found_beside_a_warning(
        make_site: MakeSite, tmp_path: Path) -> None:
    """A warning does not stop a check before the pages are made: what stops the build
    stops the check."""
    site = make_site({"content/events/a.md": event_file("A", tags="[]"),
                      "templates/404.html": "<p>\n{{ missing_name }}\n</p>\n"})
    checked = assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert checked == ["templates/404.html:2: template error while rendering 404.html: "
                       "'missing_name' is undefined"]


def test_a_page_named_like_a_language_beside_a_warning(make_site: MakeSite,
                                                      tmp_path: Path) -> None:
    """The output table is asked by a check too, whatever else it found."""
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/pages/ko.md": "---\ntitle: Korea\n---\nAbout Korea.\n",
                      "content/labels.ko.yaml": "alpha: 알파\n"},
                     config=TWO.replace('"https://example.org/tl/"', '""'))
    checked = assert_check_reports_what_build_reports(site, tmp_path / "out")
    assert checked[0] == ("ko/index.html: output: made by both content/pages/ko.md and "
                          "the home page (ko)")
    assert [line.split(":")[0] for line in checked[1:]] == ["timeline.toml"]


def test_render_site_is_the_build_in_memory(make_site: MakeSite, tmp_path: Path) -> None:
    """Tests and benches read the very files a build writes, from memory."""
    site = make_site({"content/events/a.md": event_file("A"),
                      "content/events/a.ko.md": "---\ntitle: 가\n---\n무슨 일.\n",
                      "content/labels.ko.yaml": LABELS}, config=TWO)
    files = render_site(site, drafts=True)
    assert not (site / "site").exists()  # nothing written but compiled templates, as serve
    build_site(site, tmp_path / "out", drafts=True)
    written = {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
               for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert files == {rel: data for rel, data in written.items()
                     if rel != ".timeline-manifest.json"}
    config, timeline, problems = load_site(site)
    assert [e.slug for e in timeline.events] == ["a"] and problems == []
    assert config.language == "en"


def test_labels_a_language_lacks_are_a_checks_own(make_site: MakeSite, tmp_path: Path
                                                   ) -> None:
    """Besides sources' advice, a check alone warns about what a language has no label for
    (README: Languages): a build of the same site is the same but for those lines."""
    from generator.site.languages import unlabelled

    site = make_site({"content/events/a.md": event_file("A", tags="[alpha, beta]"),
                      "content/labels.ko.yaml": "alpha: 알파\ngone: 사라짐\n"}, config=TWO)
    checked = [str(p) for p in check_site(site)]
    config, timeline, _ = load_site(site, drafts=True)
    own = unlabelled(site, timeline, config)
    assert [str(p) for p in own] == [
        "content/labels.ko.yaml: warning: beta: the tag has no ko label: its /ko/ pages show "
        "it as written",
        "content/labels.ko.yaml: warning: gone: no event has this tag or place: a label left "
        "over (renamed? rename-tag carries it)"]
    built = reported_by_build(site, tmp_path / "out")
    assert checked == [str(p) for p in sorted({*built, *own, *source_warnings(site)},
                                              key=Problem.sort_key)]


def test_the_caller_orders_the_pages_and_is_told_each_file(make_site: MakeSite) -> None:
    """``serve``'s wishes are arguments: the pages come in the order it asks, and it hears
    of each file once the target holds it, before the next is made."""
    from generator.incremental.memory import MemoryState
    from generator.site.plan import PageJob

    site = make_site({f"content/events/e{n}.md": event_file(f"E{n}", f"200{n}")
                      for n in range(4)})
    kept = MemoryState(site, site / "site", True, None)
    wanted = ["events/e3/index.html", "events/e1/index.html"]
    told: list[str] = []

    def order(todo: list[PageJob]) -> list[PageJob]:
        return sorted(todo, key=lambda job: (job.path not in wanted,
                                             wanted.index(job.path) if job.path in wanted
                                             else 0))

    def hear(rel: str) -> None:
        assert rel in kept.next_files  # in memory already
        told.append(rel)

    build_site(site, drafts=True, state=kept, target="memory", order=order, told=hear)
    assert sorted(told) == sorted(kept.site_files) and len(told) == len(set(told))
    pages = [rel for rel in told if rel.endswith(".html") and rel.startswith("events/e")]
    assert pages[:2] == wanted
