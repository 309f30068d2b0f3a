"""Safety net: every broken input gets its exact message, exit 1, and an untouched site/."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.errors import SiteError
from generator.output.manifest import safe_target
from generator.output.writer import write_files

from conftest import REPO, MakeSite, event_file, tree_hash, write_site

BROKEN = REPO / "tests" / "sites" / "broken"


def _expected() -> dict[str, str]:
    lines = (BROKEN / "expected.txt").read_text("utf-8").splitlines()
    return dict(line.split("\t", 1) for line in lines if line and not line.startswith("#"))


EXPECTED = _expected()
ERRORS = sorted(k for k in EXPECTED if k.startswith("events/"))
WARNINGS = sorted(k for k in EXPECTED if k.startswith("warnings/"))


def test_every_broken_file_has_an_expected_message() -> None:
    files = {p.relative_to(BROKEN).as_posix() for p in BROKEN.glob("*/*.md")
             if p.parent.name != "dupes"}
    assert files == set(EXPECTED)


def _publish(site: Path) -> Path:
    """A good site, built, with files of the user's own in site/."""
    write_site(site, {"content/events/2017-09-11-good.md": event_file("Good event")})
    assert main(["build", str(site), "--quiet"]) == 0
    (site / "site" / "CNAME").write_text("example.org\n")
    (site / "site" / ".well-known").mkdir()
    (site / "site" / ".well-known" / "security.txt").write_text("Contact: x\n")
    return site


@pytest.fixture(scope="module")
def published_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _publish(tmp_path_factory.mktemp("published") / "site")


@pytest.fixture
def published(published_once: Path, tmp_path: Path) -> Path:
    """A good site, already built, with files of the user's own in site/: a copy of the
    module's one build, build state included (a copy costs a sixth of a build; most tests
    here break it)."""
    return Path(shutil.copytree(published_once, tmp_path / "published", symlinks=True))


@pytest.fixture
def published_here(tmp_path: Path) -> Path:
    """The same, built in place: for a test of what the next builds keep, whose state must
    be its own folder's."""
    return _publish(tmp_path / "published")


