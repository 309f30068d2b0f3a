"""From a fresh site to a published one, as a new user's CI runs it: ``init`` → ``new`` →
commit → the Pages workflow's own ``run:`` steps (and netlify.toml's command) in a clean
virtual environment, installing the tool the way those files say; and what ``check`` must
say that ``build`` says."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import lxml.html
import pytest
import yaml

from generator import __version__
from generator.cli import main

from conftest import REPO, MakeSite, event_file, tree_hash

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
SUMMARY = re.compile(r"^(\d+) events, (\d+) files \((\d+) written, (\d+) unchanged\)", re.M)


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False,
                          env=env or {**os.environ, **GIT_ENV}, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}{done.stderr}"
    return done.stdout + done.stderr


def timeline(cwd: Path, *args: str) -> str:
    """The tool under test, as the editor runs it on their own machine."""
    return run(cwd, sys.executable, "-m", "generator", *args)


def clean_env(python: Path) -> dict[str, str]:
    """What a CI runner has after actions/setup-python: that Python first on PATH, and
    nothing of this checkout (no PYTHONPATH, no virtual environment of ours)."""
    keep = {k: v for k, v in os.environ.items()
            if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    return {**keep, **GIT_ENV, "PATH": f"{python.parent}{os.pathsep}/usr/bin:/bin",
            "CI": "true"}


def ci_steps(site: Path) -> list[str]:
    """The workflow's ``run:`` steps, in order; the other steps are the ones this test
    stands in for (checkout: a clone; setup-python: a new venv; cache: a copy)."""
    workflow = yaml.safe_load((site / ".github/workflows/timeline.yml").read_text("utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache",
                    "actions/upload-pages-artifact"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == PYTHON  # the Python our venv stands in for
    return [s["run"] for s in steps if "run" in s]


def run_steps(clone: Path, steps: list[str], env: dict[str, str]) -> str:
    return "".join(run(clone, "bash", "-euo", "pipefail", "-c", step, env=env)
                   for step in steps)


def home_titles(site_out: Path) -> list[str]:
    page = lxml.html.parse(str(site_out / "index.html")).getroot()
    return [" ".join(a.text_content().split()) for a in page.cssselect("article h3 a, "
                                                                        "article h2 a")]


@pytest.fixture(scope="module")
def ci_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean virtual environment: what ``actions/setup-python`` gives the workflow."""
    folder = tmp_path_factory.mktemp("ci") / "python"
    venv.create(folder, with_pip=True)
    return folder / "bin" / "python"


def test_init_new_commit_then_the_workflow_and_netlify_publish_the_event(
        tmp_path: Path, ci_python: Path) -> None:
    site = tmp_path / "mysite"
    timeline(tmp_path, "init", str(site), "--base-url", "https://editor.github.io/mysite/")
    (site / "content/events/2024-01-01-first-event.md").unlink()
    timeline(site, "new", "Port reopened to trade", "--date", "2024-05-01", "--tag",
             "economy", "--source", "https://www.yna.co.kr/view/1",
             "--body", "The port reopened, according to the report.")
    run(site, "git", "init", "-q", "-b", "main")
    run(site, "git", "add", "-A")
    run(site, "git", "commit", "-q", "-m", "A new timeline")
    assert run(site, "git", "ls-files", ".timeline").split() == [
        ".timeline/constraints.txt", f".timeline/timeline_generator-{__version__}-py3-none-any.whl"]

    steps = ci_steps(site)
    env = clean_env(ci_python)
    first = tmp_path / "ci1"
    run(tmp_path, "git", "clone", "-q", str(site), str(first))
    out = run_steps(first, steps, env)
    assert home_titles(first / "site") == ["Port reopened to trade"]
    # The tool CI ran is the wheel the site carries, not this checkout.
    shown = run(first, "bash", "-c", "command -v timeline; timeline --version", env=env)
    assert shown.split() == [str(ci_python.parent / "timeline"), "timeline", __version__]
    assert run(first, str(ci_python), "-c", "import generator; print(generator.__file__)",
               env=env).startswith(str(ci_python.parent.parent))
    cold = SUMMARY.search(out)
    assert cold is not None and cold.group(4) == "0"

    # One edit, pushed: the next run restores .timeline-cache and site/ (actions/cache)
    # and builds warm.
    event = next((site / "content/events").glob("*.md"))
    event.write_text(event.read_text("utf-8").replace("Port reopened to trade",
                                                      "Port reopened to foreign trade"),
                     "utf-8")
    run(site, "git", "commit", "-q", "-am", "Edit a title")
    second = tmp_path / "ci2"
    run(tmp_path, "git", "clone", "-q", str(site), str(second))
    for cached in (".timeline-cache", "site"):
        shutil.copytree(first / cached, second / cached, symlinks=True)
    warm = SUMMARY.search(run_steps(second, steps, env))
    assert warm is not None and int(warm.group(4)) > 0 and int(warm.group(3)) < \
        int(warm.group(2))
    assert home_titles(second / "site") == ["Port reopened to foreign trade"]

    # Netlify: its build command, as written, in another clean checkout.
    netlify = tomllib.loads((site / "netlify.toml").read_text("utf-8"))
    assert netlify["build"]["environment"] == {"PYTHON_VERSION": PYTHON}
    third = tmp_path / "netlify"
    run(tmp_path, "git", "clone", "-q", str(site), str(third))
    run(third, "bash", "-euo", "pipefail", "-c", netlify["build"]["command"], env=env)
    assert home_titles(third / netlify["build"]["publish"]) == ["Port reopened to foreign trade"]


