"""``timeline deploy`` against a local bare repository: the branch holds exactly the built
site, each deploy is one commit, and nothing is pushed from a site that must not go out."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import load_site
from generator.check import check_site
from generator.cli import main
from generator.dev.deploy import deploy_site
from generator.incremental.inputs import BuildResult

from conftest import REPO, MakeSite, event_file

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def repo(make_site: MakeSite, tmp_path: Path) -> tuple[Path, Path]:
    """A site in a git repository whose origin is a bare repository in tmp."""
    site = make_site({"content/events/a.md": event_file("First", "2017-09-11")},
                     config='title = "T"\nbase_url = "https://news.nk-watch.net/"\n')
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(site, "init", "-q", "-b", "main")
    git(site, "config", "user.name", "Editor")
    git(site, "config", "user.email", "editor@example.org")
    git(site, "remote", "add", "origin", str(remote))
    (site / ".gitignore").write_text("site/\n.timeline-cache/\n", "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "site")
    return site, remote


def branch_files(remote: Path, branch: str = "gh-pages") -> set[str]:
    return set(git(remote, "ls-tree", "-r", "--name-only", branch).split())


def built_files(site: Path, out: Path) -> set[str]:
    """What ``timeline build`` writes for the site, without the build's own manifest."""
    assert main(["build", str(site), "-o", str(out), "-q"]) == 0
    return {p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.is_file() and p.name != ".timeline-manifest.json"}


