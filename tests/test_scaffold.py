"""``timeline init`` and ``timeline new``: what they write, and that it builds and publishes
nothing the editor did not mean to."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import frontmatter
import pytest
import yaml

from generator.check import check_site
from generator.cli import main
from generator.site.theme import theme_dir

from conftest import MakeSite, parse_html


def test_init_site_has_no_address_and_build_says_so(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "mysite"
    assert main(["init", str(site)]) == 0
    config = tomllib.loads((site / "timeline.toml").read_text("utf-8"))
    assert config["base_url"] == ""
    assert (site / "README.md").is_file()  # the README the TOML comment points at
    assert "README.md beside this file" in (site / "timeline.toml").read_text("utf-8")
    capsys.readouterr()
    assert main(["build", str(site), "-q"]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/events/2024-01-01-first-event.md:14: warning: body: placeholder 'TODO: this "
        "example shows the fields of an event. Write a…': write the event's account "
        "before publishing",
        "timeline.toml: warning: base_url: empty: permalinks, the feed, the sitemap and embed "
        "codes need the address where the site is published"]
    published = {p.relative_to(site / "site").as_posix() for p in (site / "site").rglob("*")}
    assert not [p for p in published if "README" in p or p.startswith(".git")]
    assert main(["build", str(site), "-q", "--base-url", "https://me.github.io/tl/"]) == 0
    assert "base_url" not in capsys.readouterr().err


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site ``timeline init`` wrote (it packs the tool's wheel: a process), for the tests
    that only read what it wrote."""
    site = tmp_path_factory.mktemp("init") / "s"
    assert main(["init", str(site)]) == 0
    return site


