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
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from generator.config import CONFIG_NAME, load_config, publish_problem
from generator.errors import Problem, SiteError, errors_only
from generator.report import BuildResult

Check = Callable[[Path], list[Problem]]
Build = Callable[[Path, Path], BuildResult]
"""``check_site`` and ``build_site``, handed in by the command line (they sit above us)."""

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


def preflight(site: Path, remote: str, check_site: Check) -> list[Problem]:
    """Every reason not to deploy, before anything is built: no repository, no remote, no
    committer, an unset ``base_url``, drafts, errors."""
    if _git(site, "rev-parse", "--git-dir").returncode != 0:
        return [Problem("deploy", None, None, f"{site} is not in a git repository: "
                        "`git init`, then `git remote add origin URL`")]
    if _git(site, "remote", "get-url", remote).returncode != 0:
        return [Problem("deploy", None, "--remote", f"no git remote '{remote}': "
                        f"`git remote add {remote} URL`")]
    if not (os.environ.get("GIT_COMMITTER_NAME")
            or _git(site, "config", "user.name").stdout.strip()):
        return [Problem("deploy", None, None, "git does not know who you are: "
                        "`git config user.name \"Your Name\"` and user.email")]
    config, _ = load_config(site)
    problems = []
    why = publish_problem(config)
    if why:
        problems.append(Problem(CONFIG_NAME, None, "base_url", why))
    found = check_site(site)
    problems += errors_only(found)
    drafts = _drafts(site)
    if drafts:
        problems.append(Problem(drafts[0], None, "draft", f"{len(drafts)} draft"
                                f"{'s' * (len(drafts) != 1)} in the site: publish "
                                "(remove draft: true, or move it out of drafts/) or move "
                                "out of content/ before a deploy"
                                + (f"; also {', '.join(drafts[1:3])}" if len(drafts) > 1
                                   else "")))
    return problems


def _drafts(site: Path) -> list[str]:
    from generator.dev.listing import list_events

    rows, _ = list_events(site, drafts=True)
    return [r.path for r in rows if r.draft]


def deploy_site(site: Path, check_site: Check, build_site: Build, remote: str = "origin",
                branch: str = "gh-pages", message: str | None = None) -> str:
    """Check, build and push ``site`` to ``remote``/``branch``; return the new commit."""
    import ghp_import

    site = site.absolute()
    problems = preflight(site, remote, check_site)
    if problems:
        raise SiteError(problems)
    config, _ = load_config(site)
    _git(site, "fetch", "--quiet", remote, f"{branch}:refs/remotes/{remote}/{branch}")
    before = _git(site, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}").stdout
    source = _git(site, "rev-parse", "--short", "HEAD").stdout.strip()
    with tempfile.TemporaryDirectory(prefix="timeline-deploy-") as tmp:
        # Built afresh, not taken from site/: that folder may hold files of the editor's own.
        staged = Path(tmp) / "site"
        result = build_site(site, staged)
        for problem in result.warnings:  # a published page gone without an alias, ...
            print(problem, file=sys.stderr)
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
