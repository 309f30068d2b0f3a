"""``timeline deploy``: build, then commit the site to a branch for GitHub Pages and push it.

The commit is made by ghp-import, as MkDocs' ``gh-deploy`` does: the branch holds exactly the
built site (plus ``.nojekyll``, and ``CNAME`` for a custom domain), one commit per deploy.
Nothing is committed or pushed unless the site checks clean and builds.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from generator.config import CONFIG_NAME, SiteConfig, load_config, publish_problem
from generator.content.editorial import is_placeholder
from generator.dev.listing import Load, list_events
from generator.errors import Problem, SiteError, errors_only
from generator.incremental.store import CACHE_DIR
from generator.report import BuildResult

Check = Callable[[Path], list[Problem]]
Build = Callable[[Path, Path], BuildResult]
"""``check_site``, ``build_site`` and ``load_site`` (``Load``), handed in by the command line
(they sit above us)."""

MANIFEST = ".timeline-manifest.json"
"""The build's record of what it wrote: build state, not part of the published site."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,  # noqa: S603, S607
                          check=False)


def _refuse(message: str, path: str = "deploy", field: str | None = None) -> SiteError:
    return SiteError.one(path, None, field, message)


def cname_for(base_url: str) -> str | None:
    """The custom domain to put in ``CNAME``: none for ``*.github.io`` or a sub-path."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if not host or host.endswith(".github.io") or parts.path.strip("/"):
        return None
    return host


def _refs_problem(site: Path, remote: str, branch: str) -> Problem | None:
    """Why ``remote`` or ``branch`` cannot be used: an option in disguise, a name git
    refuses, or the branch the site's own source is on."""
    for option, value in (("--remote", remote), ("--branch", branch)):
        if not value or value.startswith("-"):
            return Problem("deploy", None, option, f"'{value}' is not a name: it may not "
                           "be empty or start with '-'")
    if _git(site, "check-ref-format", "--branch", branch).returncode != 0:
        return Problem("deploy", None, "--branch", f"'{branch}' is not a valid branch name")
    current = _git(site, "symbolic-ref", "--quiet", "--short", "HEAD").stdout.strip()
    if branch == current:
        return Problem("deploy", None, "--branch", f"'{branch}' is the branch the site's "
                       "source is on: deploy commits only the built site, which would "
                       "replace the source; use another branch (default: gh-pages)")
    return None


def uncommitted(site: Path) -> list[str]:
    """Files of the site (besides its output and build state) that differ from the last
    commit or are not in it: what a deploy would publish that no commit holds."""
    status = _git(site, "status", "--porcelain", "--untracked-files=all", "--", ".",
                  ":(exclude)site", f":(exclude){CACHE_DIR}")
    return [line[3:].strip('"') for line in status.stdout.splitlines() if line.strip()]


def publish_problems(site: Path, check_site: Check, load: Load
                     ) -> tuple[list[Problem], list[str]]:
    """Everything ``check`` finds, where what must not go out is an error: an unset or
    example ``base_url``, and a placeholder from ``timeline new`` or ``init`` in an event
    that would be published; and the drafts a publish leaves out."""
    config, _ = load_config(site)
    drafts = _drafts(site, load)
    return publish_refusals(config, check_site(site), drafts), drafts


def publish_refusals(config: SiteConfig, found: list[Problem], drafts: Collection[str] = ()
                     ) -> list[Problem]:
    """``found``, with what must not go out made an error: an unset or example
    ``base_url``, and a placeholder in an event that would be published (not in
    ``drafts``). ``build --publish`` asks this of its own findings, so the Pages workflow
    refuses what ``deploy`` refuses and still builds warm."""
    why = publish_problem(config)
    problems = [Problem(CONFIG_NAME, None, "base_url", why)] if why else []
    for problem in found:
        if why and (problem.path, problem.field) == (CONFIG_NAME, "base_url"):
            continue  # said above, as the error it is for a publish
        if is_placeholder(problem) and problem.path not in drafts:
            problem = replace(problem, severity="error", message=problem.message.replace(
                "before publishing", "before publishing: not published"))
        problems.append(problem)
    return sorted(set(problems), key=Problem.sort_key)