def test_init_templates_readme_names_no_machine_path_and_theme_prints_it(
        initialised: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The README is committed: it names a command, not this machine's folder."""
    site = initialised
    text = (site / "templates" / "README.md").read_text("utf-8")
    assert str(site.anchor + "work") not in text and str(theme_dir()) not in text
    assert "`timeline theme`" in text
    capsys.readouterr()
    assert main(["theme"]) == 0
    folder = Path(capsys.readouterr().out.strip())
    assert folder == theme_dir() / "templates" and (folder / "event.html").is_file()


def test_init_writes_ci_workflow_and_netlify_config(initialised: Path) -> None:
    """CI installs the wheel the site carries, under the pinned libraries, on the Python
    that made the site; never a name from an index."""
    import sys

    from generator import __version__
    from generator.dev.pin import INSTALL

    site = initialised
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    workflow = yaml.safe_load((site / ".github/workflows/timeline.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == [INSTALL, "timeline build --publish"]
    assert INSTALL == ("python -m pip install --constraint .timeline/constraints.txt "
                       ".timeline/timeline_generator-*.whl")
    assert [w.name for w in (site / ".timeline").glob("timeline_generator-*.whl")] == [
        f"timeline_generator-{__version__}-py3-none-any.whl"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == python
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert cache["with"]["path"].split() == [".timeline-cache", "site"]
    names = [s.get("uses") or s.get("run") for s in steps]
    assert names.index(cache["uses"]) < names.index("timeline build --publish")
    assert next(s for s in steps if s.get("uses", "").startswith(
        "actions/upload-pages-artifact"))["with"]["path"] == "site"
    assert workflow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    netlify = tomllib.loads((site / "netlify.toml").read_text("utf-8"))
    assert netlify == {"build": {"command": f"{INSTALL} && timeline build --publish",
                                 "publish": "site",
                                 "environment": {"PYTHON_VERSION": python}}}


def test_new_with_every_option_builds(make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["new", "Factory opens", "--date", "2020-05-01", "--end", "2020-05-03",
                 "--tag", "economy", "--tag", "Kaesong zone", "--place", "Kaesong",
                 "--status", "confirmed", "--summary", "The first  factory opens.",
                 "--source", "https://www.example.com/story", str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    post = frontmatter.loads(path.read_text("utf-8"))
    assert post.metadata == {
        "title": "Factory opens", "date": "2020-05-01", "end": "2020-05-03",
        "status": "confirmed", "summary": "The first factory opens.",
        "tags": ["economy", "Kaesong zone"], "places": ["Kaesong"],
        "sources": [{"publisher": "example.com", "url": "https://www.example.com/story"}]}
    assert main(["build", str(site), "-q"]) == 0
    assert (site / "site" / "tags" / "kaesong-zone" / "index.html").is_file()


def test_new_with_the_options_an_editor_used_to_hugo_looks_for(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["new", "Factory opens", "--date", "2020-05", "--end", "..", "--slug",
                 "factory-opens", "--featured", "--publisher", "Example Daily", "--published",
                 "2020-05-02", "--body", "The factory opened.\n\nIt *employs* 300.",
                 "--tag", "economy", "--source", "https://www.example.com/story",
                 str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    assert path == site / "content/events/factory-opens.md"
    post = frontmatter.loads(path.read_text("utf-8"))
    assert post.metadata == {
        "title": "Factory opens", "date": "2020-05/..", "tags": ["economy"], "featured": True,
        "sources": [{"publisher": "Example Daily", "url": "https://www.example.com/story",
                     "published": "2020-05-02"}]}
    assert post.content == "The factory opened.\n\nIt *employs* 300."
    assert main(["new", "Held back", "--date", "2021", "--draft", "--source",
                 "https://www.example.com/b", str(site)]) == 0
    held = Path(capsys.readouterr().out.strip())
    assert frontmatter.loads(held.read_text("utf-8"))["draft"] is True
    out = tmp_path / "out"
    assert main(["build", str(site), "-o", str(out), "-q"]) == 0
    data = json.loads((out / "events.json").read_text("utf-8"))["events"]
    assert [(e["slug"], e["date"], e["latest"], e["featured"], e["status"]) for e in data] == [
        ("factory-opens", "2020-05/..", None, True, "reported")]
    page = parse_html(out / "events/factory-opens/index.html")
    assert page.cssselect(".body em")[0].text_content() == "employs"
    capsys.readouterr()
    assert main(["new", "Bad", "--date", "2020", "--slug", "Not A Slug", str(site)]) == 1
    assert capsys.readouterr().err == ("--slug: slug: 'Not A Slug' is not a slug: use a-z, "
                                       "0-9 and single hyphens, like kaesong-closes\n")


def test_new_writes_no_empty_fields_and_its_placeholder_warns(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    assert main(["new", "Unsourced", "--date", "2020", str(site)]) == 0
    path = Path(capsys.readouterr().out.strip())
    text = path.read_text("utf-8")
    assert "summary" not in text and "tags" not in text and "places" not in text
    rel = path.relative_to(site).as_posix()
    # A draft: its placeholders cannot reach the site, so only what is missing warns.
    assert [str(p) for p in check_site(site)] == [
        f"{rel}:2: warning: tags: no tags: readers find events by tag",
        f"{rel}:5: warning: sources: no external source: link at least one report readers "
        "can check",
        f"{rel}:6: warning: sources[0].accessed: missing: no published date: write when it "
        "was reported (published:), or for a page without one (a wiki) the day you read it "
        "(accessed: YYYY-MM-DD), which its citations give"]
    path.write_text(text.replace("draft: true\n", ""), "utf-8")
    problems = [str(p) for p in check_site(site, strict=True)]
    assert f"{rel}:5: sources[0].publisher: placeholder 'TODO: who reported it': replace it " \
        "before publishing" in problems
    assert f"{rel}:9: body: placeholder 'Write a neutral account of what happened here.': " \
        "write the event's account before publishing" in problems
    assert main(["check", str(site), "--strict"]) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--end", "2019"], "--end: end: end 2019 is before start 2020"),
    (["--end", "someday"], "--end: end: 'someday' is not a date: use YYYY, YYYY-MM or "
                           "YYYY-MM-DD (EDTF)"),
    (["--tag", " "], "--tag: tag: empty or repeated value"),
])
def test_new_refuses_bad_options(make_site: MakeSite, capsys: pytest.CaptureFixture[str],
                                 args: list[str], message: str) -> None:
    site = make_site({})
    assert main(["new", "X", "--date", "2020", *args, str(site)]) == 1
    assert capsys.readouterr().err.strip() == message
    assert not (site / "content").exists()


# Unit tests of generator/dev/scaffold.py, called directly.

def test_init_site_writes_each_file_once(tmp_path: Path) -> None:
    from generator import __version__
    from generator.dev.scaffold import init_site
    from generator.errors import SiteError
    written = init_site(tmp_path / "s", 'A "quoted" \\ title', "https://x.test/tl")
    assert sorted(p.relative_to(tmp_path / "s").as_posix() for p in written) == [
        ".github/workflows/timeline.yml", ".gitignore", ".timeline/constraints.txt",
        f".timeline/timeline_generator-{__version__}-py3-none-any.whl", "README.md",
        "content/events/2024-01-01-first-event.md", "content/pages/about.md", "netlify.toml",
        "static/.gitkeep", "static/admin/config.yml", "static/admin/index.html",
        "templates/README.md", "timeline.toml"]
    config = tomllib.loads((tmp_path / "s/timeline.toml").read_text("utf-8"))
    assert (config["title"], config["base_url"]) == ('A "quoted" \\ title', "https://x.test/tl/")
    with pytest.raises(SiteError) as caught:
        init_site(tmp_path / "s")
    assert str(caught.value) == f"{tmp_path / 's/timeline.toml'}: already exists: refusing " \
        "to overwrite"
    with pytest.raises(SiteError) as caught:
        init_site(tmp_path / "t", base_url="x.test")
    assert str(caught.value) == "--base-url: 'x.test' is not an absolute http(s) URL"


def test_new_event_names_and_fields(make_site: MakeSite) -> None:
    from generator.dev.scaffold import new_event
    from generator.errors import SiteError
    site = make_site({})
    path = new_event(site, "Résolution 2375!", "2017-09-11", "https://www.un.test/r",
                     end="2017-09-12", tags=["UN"], summary="  One   line ")
    assert path == site / "content/events/2017-09-11-résolution-2375.md"
    post = frontmatter.loads(path.read_text("utf-8"))
    assert post.metadata == {"title": "Résolution 2375!", "date": "2017-09-11",
                             "end": "2017-09-12", "summary": "One line",  # no status: not given
                             "tags": ["UN"],
                             "sources": [{"publisher": "un.test", "url": "https://www.un.test/r"}]}
    before = path.read_bytes()
    with pytest.raises(SiteError) as caught:  # not a silent `-2.md` beside it
        new_event(site, "Résolution 2375!", "2017-09-11")
    assert str(caught.value) == (
        "content/events/2017-09-11-résolution-2375.md: already exists: nothing written (give "
        "--slug NAME to write another event of this title and date)")
    assert path.read_bytes() == before
    again = new_event(site, "Résolution 2375!", "2017-09-11", slug="resolution-2375-vote")
    assert again.name == "resolution-2375-vote.md"
    assert frontmatter.loads(again.read_text("utf-8"))["draft"] is True
    with pytest.raises(SiteError) as caught:
        new_event(site, "Other", "2017", slug="resolution-2375-vote")
    assert str(caught.value) == ("content/events/resolution-2375-vote.md: already exists: "
                                 "nothing written (choose another --slug)")
    # BCE as import names it: it was '0043-03-1-ides.md' (the day cut, the era lost)
    assert new_event(site, "Ides", "-0043-03-15").name == "44-bce-03-15-ides.md"


@pytest.mark.parametrize(("args", "message"), [
    (("T", "2017-02-30"), "--date: date: no such day 2017-02-30"),
    (("  ", "2017"), "title: title: empty: give the event a title"),
    (("T", "2017", "javascript:x"), "--source: url: 'javascript:x' is not an http, https or "
     "mailto link"),
])
def test_new_event_refusals(make_site: MakeSite, args: tuple[str, ...], message: str) -> None:
    from generator.dev.scaffold import new_event
    from generator.errors import SiteError
    with pytest.raises(SiteError) as caught:
        new_event(make_site({}), *args)
    assert str(caught.value) == message
