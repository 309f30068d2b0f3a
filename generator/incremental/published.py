"""Every page URL a build has published, so that a renamed or removed page never breaks
links in silence.

Kept in ``.timeline-cache/published/pages.json``, beside the build state and not in it: the
state is a cache, set aside when damaged, of another version or under ``--no-cache``, and
this is a record of what readers may have linked to, which must outlive all of those. Each
URL keeps the file and title of the event or page it was, so that a warning names the
event it moved to only when that is certain. A URL that no page, ``aliases:`` entry or
``content/gone.yaml`` entry accounts for any more is a warning on every build, ``check``,
``serve`` and ``deploy``, until one does.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring as quote
from pathlib import Path

from generator.content.loading import Timeline
from generator.content.model import Event, Page
from generator.errors import Problem, SiteError
from generator.incremental.store import CACHE_DIR
from generator.output.manifest import own_folder
from generator.site.references import page_path

FOLDER = "published"
FILE = "pages.json"

Known = dict[str, tuple[str, str, int, int]]
"""{URL path ('events/x/', 'ko/events/x/'): (file, title, first, last)} of each page
published: the event's or page's file and title, and the first and last generation of the
site that had it (a generation is a build that published another set of pages)."""


def _where(site: Path) -> Path:
    return site / CACHE_DIR / FOLDER / FILE


def _refuse_links(site: Path) -> None:
    """The record is read and written only as a regular file in a real folder."""
    for path in (site / CACHE_DIR, site / CACHE_DIR / FOLDER, _where(site)):
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode) or path.name == FILE and not stat.S_ISREG(mode):
            raise SiteError.one(path.relative_to(site).as_posix(), None, None,
                                "refusing to use a link or special file here: remove it")


def read_published(site: Path) -> Known:
    """What builds have published (nothing before the first build that kept this record:
    an older output's manifest cannot tell a published page from a preview's draft)."""
    _refuse_links(site)
    try:
        data = json.loads(_where(site).read_text("utf-8"))
        return {str(url): (str(rec[0]), str(rec[1]), int(rec[2]), int(rec[3]))
                for url, rec in data["pages"].items() if isinstance(rec, list) and len(rec) == 4}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):
        return {}


def _addresses(item: Event | Page, languages: Sequence[str]) -> list[str]:
    """The item's URL path in every language (the default's at the root)."""
    base = page_path(item)
    return [base, *(f"{code}/{base}" for code in languages[1:])]


def _bare(url: str, languages: Sequence[str]) -> str:
    """'ko/events/x/' → 'events/x/': the URL as an alias or a gone entry names it."""
    first, _, rest = url.partition("/")
    return rest if first in languages[1:] and rest else url


def record_published(site: Path, timeline: Timeline, languages: Sequence[str],
                     written: Iterable[str]) -> None:
    """Add this build's pages (those of ``written``, the files it put in the output); the
    file is written only when they are not the last generation's."""
    known = read_published(site)
    files = set(written)
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    now = {url: item for item in items for url in _addresses(item, languages)
           if url + "index.html" in files}
    last = max((rec[3] for rec in known.values()), default=0)
    if _where(site).is_file() and {url for url, rec in known.items() if rec[3] == last} \
            == set(now) and all(known[url][:2] == (i.path, i.title) for url, i in now.items()):
        return
    generation = last + 1
    for url, item in now.items():
        first = known[url][2] if url in known else generation
        known[url] = (item.path, item.title, first, generation)
    _refuse_links(site)
    where = own_folder(site, CACHE_DIR, FOLDER) / FILE  # never made through a link
    text = _indented(known)
    temporary = where.with_name(f".{FILE}.{os.getpid()}")
    temporary.write_text(text + "\n", "utf-8")
    os.replace(temporary, where)


def _indented(known: Known) -> str:
    """``json.dumps({"pages": ...}, ensure_ascii=False, indent=0)``, the record's format (a
    value a line, for a reader's diff), made with the C encoder: with an indent, ``json``
    falls back to its Python encoder, which took seconds over ten thousand pages."""
    if not known:
        return '{\n"pages": {}\n}'
    entries = ",\n".join(f"{quote(url)}: [\n{quote(file)},\n{quote(title)},\n{first},\n"
                          f"{last}\n]" for url, (file, title, first, last) in sorted(known.items()))
    return '{\n"pages": {\n' + entries + "\n}\n}"


def lost_pages(site: Path, timeline: Timeline, languages: Sequence[str]) -> list[Problem]:
    """A warning for each published URL (in any language) that no page, alias or gone
    entry accounts for now; it names the event or page to give the alias to only when that
    is certain: the same file, or else the only new one with the same title."""
    known = read_published(site)
    if not known:
        return []
    items: list[Event | Page] = [*timeline.events, *timeline.pages]
    now = {url for item in items for url in _addresses(item, languages)}
    kept = {alias for item in items for alias in item.aliases} | set(timeline.gone)
    lost: dict[str, tuple[str, str, int, int]] = {}
    for url, origin in sorted(known.items()):
        bare = _bare(url, languages)
        if url not in now and bare not in kept:
            lost.setdefault(bare, origin)
    problems = []
    for bare, origin in lost.items():
        heir = _heir(origin, items, known)
        message = f"/{bare} was published by an earlier build and no page has it now: "
        if heir is not None:
            problems.append(Problem(heir.path, None, "aliases", message + "if this "
                                    f"{'event' if isinstance(heir, Event) else 'page'} was "
                                    f"/{bare}, add aliases: [/{bare}]", "warning"))
        else:
            problems.append(Problem(origin[0] or "content", None, "aliases", message +
                                    f"add aliases: [/{bare}] to the event or page that "
                                    "took its place, or list it in content/gone.yaml if it "
                                    "is gone for good", "warning"))
    return problems


def _heir(origin: tuple[str, str, int, int], items: Sequence[Event | Page], known: Known
          ) -> Event | Page | None:
    """The event or page a lost URL certainly moved to, or None: the one with its file, or
    else the only one with its title that first came after it was last published (a date,
    or a lone new event, is no proof: an unrelated event may have come as this one went)."""
    file, title, _, last = origin
    same_file = [item for item in items if file and item.path == file]
    if same_file:
        return same_file[0]
    same_title = [item for item in items if title and item.title == title
                  and known.get(page_path(item), ("", "", last + 1, 0))[2] > last]
    return same_title[0] if len(same_title) == 1 else None
