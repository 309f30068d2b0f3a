"""The citation downloads: each event with its sources as CSL-JSON, BibTeX (pybtex writes
it) and RIS (rispy writes it), carried in the event page itself as ``data:`` links, and the
site's events as one CSL-JSON file, ``events.csl.json``.

Three files per event and language were 30,000 files at 10,000 events in two languages,
written and checked on every build (a no-op build took 0.63 s where it took 0.36 s
without them); in the page they cost about 4 KB of it and nothing more, the page being
made anyway. They stay plain links with ``download`` attributes: no script needed.
"""

from __future__ import annotations

import base64
import functools
import json
from functools import partial
from typing import Any

from generator.config import SiteConfig
from generator.content.loading import Timeline
from generator.content.model import Event
from generator.site.citations import event_item, event_items
from generator.site.document import Document, Export

SITE_FILE = "events.csl.json"
FORMATS = (("json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
           ("bib", "BibTeX", "application/x-bibtex"),
           ("ris", "RIS", "application/x-research-info-systems"))
"""(extension, name, media type) of each download, in the order the Cite block lists them."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _iso(date: dict[str, Any]) -> str:
    """``2016-02-10`` (or ``2016-02``, ``2016``) from CSL's date-parts."""
    parts = date["date-parts"][0]
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def _braces(text: str) -> str:
    """BibTeX needs braces in pairs: a value with a lone one gets parentheses instead."""
    if "{" not in text and "}" not in text:
        return text
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            break
    return text if depth == 0 else text.replace("{", "(").replace("}", ")")


def bibtex(items: list[dict[str, Any]]) -> str:
    """``items`` (CSL-JSON) as BibTeX: ``@article`` for a newspaper article, else ``@misc``;
    a name is one braced unit (an organisation is not split into first and last)."""
    from pybtex.database import BibliographyData, Entry, Person

    entries = {}
    for item in items:
        newspaper = item["type"] == "article-newspaper"
        fields = {"title": item["title"]}
        if "container-title" in item:
            fields["journal" if newspaper else "howpublished"] = item["container-title"]
        if "issued" in item:
            fields["date"] = _iso(item["issued"])
            fields["year"] = str(item["issued"]["date-parts"][0][0])
        if "accessed" in item:
            fields["urldate"] = _iso(item["accessed"])
        if "URL" in item:
            fields["url"] = item["URL"]
        if "language" in item:
            fields["language"] = item["language"]
        persons = {"author": [Person("{" + _braces(_one_line(a["literal"])) + "}")
                              for a in item.get("author", [])]}
        entries[item["id"]] = Entry("article" if newspaper else "misc",
                                    fields={k: _braces(_one_line(v)) for k, v in fields.items()},
                                    persons={k: v for k, v in persons.items() if v})
    return str(_writer().to_string(BibliographyData(entries)))


_LATEX_SPECIALS = frozenset("#%&_~")
"""What latexcodec's ``ulatex+utf8`` rewrites (``\\&``, ``\\textasciitilde``): tests hold it."""


@functools.lru_cache(maxsize=1)
def _writer() -> Any:
    """pybtex's BibTeX writer, which escapes LaTeX's special characters (``&`` as ``\\&``),
    except in ``url``: BibTeX and biblatex read a URL verbatim, so ``\\_`` would break it."""
    from pybtex.database.output.bibtex import Writer

    class _Writer(Writer):  # type: ignore[misc]
        def _encode(self, text: str) -> str:
            # latexcodec goes character by character (2 ms an event); with UTF-8 out it
            # changes only these five, so a text without them is its own encoding.
            if not _LATEX_SPECIALS.intersection(text):
                return text
            return str(super()._encode(text))

        def check_braces(self, text: str) -> None:
            if "{" in text or "}" in text:  # else nothing to pair (pybtex walks it slowly)
                super().check_braces(text)

        def _write_field(self, stream: Any, type: str, value: str) -> None:
            if type != "url":
                super()._write_field(stream, type, value)
            else:
                stream.write(f",\n    {type} = {self.quote(value)}")

    return _Writer()


def ris(items: list[dict[str, Any]]) -> str:
    """``items`` (CSL-JSON) as RIS: ``NEWS`` for a newspaper article, else ``ELEC``."""
    import rispy

    records = []
    for item in items:
        record: dict[str, Any] = {
            "type_of_reference": "NEWS" if item["type"] == "article-newspaper" else "ELEC",
            "id": item["id"], "title": item["title"]}
        if "author" in item:
            record["authors"] = [a["literal"] for a in item["author"]]
        if "container-title" in item:
            record["secondary_title"] = item["container-title"]
        if "issued" in item:
            record["date"] = _iso(item["issued"]).replace("-", "/")
            record["year"] = str(item["issued"]["date-parts"][0][0])
        if "accessed" in item:
            record["access_date"] = _iso(item["accessed"]).replace("-", "/")
        if "URL" in item:
            record["urls"] = [item["URL"]]
        if "language" in item:
            record["language"] = item["language"]
        records.append({k: [_one_line(x) for x in v] if isinstance(v, list) else _one_line(v)
                        for k, v in record.items()})
    return str(rispy.dumps(records))


def csl_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def event_downloads(event: Event, config: SiteConfig) -> tuple[str, str, str]:
    """The event and its sources in each of ``FORMATS``."""
    items = event_items(event, config)
    return csl_json(items), bibtex(items), ris(items)


def download_links(event: Event, config: SiteConfig) -> list[tuple[str, str, str, str]]:
    """(file name, format's name, media type, ``data:`` URI) of each download of the
    event's page. Base64 keeps the URI as long for Korean as for English (percent-encoding
    takes nine characters a syllable) and has nothing autoescape or a URL parser changes."""
    return [(f"{event.slug}.{extension}", name, media,
             f"data:{media};charset=utf-8;base64,"
             + base64.b64encode(text.encode("utf-8")).decode("ascii"))
            for (extension, name, media), text in zip(FORMATS, event_downloads(event, config),
                                                      strict=True)]


def _site_part(event: Event, config: SiteConfig) -> bytes:
    return json.dumps(event_item(event, config), ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def citation_exports(timeline: Timeline, config: SiteConfig, prefix: str = ""
                     ) -> dict[str, Export]:
    """The language's ``events.csl.json`` under ``prefix`` (its folder): every event page as
    a CSL-JSON item."""
    events = timeline.events
    return {
        prefix + SITE_FILE: Document(f"csl-{prefix}", b"[\n" if events else b"[]\n", b",\n",
                                     b"\n]\n" if events else b"", events,
                                     partial(_site_part, config=config)),
    }