def preflight(site: Path, remote: str, branch: str, check_site: Check, load: Load,
              refuse_drafts: bool = False, allow_uncommitted: bool = False
              ) -> tuple[list[Problem], list[str]]:
    """Every reason not to deploy, before anything is built: no repository, no remote, no
    committer, a bad branch, uncommitted changes, what ``publish_problems`` finds; and the
    drafts to leave out."""
    if _git(site, "rev-parse", "--git-dir").returncode != 0:
        return [Problem("deploy", None, None, f"{site} is not in a git repository: "
                        "`git init`, then `git remote add origin URL`")], []
    refs = _refs_problem(site, remote, branch)
    if refs is not None:
        return [refs], []
    if _git(site, "remote", "get-url", "--", remote).returncode != 0:
        return [Problem("deploy", None, "--remote", f"no git remote '{remote}': "
                        f"`git remote add {remote} URL`")], []
    if not (os.environ.get("GIT_COMMITTER_NAME")
            or _git(site, "config", "user.name").stdout.strip()):
        return [Problem("deploy", None, None, "git does not know who you are: "
                        "`git config user.name \"Your Name\"` and user.email")], []
    problems: list[Problem] = []
    changed = uncommitted(site)
    if changed and not allow_uncommitted:
        problems.append(Problem(changed[0], None, None, f"{_files(changed)} not committed: "
                                "commit first, so the deploy names the commit it publishes "
                                "(or --allow-uncommitted, which names the files in the "
                                "deploy's message)"))
    found, drafts = publish_problems(site, check_site, load)
    problems += errors_only(found)
    if drafts and refuse_drafts:
        problems.append(Problem(drafts[0], None, "draft", f"{_count(len(drafts), 'draft')} "
                                "in the site (--refuse-drafts): publish (remove draft: true, "
                                "or move it out of drafts/) or move out of content/ before a "
                                "deploy" + (f"; also {', '.join(drafts[1:3])}" if len(drafts) > 1
                                            else "")))
    return problems, drafts


def _drafts(site: Path, load: Load) -> list[str]:
    rows, _ = list_events(site, load, drafts=True)
    return [r.path for r in rows if r.draft]


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' * (number != 1)}"


def _files(paths: list[str]) -> str:
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    return f"{_count(len(paths), 'file')} ({shown})"


def deploy_site(site: Path, check_site: Check, build_site: Build, load: Load,
                remote: str = "origin",
                branch: str = "gh-pages", message: str | None = None,
                refuse_drafts: bool = False, allow_uncommitted: bool = False) -> str:
    """Check, build and push ``site`` to ``remote``/``branch``; return the new commit.

    Every warning the build prints is shown; drafts are left out with a note; a change no
    commit holds is refused, or named in the message with ``allow_uncommitted``.
    """
    import ghp_import

    site = site.absolute()
    problems, drafts = preflight(site, remote, branch, check_site, load, refuse_drafts,
                                 allow_uncommitted)
    if problems:
        raise SiteError(problems)
    config, _ = load_config(site)
    _git(site, "fetch", "--quiet", "--", remote, f"{branch}:refs/remotes/{remote}/{branch}")
    before = _git(site, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").stdout
    source = _git(site, "rev-parse", "--short", "HEAD").stdout.strip()
    changed = uncommitted(site)
    if source and changed:
        source += f" with uncommitted changes to {_files(changed)}"
    if drafts:
        print(f"deploy: {_count(len(drafts), 'draft')} left out ({', '.join(drafts[:3])}"
              + (" …" if len(drafts) > 3 else "") + "); --refuse-drafts refuses instead",
              file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="timeline-deploy-") as tmp:
        # Built afresh, not taken from site/: that folder may hold files of the editor's own.
        staged = Path(tmp) / "site"
        result = build_site(site, staged)
        for warning in result.warnings:
            print(warning, file=sys.stderr)
        (staged / MANIFEST).unlink(missing_ok=True)
        text = message or (f"timeline deploy: {result.events} events"
                           + (f", from {source}" if source else ""))
        try:
            with contextlib.chdir(site):
                ghp_import.ghp_import(str(staged), mesg=text, remote=remote, branch=branch,
                                      push=True, nojekyll=True,
                                      cname=cname_for(config.base_url))
        except ghp_import.GhpError as exc:
            raise _refuse(f"ghp-import: {exc.message}") from None
        except subprocess.CalledProcessError:
            raise _refuse(f"git push to {remote} {branch} failed (see git's message above)"
                          ) from None
    after = _git(site, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").stdout
    if not after.strip() or after == before:
        raise _refuse(f"no commit was made on {branch}: see git's message above")
    print(f"deployed {result.events} events to {remote} {branch} ({after.strip()[:12]})",
          file=sys.stdout)
    return after.strip()
