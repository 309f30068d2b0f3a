"""Command line: parse arguments, call one function, turn our errors into exit status 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from generator import __version__
from generator.errors import Problem, SiteError


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def untrusted_command(args: argparse.Namespace) -> int:
    """``--untrusted``: run the command in untrusted mode, which every stage and worker
    process reads from the environment; from scratch, since a cache may hold the work of
    a trusted build."""
    import os

    from generator.config import UNTRUSTED_ENV

    before = os.environ.get(UNTRUSTED_ENV)
    os.environ[UNTRUSTED_ENV] = "1"
    args.no_cache, args.untrusted = True, False
    try:
        result: int = args.func(args)
        return result
    finally:
        if before is None:
            os.environ.pop(UNTRUSTED_ENV, None)
        else:
            os.environ[UNTRUSTED_ENV] = before


def build_command(args: argparse.Namespace) -> int:
    from generator.build import build_site

    if args.untrusted:
        return untrusted_command(args)
    if args.publish and args.drafts:
        print("build: --publish leaves drafts out: drop --drafts", file=sys.stderr)
        return 1
    progress = None
    if not args.quiet:
        from generator.progress import Progress

        progress = Progress()
    from generator.build import Refuse, Refused

    refuse: Refuse | None = None
    if args.publish:
        from generator.dev.deploy import publish_refusals

        refuse = publish_refusals
    try:
        result = build_site(Path(args.site), Path(args.output) if args.output else None,
                            drafts=args.drafts, base_url=args.base_url,
                            use_cache=not args.no_cache, progress=progress, refuse=refuse)
    except Refused as refused:  # build --publish: what deploy refuses, before any write
        _print_problems(refused.problems)
        count = len(refused.problems)
        print(f"{count} error{'s' * (count != 1)}: not built, nothing to publish",
              file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    if not args.quiet:
        print(result.summary())
    return 0


def check_command(args: argparse.Namespace) -> int:
    from generator.check import check_site

    if args.untrusted:
        return untrusted_command(args)
    if args.publish:
        from generator.build import load_site
        from generator.dev.deploy import publish_problems

        problems, drafts = publish_problems(Path(args.site).absolute(), check_site, load_site)
        if args.strict:
            problems = [replace(p, severity="error") for p in problems]
        if drafts:
            print(f"{len(drafts)} draft{'s' * (len(drafts) != 1)} left out of a publish",
                  file=sys.stderr)
    else:
        problems = check_site(Path(args.site), strict=args.strict)
    _print_problems(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}",
          file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def serve_command(args: argparse.Namespace) -> int:
    from generator.build import build_site
    from generator.dev.serve import serve_site

    return serve_site(Path(args.site), build_site, host=args.host, port=args.port,
                      open_browser=args.open,
                      output=Path(args.output) if args.output else None)


def init_command(args: argparse.Namespace) -> int:
    from generator.dev.scaffold import init_site

    for path in init_site(Path(args.dir), title=args.title, base_url=args.base_url or ""):
        print(path)
    return 0


def cms_command(args: argparse.Namespace) -> int:
    from generator.config import load_config
    from generator.dev.cms import write_cms

    site = Path(args.site)
    config, problems = load_config(site)
    if any(p.severity == "error" for p in problems):
        _print_problems(problems)
        return 1
    for path in write_cms(site, config):
        print(path)
    return 0


def new_command(args: argparse.Namespace) -> int:
    from generator.dev.scaffold import new_event

    print(new_event(Path(args.site), args.title, args.date, args.source, end=args.end,
                    tags=args.tag or (), places=args.place or (), status=args.status,
                    summary=args.summary, slug=args.slug, featured=args.featured,
                    draft=args.draft, publisher=args.publisher, published=args.published,
                    body=args.body))
    return 0


def list_command(args: argparse.Namespace) -> int:
    from generator.build import load_site
    from generator.dev.listing import format_rows, list_events

    rows, problems = list_events(Path(args.site), load_site, drafts=args.drafts, tag=args.tag,
                                 status=args.status)
    sys.stdout.write(format_rows(rows, args.format))
    if args.format == "table":
        print(f"{len(rows)} event{'s' * (len(rows) != 1)}", file=sys.stderr)
    return 0


def deploy_command(args: argparse.Namespace) -> int:
    from generator.build import build_site, load_site
    from generator.check import check_site
    from generator.dev.deploy import deploy_site

    deploy_site(Path(args.site), check_site, build_site, load_site, remote=args.remote,
                branch=args.branch, message=args.message, refuse_drafts=args.refuse_drafts,
                allow_uncommitted=args.allow_uncommitted)
    return 0


def pin_command(args: argparse.Namespace) -> int:
    from generator.dev.pin import pin_tool

    site = Path(args.site)
    if not (site / "timeline.toml").is_file():
        raise SiteError.one(str(site / "timeline.toml"), None, None,
                            "not found: run `timeline pin` inside a site (or pass SITE)")
    for path in pin_tool(site):
        print(path)
    return 0


def theme_command(args: argparse.Namespace) -> int:
    from generator.site.theme import theme_dir

    print(theme_dir() / "templates")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from generator.interop.importers import import_file

    return import_file(args.file, Path(args.site), on_conflict=args.on_conflict,
                       update=args.update)


def sources_check_command(args: argparse.Namespace) -> int:
    from generator.sources.check import check_sources

    if args.untrusted:
        return untrusted_command(args)
    return check_sources(Path(args.site), strict=args.strict, older_than=args.older_than)


def sources_archive_command(args: argparse.Namespace) -> int:
    from generator.sources.archive import archive_sources

    if args.untrusted:
        return untrusted_command(args)
    return archive_sources(Path(args.site), save=args.save, dry_run=args.dry_run)


def rename_tag_command(args: argparse.Namespace) -> int:
    from generator.dev.tags import rename_tag_in_site

    return rename_tag_in_site(Path(args.site), args.old, args.new, dry_run=args.dry_run)


def _sources_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sources = sub.add_parser("sources", help="check and archive the sources' links")
    verbs = sources.add_subparsers(dest="verb", required=True, metavar="VERB")
    check = verbs.add_parser("check", help="check every source link; record it in "
                             "content/sources.lock.json")
    check.add_argument("site", nargs="?", default=".")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 when a source without an archived copy is dead")
    check.add_argument("--older-than", default="7d", metavar="AGE",
                       help="check again only links last checked this long ago (default "
                            "7d; 0: all)")
    check.add_argument("--untrusted", action="store_true",
                       help="links from people you do not trust: private addresses refused "
                            "even where timeline.toml allows them")
    check.set_defaults(func=sources_check_command)
    archive = verbs.add_parser("archive", help="write archived: for sources that lack one")
    archive.add_argument("site", nargs="?", default=".")
    archive.add_argument("--save", action="store_true",
                         help="ask Save Page Now for a capture where none exists")
    archive.add_argument("--dry-run", action="store_true",
                         help="print the changes as a diff; write nothing")
    archive.add_argument("--untrusted", action="store_true",
                         help="as sources check --untrusted")
    archive.set_defaults(func=sources_archive_command)
    rename = sub.add_parser("rename-tag", help="rename a tag in every event that has it")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.add_argument("site", nargs="?", default=".")
    rename.add_argument("--dry-run", action="store_true",
                        help="print the changes as a diff; write nothing")
    rename.set_defaults(func=rename_tag_command)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="timeline", description="Build a dated, sourced timeline website from Markdown.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser("build", help="build the site into SITE/site")
    build.add_argument("site", nargs="?", default=".", help="site folder (default: here)")
    build.add_argument("--output", "-o", help="output folder (default: SITE/site)")
    build.add_argument("--drafts", action="store_true", help="include draft events")
    build.add_argument("--base-url", help="override base_url from timeline.toml")
    build.add_argument("--quiet", "-q", action="store_true", help="print only problems")
    build.add_argument("--publish", action="store_true",
                       help="refuse what deploy refuses (an unset or example base_url, "
                            "placeholders in published events) before building")
    build.add_argument("--no-cache", action="store_true", help="ignore .timeline-cache/")
    build.add_argument("--untrusted", action="store_true",
                       help="content and templates from people you do not trust (CI): no "
                            "symlink out of the site, sandboxed and timed templates")
    build.set_defaults(func=build_command)

    check = sub.add_parser("check", help="validate the site without writing anything")
    check.add_argument("site", nargs="?", default=".")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--untrusted", action="store_true", help="check as build --untrusted")
    check.add_argument("--publish", action="store_true",
                       help="also refuse what deploy refuses: an unset base_url, placeholders "
                            "(drafts are left out)")
    check.set_defaults(func=check_command)

    serve = sub.add_parser("serve", help="build, serve and rebuild on every save")
    serve.add_argument("site", nargs="?", default=".")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open", action="store_true", help="open a browser")
    serve.add_argument("--output", "-o",
                       help="also write the served site into this folder, in the background "
                            "(by default nothing is written: the site is served from memory)")
    serve.set_defaults(func=serve_command)

    init = sub.add_parser("init", help="create a new site in DIR")
    init.add_argument("dir")
    init.add_argument("--title", default="My timeline")
    init.add_argument("--base-url", help="where the site will be published (or set base_url "
                                         "in timeline.toml later)")
    init.set_defaults(func=init_command)

    cms = sub.add_parser("cms", help="write the browser editor's set-up, static/admin/, "
                                     "from the event model (serve offers it at /admin/)")
    cms.add_argument("site", nargs="?", default=".")
    cms.set_defaults(func=cms_command)

    new = sub.add_parser("new", help="write a new event file and print its path")
    new.add_argument("title")
    new.add_argument("--date", required=True, help="EDTF date: 2017, 2017-09, 2017-09-11 ...")
    new.add_argument("--source", help="source URL (without one, the event is a draft)")
    new.add_argument("--end", help="EDTF end date, for an event that lasted ('..': still "
                     "going)")
    new.add_argument("--tag", action="append", help="a tag (repeat for more)")
    new.add_argument("--place", action="append", help="a place (repeat for more)")
    new.add_argument("--status", choices=["confirmed", "reported", "disputed"],
                     help="not written unless given (a build reads none as reported)")
    new.add_argument("--summary", help="one sentence for lists, feeds and previews")
    new.add_argument("--slug", help="the file's name and the page's URL (default: date and "
                     "title)")
    new.add_argument("--featured", action="store_true", help="a key event")
    new.add_argument("--draft", action="store_true", help="a draft, even with a source")
    new.add_argument("--publisher", help="the source's publisher (default: its domain)")
    new.add_argument("--published", help="when the source was published (EDTF date)")
    new.add_argument("--body", help="the account of what happened, in Markdown (default: a "
                                    "placeholder that refuses a deploy until replaced)")
    new.add_argument("site", nargs="?", default=".")
    new.set_defaults(func=new_command)

    listing = sub.add_parser("list", help="list the events, in date order, without building")
    listing.add_argument("site", nargs="?", default=".")
    listing.add_argument("--drafts", action="store_true", help="include draft events")
    listing.add_argument("--tag", help="only events with this tag")
    listing.add_argument("--status", choices=["confirmed", "reported", "disputed"],
                         help="only events with this status")
    listing.add_argument("--format", choices=["table", "csv", "json"], default="table")
    listing.set_defaults(func=list_command)

    deploy = sub.add_parser("deploy", help="build and push the site to a branch for "
                                           "GitHub Pages")
    deploy.add_argument("site", nargs="?", default=".")
    deploy.add_argument("--remote", default="origin", help="git remote (default: origin)")
    deploy.add_argument("--branch", default="gh-pages", help="branch (default: gh-pages)")
    deploy.add_argument("--message", "-m", help="commit message")
    deploy.add_argument("--refuse-drafts", action="store_true",
                        help="refuse a site with drafts (by default they are left out)")
    deploy.add_argument("--allow-uncommitted", action="store_true",
                        help="publish changes no commit holds, naming them in the message")
    deploy.set_defaults(func=deploy_command)

    imp = sub.add_parser("import", help="import a TimelineJS JSON or CSV file, or the "
                         "address of a sheet published as CSV")
    imp.add_argument("file")
    imp.add_argument("site", nargs="?", default=".")
    imp.add_argument("--on-conflict", choices=["skip", "rename"], default="skip")
    imp.add_argument("--update", action="store_true",
                     help="rewrite the fields the file holds of events imported before")
    imp.set_defaults(func=import_command)
    _sources_parser(sub)
    pin = sub.add_parser("pin", help="write the running tool and its library versions into "
                                     "SITE/.timeline/, which the site's CI installs")
    pin.add_argument("site", nargs="?", default=".")
    pin.set_defaults(func=pin_command)
    theme = sub.add_parser("theme", help="print where the default theme's templates are")
    theme.set_defaults(func=theme_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``timeline`` command."""
    parser = make_parser()
    args, extra = parser.parse_known_args(argv)
    # argparse takes `new TITLE --date D SITE` as two positionals only when they are adjacent.
    if extra and args.command == "new" and args.site == "." and len(extra) == 1 \
            and not extra[0].startswith("-"):
        args.site = extra[0]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except SiteError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:
        print("interrupted: the previous site was left as it was", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except OSError as exc:  # a disk that is full, read-only or gone: say which file
        where = exc.filename or "timeline"
        print(f"{where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