@pytest.mark.parametrize("name", ERRORS)
def test_broken_event_fails_with_exact_message_and_keeps_site(
        name: str, published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_hash(published / "site")
    shutil.copyfile(BROKEN / name, published / "content" / "events" / Path(name).name)
    capsys.readouterr()
    assert main(["build", str(published)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert EXPECTED[name] in err
    assert tree_hash(published / "site") == before
    assert main(["check", str(published)]) == 1
    assert EXPECTED[name] in capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("name", WARNINGS)
def test_warnings_do_not_stop_a_build_unless_strict(
        name: str, published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(BROKEN / name, published / "content" / "events" / Path(name).name)
    capsys.readouterr()
    assert main(["check", str(published)]) == 0
    assert EXPECTED[name] in capsys.readouterr().err.splitlines()
    assert main(["build", str(published), "--quiet"]) == 0
    assert EXPECTED[name] in capsys.readouterr().err.splitlines()
    assert main(["check", str(published), "--strict"]) == 1
    strict = EXPECTED[name].replace(": warning: ", ": ")
    assert strict in capsys.readouterr().err.splitlines()


def test_check_reports_every_problem_at_once(make_site: MakeSite,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({f"content/events/{Path(n).name}": (BROKEN / n).read_text("utf-8")
                      for n in ERRORS if n != "events/not-utf8.md"})
    assert main(["check", str(site)]) == 1
    err = capsys.readouterr().err.splitlines()
    for name in ERRORS:
        if name != "events/not-utf8.md":
            assert EXPECTED[name] in err
    errors = sum(1 for line in err[:-1] if ": warning: " not in line)
    assert errors >= len(ERRORS) - 1
    warnings = len(err) - 1 - errors
    assert err[-1] == f"{errors} errors, {warnings} warning{'s' * (warnings != 1)}"
    assert not (site / "site").exists() and not (site / ".timeline-cache").exists()


def test_duplicate_slugs_name_both_files(make_site: MakeSite,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({f"content/events/{p.name}": p.read_text("utf-8")
                      for p in (BROKEN / "dupes").glob("*.md")})
    assert main(["build", str(site)]) == 1
    assert ("content/events/b.md: slug: 'same-slug' is also the slug of content/events/a.md:"
            " two events cannot share a page") in capsys.readouterr().err.splitlines()


def test_huge_event_file_is_refused_quickly(published: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    body = ("word " * 2_000_000)
    (published / "content" / "events" / "huge.md").write_text(event_file("Huge", body=body))
    started = time.perf_counter()
    assert main(["build", str(published)]) == 1
    assert time.perf_counter() - started < 5
    assert ("content/events/huge.md: file is 10.0 MB; an event file may be at most 1 MB"
            in capsys.readouterr().err.splitlines())


def test_a_pipe_named_like_an_event_is_not_read(published: Path) -> None:
    """Reading a named pipe would wait for a writer for ever; only regular files are input."""
    os.mkfifo(published / "content" / "events" / "pipe.md")
    before = sorted(p.name for p in (published / "site" / "events").iterdir())
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-q", str(published)],
                          cwd=REPO, timeout=120, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (published / "site" / "events").iterdir()) == before


@pytest.mark.parametrize("config, expected", [
    ('title = "x"\nbase_url = "https://e.org/\n', "timeline.toml:2: invalid TOML: "),
    ('title = "x"\npage_size = "ten"\n', "timeline.toml:2: page_size: expected int, got str"),
    ('title = "x"\nbase_url = "ftp://e.org/"\n',
     "timeline.toml:2: base_url: 'ftp://e.org/' is not an absolute http(s) URL"),
    ('description = "no title"\n', "timeline.toml: title: missing: every site needs a title"),
])
def test_broken_config(config: str, expected: str, published: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    before = tree_hash(published / "site")
    (published / "timeline.toml").write_text(config)
    capsys.readouterr()
    assert main(["build", str(published)]) == 1
    err = capsys.readouterr().err
    assert any(line.startswith(expected) for line in err.splitlines()), err
    assert tree_hash(published / "site") == before


def test_unknown_config_key_suggests(published: Path, capsys: pytest.CaptureFixture[str]
                                     ) -> None:
    (published / "timeline.toml").write_text('title = "x"\nbase_ur = "https://e.org/"\n')
    capsys.readouterr()
    assert main(["build", str(published), "-q"]) == 0
    assert ("timeline.toml:2: warning: base_ur: unknown setting (did you mean 'base_url'?)"
            in capsys.readouterr().err.splitlines())


@pytest.mark.parametrize("template, expected", [
    ("{% extends 'base.html' %}{% block main %}{{ event.title }\n{% endblock %}",
     "templates/event.html:1: template error: unexpected '}'"),
    ("{% extends 'base.html' %}\n{% block main %}\n{{ event.no_such_field }}\n{% endblock %}",
     "templates/event.html:3: template error while rendering events/"),
    ("{% extends 'base.html' %}\n{% block main %}\n{% for x in %}{% endfor %}\n{% endblock %}",
     "templates/event.html:3: template error: "),
])
def test_broken_template_names_file_and_line(template: str, expected: str, published: Path,
                                             capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree_hash(published / "site")
    (published / "templates").mkdir()
    (published / "templates" / "event.html").write_text(template)
    monkeypatch.chdir(published)
    capsys.readouterr()
    assert main(["build"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(expected), err
    assert tree_hash(published / "site") == before
    assert main(["check"]) == 1
    assert capsys.readouterr().err.splitlines()[0].startswith(expected)


def test_stale_pages_go_and_user_files_stay(published_here: Path) -> None:
    published = published_here
    (published / "content" / "events" / "2018-01-01-second.md").write_text(
        event_file("Second", "2018-01-01"))
    assert main(["build", str(published), "-q"]) == 0
    assert (published / "site" / "events" / "2018-01-01-second" / "index.html").is_file()
    (published / "content" / "events" / "2018-01-01-second.md").unlink()
    assert main(["build", str(published), "-q"]) == 0
    out = published / "site"
    assert not (out / "events" / "2018-01-01-second").exists()
    assert not (out / "years" / "2018").exists()
    assert (out / "CNAME").read_text() == "example.org\n"
    assert (out / ".well-known" / "security.txt").is_file()
    assert (out / "events" / "2017-09-11-good" / "index.html").is_file()


@pytest.mark.parametrize("output", ["content", "content/out", "templates", "static", "."])
def test_output_overlapping_sources_is_refused(output: str, published: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (published / "templates").mkdir(exist_ok=True)
    (published / "static").mkdir(exist_ok=True)
    capsys.readouterr()
    assert main(["build", str(published), "--output", str(published / output)]) == 1
    assert "refusing to write into" in capsys.readouterr().err
    assert (published / "content" / "events" / "2017-09-11-good.md").is_file()


@pytest.mark.parametrize("rel", ["../escape.html", "/etc/x", "a/../../b", "a/./b", "",
                                 "a\\..\\b", "events/\x00/x"])
def test_output_paths_cannot_leave_the_folder(rel: str, tmp_path: Path) -> None:
    with pytest.raises(SiteError):
        safe_target(tmp_path, rel)


def test_symlinked_folder_in_output_cannot_redirect_writes(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "site"
    write_files(out, {"events/a/index.html": b"one"})
    shutil.rmtree(out / "events")
    (out / "events").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SiteError, match="leads outside the output folder"):
        write_files(out, {"events/a/index.html": b"two"})
    assert list(outside.iterdir()) == []
    for many in (10, 500):  # a few changes are committed in place, many by a whole swap
        files = {f"events/{i}/index.html": b"three" for i in range(many)}
        try:
            write_files(out, files)
        except SiteError:
            pass
        assert list(outside.iterdir()) == []


def _big_site(make_site: MakeSite, count: int) -> Path:
    files = {f"content/events/e{i:05d}.md": event_file(f"Event {i}", f"{1900 + i % 120}-01-01",
                                                       body="Text. " * 200)
             for i in range(count)}
    return make_site(files)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_build_leaves_site_identical(sig: signal.Signals, make_site: MakeSite
                                                 ) -> None:
    site = _big_site(make_site, 3000)
    assert main(["build", str(site), "-q", "--no-cache"]) == 0
    before = tree_hash(site / "site")
    for path in (site / "content" / "events").glob("*.md"):
        path.write_text(path.read_text().replace("Text.", "Changed."))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log = site.parent / f"stderr-{sig}.txt"
    with log.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", str(site), "-q",
                                 "--no-cache"], env=env, stderr=stderr, text=True)
        time.sleep(1.0)
        assert proc.poll() is None, "the build finished before it could be interrupted"
        proc.send_signal(sig)
        assert proc.wait(timeout=60) != 0
    err = log.read_text()
    if sig == signal.SIGINT:
        assert "Traceback" not in err and "interrupted" in err
    assert tree_hash(site / "site") == before
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".site.")]
    assert leftovers == [] or sig == signal.SIGKILL