def test_the_workflow_refuses_what_deploy_refuses(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """init's example event and an empty base_url stop the Pages workflow's build step
    before it writes anything, as they stop `check --publish` and `deploy`."""
    site = tmp_path / "s"
    assert main(["init", str(site)]) == 0
    assert "timeline build --publish" in ci_steps(site)
    refused = [
        "content/events/2024-01-01-first-event.md:14: body: placeholder 'TODO: this example "
        "shows the fields of an event. Write a…': write the event's account before "
        "publishing: not published",
        "timeline.toml: base_url: empty: permalinks, the feed, the sitemap and embed codes "
        "need the address where the site is published: set base_url = \"https://...\""]
    capsys.readouterr()
    assert main(["build", str(site), "--publish"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        *refused, "2 errors: not built, nothing to publish"]
    assert not (site / "site").exists()
    assert main(["check", str(site), "--publish"]) == 1
    assert capsys.readouterr().err.splitlines() == [*refused, "2 errors, 0 warnings"]
    assert main(["check", str(site)]) == 0  # a plain check only warns
    capsys.readouterr()
    assert main(["build", str(site), "--publish", "--drafts"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "build: --publish leaves drafts out: drop --drafts"]

    # A placeholder in a draft is not published, so it does not stop a publish; an error in
    # a published event stops it as it stops any build, and the last site stays.
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace(
        'base_url = ""', 'base_url = "https://newsroom.github.io/timeline/"'), "utf-8")
    first = site / "content/events/2024-01-01-first-event.md"
    first.write_text(first.read_text("utf-8").replace("---\n", "---\ndraft: true\n", 1),
                     "utf-8")
    (site / "content/events/2024-02-01-port.md").write_text(
        '---\ntitle: "Port reopened to foreign trade"\ndate: 2024-02-01\nsources:\n'
        '  - publisher: Yonhap\n    url: https://example.org/port\n---\nIt reopened.\n',
        "utf-8")
    assert main(["build", str(site), "--publish"]) == 0
    assert home_titles(site / "site") == ["Port reopened to foreign trade"]
    port = site / "content/events/2024-02-01-port.md"
    port.write_text(port.read_text("utf-8").replace("2024-02-01", "2024-02-30"), "utf-8")
    capsys.readouterr()
    assert main(["build", str(site), "--publish"]) == 1
    assert "content/events/2024-02-01-port.md:3: date: no such day 2024-02-30" in \
        capsys.readouterr().err.splitlines()
    assert home_titles(site / "site") == ["Port reopened to foreign trade"]


def test_build_publish_refuses_even_when_nothing_changed_and_reads_each_file_once(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal is asked of the one pipeline: of what its load found, or, when a plain
    build left nothing to do, of that build's warnings; so every file is parsed once."""
    from generator.content import loading

    site = tmp_path / "s"
    assert main(["init", str(site)]) == 0
    assert main(["build", str(site), "--quiet"]) == 0  # a plain build only warns
    before = tree_hash(site / "site")
    capsys.readouterr()
    assert main(["build", str(site), "--publish"]) == 1  # nothing changed since
    said = capsys.readouterr().err.splitlines()
    assert said[-1] == "2 errors: not built, nothing to publish"
    assert [line.split(": ")[1] for line in said[:-1]] == ["body", "base_url"]
    assert tree_hash(site / "site") == before

    parsed: list[str] = []
    real = loading.parse_file

    def counted(kind: str, rel: str, *args: object, **kwargs: object) -> loading.Parsed:
        parsed.append(rel)
        return real(kind, rel, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "parse_file", counted)
    config = site / "timeline.toml"
    config.write_text(config.read_text("utf-8").replace(
        'base_url = ""', 'base_url = "https://newsroom.github.io/timeline/"'), "utf-8")
    (site / "content/events/2024-01-01-first-event.md").unlink()
    (site / "content/events/2024-02-01-port.md").write_text(event_file("Port"), "utf-8")
    assert main(["build", str(site), "--publish", "--no-cache", "--quiet"]) == 0
    assert sorted(parsed) == ["content/events/2024-02-01-port.md", "content/pages/about.md"]


def test_pinning_is_repeatable_and_pins_what_runs(tmp_path: Path) -> None:
    from importlib.metadata import version

    from generator.dev.pin import pin_tool

    site = tmp_path / "s"
    assert main(["init", str(site)]) == 0
    wheel = next((site / ".timeline").glob("*.whl"))
    before = wheel.read_bytes()
    assert main(["pin", str(site)]) == 0
    assert wheel.read_bytes() == before  # the same tool gives the same bytes
    pins = dict(line.split("==") for line in
                (site / ".timeline/constraints.txt").read_text("utf-8").splitlines()
                if not line.startswith("#"))
    for library in ("jinja2", "markdown", "python-frontmatter", "livereload", "pillow"):
        assert pins[library] == version(library)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"timeline_generator-{__version__}.dist-info/METADATA")
    assert {"generator/cli.py", "generator/theme/templates/event.html",
            "generator/theme/static/assets/timeline.js",
            f"timeline_generator-{__version__}.dist-info/RECORD"} <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert f"\nVersion: {__version__}\n".encode() in metadata
    assert pin_tool(site)[0] == wheel
    assert main(["pin", str(tmp_path / "nowhere")]) == 1


def test_the_gitignore_of_init_ignores_a_link_named_like_the_cache(tmp_path: Path) -> None:
    site = tmp_path / "s"
    assert main(["init", str(site)]) == 0
    run(site, "git", "init", "-q")
    (site / ".timeline-cache").symlink_to(site / "content")
    run(site, "git", "add", "-A")
    assert ".timeline-cache" not in run(site, "git", "ls-files").split()
    assert run(site, "git", "check-ignore", ".timeline-cache").strip() == ".timeline-cache"


def _build_and_check(site: Path, capsys: pytest.CaptureFixture[str]) -> tuple[set[str],
                                                                              set[str]]:
    capsys.readouterr()
    main(["build", str(site), "-q", "-o", str(site.parent / f"{site.name}-out")])
    built = set(capsys.readouterr().err.splitlines())
    main(["check", str(site)])
    checked = set(capsys.readouterr().err.splitlines())
    return built, checked


def test_check_reports_every_warning_build_prints(tmp_path: Path, make_site: MakeSite,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    new = tmp_path / "new"
    assert main(["init", str(new)]) == 0
    real = tmp_path / "real"
    for part in ("content", "timeline.toml"):
        copy = shutil.copytree if (REPO / part).is_dir() else shutil.copy
        copy(REPO / part, real / part if part == "content" else real)
    mistakes = make_site({
        "content/events/a.md": event_file("Bare", "2017", sources="sources:\n  - www.a.org/1\n"),
        "content/events/b.md": event_file("Todo", "2018", body="TODO: write it"),
        "content/events/c.md": event_file("Old", "2019", sources="sources:\n  - publisher: X\n"
                                          "    url: http://a.org/x\n")},
        config='title = "T"\n')
    for site in (new, real, mistakes):
        built, checked = _build_and_check(site, capsys)
        assert built <= checked, (site, built - checked)
    assert any("base_url" in line for line in _build_and_check(mistakes, capsys)[0])


def test_the_release_builds_and_passes_pypis_checks(tmp_path: Path) -> None:
    """What the release workflow uploads: an sdist and a wheel that twine accepts, of the
    version the changelog names."""
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert re.search(rf"^## {re.escape(__version__)} ", changelog, re.M)
    run(REPO, sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(tmp_path))
    built = sorted(p.name for p in tmp_path.iterdir())
    assert built == [f"timeline_generator-{__version__}-py3-none-any.whl",
                     f"timeline_generator-{__version__}.tar.gz"]
    run(REPO, sys.executable, "-m", "twine", "check", "--strict",
        *(str(tmp_path / name) for name in built))
    with zipfile.ZipFile(tmp_path / built[0]) as wheel:
        assert "generator/theme/templates/event.html" in wheel.namelist()