def test_deploy_pushes_exactly_the_site_one_commit_each(repo: tuple[Path, Path],
                                                         tmp_path: Path) -> None:
    site, remote = repo
    (site / "site").mkdir()
    (site / "site" / "notes.txt").write_text("the editor's own file, not the site's", "utf-8")
    assert main(["deploy", str(site)]) == 0
    out = tmp_path / "built"
    assert branch_files(remote) == built_files(site, out) | {".nojekyll", "CNAME"}
    assert git(remote, "show", "gh-pages:CNAME") == "news.nk-watch.net"
    assert git(remote, "show", "gh-pages:index.html").encode() == \
        (out / "index.html").read_bytes()
    first = git(remote, "rev-parse", "gh-pages").strip()
    (site / "content/events/b.md").write_text(event_file("Second", "2018"), "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "second")
    assert main(["deploy", str(site), "--message", "Add the second event"]) == 0
    log = git(remote, "log", "--format=%P %s", "gh-pages").splitlines()
    assert log == [f"{first} Add the second event", log[1]] and len(log) == 2
    assert "events/b/index.html" in branch_files(remote)
    assert git(site, "status", "--porcelain", "--untracked-files=no") == ""  # main untouched
    assert git(site, "rev-parse", "--abbrev-ref", "HEAD").strip() == "main"


def test_a_failed_build_pushes_nothing(repo: tuple[Path, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    assert main(["deploy", str(site)]) == 0
    before = git(remote, "rev-parse", "gh-pages")
    (site / "content/events/bad.md").write_text(event_file("Bad", "2017-02-30"), "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "bad")
    capsys.readouterr()
    assert main(["deploy", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/events/bad.md:3: date: no such day 2017-02-30"]
    assert git(remote, "rev-parse", "gh-pages") == before


@pytest.mark.parametrize(("change", "message"), [
    ({"timeline.toml": 'title = "T"\n'}, "timeline.toml: base_url: empty: permalinks, the "
     "feed, the sitemap and embed codes need the address where the site is published: set "
     'base_url = "https://..."'),
    ({"timeline.toml": 'title = "T"\nbase_url = "https://example.org/tl/"\n'},
     "timeline.toml: base_url: 'https://example.org/tl/' is an example address: set base_url "
     "to where the site is published"),
    ({"content/events/n.md": event_file("New", "2017", body="Write a neutral account of "
                                        "what happened here.")},
     "content/events/n.md:11: body: placeholder 'Write a neutral account of what happened "
     "here.': write the event's account before publishing: not published"),
    ({"content/events/s.md": event_file("New", "2017", sources="sources:\n  - publisher: "
                                        "'TODO: who reported it'\n    url: https://a.org/\n")},
     "content/events/s.md:6: sources[0].publisher: placeholder 'TODO: who reported it': "
     "replace it before publishing: not published"),
])
def test_deploy_refuses_what_must_not_go_out(repo: tuple[Path, Path], change: dict[str, str],
                                             message: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    for rel, text in change.items():
        (site / rel).parent.mkdir(exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "change")
    assert main(["deploy", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [message]
    assert git(remote, "branch", "--list") == ""
    assert not (site / "site").exists()  # refused before building


def test_deploy_outside_a_repository(make_site: MakeSite,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/a.md": event_file()})
    assert main(["deploy", str(site)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"deploy: {site} is not in a git repository: `git init`, then "
        "`git remote add origin URL`")


def test_readme_steps_take_a_new_user_to_a_gh_pages_branch(tmp_path: Path) -> None:
    """Run the README's step-by-step block as written, with a bare repository for GitHub."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("### From `timeline init` to GitHub Pages, step by step")[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    remote = tmp_path / "github.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    work = tmp_path / "home"
    work.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "timeline"
    shim.write_text(f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m generator \"$@\"\n")
    shim.chmod(0o755)
    script = block.group(1).replace("git@github.com:YOU/mysite.git", str(remote))
    env = {**os.environ, **GIT_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(REPO), "HOME": str(work)}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=work, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    files = branch_files(remote)
    assert {"index.html", ".nojekyll", "sitemap.xml", "events/2024-05-01-the-first-real-event/"
            "index.html"} <= files
    assert "CNAME" not in files  # a github.io address needs none
    assert "https://YOU.github.io/mysite/events/" in git(remote, "show",
                                                          "gh-pages:sitemap.xml")


def test_a_build_that_fails_after_the_checks_pushes_nothing(repo: tuple[Path, Path]) -> None:
    """A disk that fills up while the site is built: nothing is committed or pushed."""
    site, remote = repo

    def full_disk(site: Path, output: Path) -> BuildResult:
        output.mkdir(parents=True)
        (output / "index.html").write_text("half a site", "utf-8")
        raise OSError(28, "No space left on device", str(output))

    with pytest.raises(OSError, match="No space left"):
        deploy_site(site, check_site, full_disk, load_site)
    assert git(remote, "branch", "--list") == ""
    assert git(site, "branch", "--list", "gh-pages") == ""


def test_drafts_are_left_out_with_a_note_or_refused_on_request(
        repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    (site / "content/events/d.md").write_text(event_file("Draft", "2017", extra="draft: true\n",
                                                         body="TODO: unverified"), "utf-8")
    (site / "content/events/drafts").mkdir()
    (site / "content/events/drafts/p.md").write_text(event_file("Parked", "2017"), "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "draft")
    capsys.readouterr()
    assert main(["deploy", str(site), "--refuse-drafts"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/events/d.md: draft: 2 drafts in the site (--refuse-drafts): publish (remove "
        "draft: true, or move it out of drafts/) or move out of content/ before a deploy; "
        "also content/events/drafts/p.md"]
    assert git(remote, "branch", "--list") == ""
    assert main(["deploy", str(site)]) == 0  # the draft's placeholder does not go out
    err = capsys.readouterr().err.splitlines()
    assert err[0] == ("deploy: 2 drafts left out (content/events/d.md, "
                      "content/events/drafts/p.md); --refuse-drafts refuses instead")
    files = branch_files(remote)
    assert "events/a/index.html" in files
    assert not [f for f in files if "/d/" in f or "/p/" in f]


def test_deploy_shows_every_warning_the_build_prints(
        repo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    (site / "content/events/w.md").write_text(event_file(
        "Warned", "2018", sources="sources:\n  - www.yna.co.kr/view/1\n"), "utf-8")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "warned")
    capsys.readouterr()
    assert main(["build", str(site), "-q", "-o", str(tmp_path / "out")]) == 0
    built = capsys.readouterr().err.splitlines()
    assert built and all(": warning: " in line for line in built)
    assert main(["deploy", str(site)]) == 0
    shown = capsys.readouterr().err.splitlines()
    assert [line for line in shown if ": warning: " in line] == built


def test_uncommitted_changes_are_refused_or_named(repo: tuple[Path, Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    (site / "content/events/a.md").write_text(event_file("First, edited", "2017-09-11"),
                                              "utf-8")
    (site / "content/events/b.md").write_text(event_file("Second", "2018"), "utf-8")
    capsys.readouterr()
    assert main(["deploy", str(site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/events/a.md: 2 files (content/events/a.md, content/events/b.md) not "
        "committed: commit first, so the deploy names the commit it publishes (or "
        "--allow-uncommitted, which names the files in the deploy's message)"]
    assert git(remote, "branch", "--list") == ""
    head = git(site, "rev-parse", "--short", "HEAD").strip()
    assert main(["deploy", str(site), "--allow-uncommitted"]) == 0
    subject = git(remote, "log", "-1", "--format=%s", "gh-pages").strip()
    assert subject == (f"timeline deploy: 2 events, from {head} with uncommitted changes to "
                       "2 files (content/events/a.md, content/events/b.md)")
    assert "First, edited" in git(remote, "show", "gh-pages:events/a/index.html")


@pytest.mark.parametrize(("args", "message"), [
    (["--branch=--upload-pack=touch PWNED"], "deploy: --branch: '--upload-pack=touch PWNED' "
     "is not a name: it may not be empty or start with '-'"),
    (["--remote=--upload-pack=touch PWNED"], "deploy: --remote: '--upload-pack=touch PWNED' "
     "is not a name: it may not be empty or start with '-'"),
    (["--branch", "a..b"], "deploy: --branch: 'a..b' is not a valid branch name"),
    (["--branch", "main"], "deploy: --branch: 'main' is the branch the site's source is on: "
     "deploy commits only the built site, which would replace the source; use another "
     "branch (default: gh-pages)"),
])
def test_git_is_called_safely(repo: tuple[Path, Path], args: list[str], message: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    main_before = git(site, "rev-parse", "main")
    capsys.readouterr()
    assert main(["deploy", str(site), *args]) == 1
    assert capsys.readouterr().err.splitlines() == [message]
    assert not list(site.rglob("PWNED")) and not list(remote.parent.rglob("PWNED"))
    assert git(remote, "branch", "--list") == ""
    assert git(site, "rev-parse", "main") == main_before


def test_deploy_says_a_published_page_went_without_an_alias(
        repo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    site, remote = repo
    assert main(["deploy", str(site)]) == 0
    (site / "content/events/a.md").rename(site / "content/events/first.md")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "rename")
    capsys.readouterr()
    assert main(["deploy", str(site)]) == 0
    assert ("content/events/first.md: warning: aliases: /events/a/ was published by an "
            "earlier build and no page has it now: if this event was /events/a/, add "
            "aliases: [/events/a/]") in capsys.readouterr().err.splitlines()
    assert "events/first/index.html" in branch_files(remote)
