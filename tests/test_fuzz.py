"""Malformed input thrown at ``check``, ``build`` and ``import`` through ``timeline``'s own
entry point: URLs, YAML scalars, site catalogs, image headers and import files. Every run
ends in exit 0 or 1 with lines an editor can read, within a time bound; an exception that
escaped ``main`` (a traceback) fails the test.

The number of examples is fixed and small (the whole file runs in well under a minute);
each test prints how many inputs it tried and its slowest run."""

from __future__ import annotations

import json
import re
import resource
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.cli import main

from conftest import CONFIG, MakeSite, event_file

RUN_SECONDS = 15.0
"""No single run may take longer (a small site: a hang or a blow-up shows as minutes)."""
MEMORY_BYTES = 2 * 1024**3
"""Address space a ``build`` run in a subprocess may take before it is stopped."""
EXCEPTION = re.compile(r"^Traceback|^\s+File \"|\b[A-Z]\w*(Error|Exception|Warning): ")
"""What Python prints for an exception or a warning, never our one-line messages."""
FUZZ = settings(deadline=None, database=None, print_blob=True, report_multiple_bugs=False,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is quick
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])


class Runs:
    """How many inputs a test tried and how long the slowest took; printed at its end."""

    def __init__(self, what: str) -> None:
        self.what, self.count, self.slowest = what, 0, 0.0

    def run(self, capsys: pytest.CaptureFixture[str], args: list[str]) -> tuple[int, str]:
        """``timeline ARGS`` in this process: exit 0 or 1, readable output, in time."""
        capsys.readouterr()
        started = time.perf_counter()
        code = main(args)  # an exception escaping here is the traceback a user would see
        took = time.perf_counter() - started
        out, err = capsys.readouterr()
        self.count += 1
        self.slowest = max(self.slowest, took)
        assert code in (0, 1), (args, code, err)
        assert took < RUN_SECONDS, (args, took)
        for line in (out + err).splitlines():
            assert not EXCEPTION.search(line), line
        return code, err

    def report(self, capsys: pytest.CaptureFixture[str], least: int) -> None:
        with capsys.disabled():
            print(f"\nfuzz {self.what}: {self.count} inputs tried, slowest "
                  f"{self.slowest:.2f} s (bound {RUN_SECONDS:g} s)")
        assert self.count >= least


def nested(opening: str, closing: str, deepest: int = 100_000) -> st.SearchStrategy[str]:
    """``deepest``: HTML 100,000 deep takes BeautifulSoup seconds (linear, but the time bound
    is per run); 20,000 is well past any recursion limit all the same."""
    return st.sampled_from([10, 900, 5_000, deepest]).map(lambda n: opening * n + closing * n)


# URLs ----------------------------------------------------------------------------------------

line_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                                  exclude_characters="\n\r"), max_size=12)
URLS = st.builds(
    lambda scheme, host, port, path: scheme + host + port + path,
    st.sampled_from(["https://", "http://", "HTTPS://", "mailto:", "javascript:", "//", "",
                     "ftp://", " https://", "https:", "data:"]),
    st.one_of(st.sampled_from(["example.org", "[zz]", "[::1]", "[::1", "::1]", "[v1.x]",
                               "127.0.0.1", "xn--", "xn--zz", "a" * 300, "ex ample.org",
                               "exa\x01mple.org", "exa\u200bmple.org", "例え.jp", "", "@",
                               "user:pass@host", "%00", "[", "]", "exa\tmple.org"]),
              line_text),
    st.sampled_from(["", ":", ":0", ":80", ":99999", ":-1", ":abc", ":" + "9" * 30,
                     ":８０", ":65536"]),
    st.one_of(st.sampled_from(["/", "/a?b#c", "/%zz", "/\x00", "/../..", "\\x", "/a b",
                               "/" + "a" * 5000]), line_text))


GOOD_URL = "https://example.org/report"


def quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's)."""
    return json.dumps(value, ensure_ascii=False)


# YAML scalars, written as they are into the front-matter ----------------------------------------

def digits(prefix: str, digit: str) -> st.SearchStrategy[str]:
    return st.sampled_from([10, 4_299, 4_301, 6_000]).map(lambda n: prefix + digit * n)


SCALARS = st.one_of(
    digits("", "1"), digits("-", "9"), digits("0x", "f"), digits("0o", "7"), digits("0b", "1"),
    st.sampled_from([":".join(["1"] + ["59"] * 3000), "1e99999", "-.inf", ".nan", "1_000",
                     "+12", "0", "-0", "~", "null", "yes", "no", "on", "2017-02-30", "2017-13",
                     "Y-" + "9" * 5000, "0000", "!!binary AAAA", "!!python/name:os.system",
                     "&a x", "*a", "? x", "|", ">", "- - -", "'", '"', "`", "@", "%x",
                     "!!int 1" + "0" * 5000, "!!float x", "2017-09-11T25:00:00",
                     "{a: [b, {c: d}]}", "\t", "\x85", "\ufeff", "2017-09", "confirmed"]),
    nested("[", "]"), nested("{a: ", "}"), line_text)
SCALAR_FIELDS = ["title", "date", "end", "status", "featured", "summary", "slug", "draft",
                 "width", "tag", "place"]
EVENTS_PER_SITE = 4


@st.composite
def fuzzed_event(draw: st.DrawFn) -> str:
    """An event file with either one field given a fuzzed YAML scalar (written as it is) or
    fuzzed links in the fields that hold one: not both, since a file whose YAML cannot be
    read has no links to look at."""
    links = draw(st.booleans())
    field, scalar = (None, "") if links else (draw(st.sampled_from(SCALAR_FIELDS)),
                                               draw(SCALARS))
    url, archived, src, bare = (draw(URLS if links else st.just(GOOD_URL)) for _ in range(4))
    alias = draw(st.one_of(st.none(), URLS)) if links else None
    fields = {"title": quoted("Fuzzed"), "date": "2017", "tags": f"[{quoted('a')}]"}
    line = f"{field}: {scalar}\n" if field not in (None, "width", "tag", "place") else ""
    if field in ("tag", "place"):
        line = f"{field}s:\n  - {scalar}\n"
    return ("---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items() if k != field)
            + line + (f"aliases: [{quoted(alias)}]\n" if alias is not None else "")
            + f"media:\n  - src: {quoted(src)}\n    alt: An image\n"
            + (f"    width: {scalar}\n" if field == "width" else "")
            + f"sources:\n  - {quoted(bare)}\n  - publisher: P\n    url: {quoted(url)}\n"
            f"    archived: {quoted(archived)}\n---\nBody with [a link]({url}).\n")


@pytest.mark.parametrize("command", ["check", "build"])
def test_urls_and_yaml_scalars(command: str, make_site: MakeSite,
                               capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # check reads every file whatever the others hold; build stops before the pages at the
    # first error, so it gets one fuzzed event, which is often good enough to be rendered.
    count = EVENTS_PER_SITE if command == "check" else 1
    runs = Runs(f"sites of {count} events with fuzzed URLs and YAML scalars ({command})")
    examples = 15 if command == "check" else 6

    @settings(FUZZ, max_examples=examples)
    @given(events=st.lists(fuzzed_event(), min_size=count, max_size=count))
    def one(events: list[str]) -> None:
        site = make_site({**{f"content/events/fuzzed-{i}.md": text
                             for i, text in enumerate(events)},
                          "content/events/good.md": event_file("Good", "2018")})
        args = [command, str(site)] + (["-q", "--no-cache", "-o", str(tmp_path / "out")]
                                       if command == "build" else [])
        runs.run(capsys, args)

    one()
    runs.report(capsys, examples)


# Image headers ---------------------------------------------------------------------------------

def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


SIDES = st.one_of(st.sampled_from([0, 1, 50_000, 65_535, 2**31 - 1, 2**32 - 1]),
                  st.integers(0, 2**32 - 1))
PNGS = st.builds(lambda w, h, depth, colour, cut: (
    b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b""))[:cut],
    SIDES, SIDES, st.sampled_from([1, 8, 16, 7]), st.sampled_from([0, 2, 3, 6, 9]),
    st.sampled_from([8, 20, 33, 200]))
GIFS = st.builds(lambda w, h: b"GIF89a" + struct.pack("<HH", w, h) + b"\x00\x00\x00;",
                 st.integers(0, 65_535), st.integers(0, 65_535))
JPEGS = st.builds(lambda w, h, cut: (b"\xff\xd8\xff\xc0\x00\x11\x08" + struct.pack(">HH", h, w)
                                     + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xd9")[:cut],
                  st.integers(0, 65_535), st.integers(0, 65_535), st.sampled_from([4, 11, 40]))
IMAGES = st.one_of(PNGS, GIFS, JPEGS, st.binary(max_size=64),
                   st.just(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(
                       ">IIBBBBB", 50_000, 50_000, 8, 2, 0, 0, 0))))


def test_image_headers(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    runs = Runs("image headers (check)")

    @settings(FUZZ, max_examples=10)
    @given(image=IMAGES, name=st.sampled_from(["x.png", "x.jpg", "x.gif", "x.webp", "x"]))
    def one(image: bytes, name: str) -> None:
        site = make_site({"content/events/e.md": event_file(
            "Pictured", extra=f"media:\n  - src: img/{name}\n    alt: A picture\n")})
        (site / "static/img").mkdir(parents=True)
        (site / "static/img" / name).write_bytes(image)
        runs.run(capsys, ["check", str(site)])

    one()
    runs.report(capsys, 10)


# Site catalogs ---------------------------------------------------------------------------------

PLURALS = st.sampled_from(["n != 1", "n/0", "n%0", "(" * 490 + "n" + ")" * 490, "n>>>", "0",
                           "n?", "1?2:3", "!" * 300 + "n", "n==1?0:n==2?1:2", "99", "-1",
                           "n" * 2000, ""])
CATALOG_LINES = st.one_of(
    st.sampled_from(['msgid ""', 'msgstr ""', 'msgid "Home"', 'msgstr "홈"',
                     'msgid_plural "Homes"', 'msgstr[0] "a"', 'msgstr[9] "b"', 'msgctxt "c"',
                     '#~ msgid "old"', '"unterminated', '"\\', "msgid", "msgstr[x] \"\"",
                     '#, fuzzy', "", "<<<<<<< HEAD", '"%(count)s"']),
    PLURALS.map(lambda e: f'"Plural-Forms: nplurals=2; plural={e};\\n"'),
    st.sampled_from(["UTF-8", "nosuch", "utf-16", "latin-1", "", "utf-8\\n\" \"x"]).map(
        lambda c: f'"Content-Type: text/plain; charset={c}\\n"'),
    line_text)


def test_site_catalogs(make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    runs = Runs("site catalogs (check)")

    @settings(FUZZ, max_examples=8)
    @given(lines=st.lists(CATALOG_LINES, max_size=12), raw=st.binary(max_size=8))
    def one(lines: list[str], raw: bytes) -> None:
        site = make_site({"content/events/e.md": event_file("Translated")},
                         config=CONFIG + 'languages = ["en", "ko"]\n')
        po = site / "locales/ko/LC_MESSAGES/messages.po"
        po.parent.mkdir(parents=True)
        po.write_bytes("\n".join(lines).encode() + raw)
        runs.run(capsys, ["check", str(site)])

    one()
    runs.report(capsys, 8)


# Import files ----------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), line_text,
              URLS), lambda inner: st.one_of(st.lists(inner, max_size=3),
                                             st.dictionaries(line_text, inner, max_size=3)),
    max_leaves=6)
HTML = st.one_of(st.lists(st.sampled_from(["<b>", "</b>", "<a href='", "'>", "</a>", "<p>",
                                           "<div class='timeline-meta' data-timeline='", "{",
                                           "[", "<script>", "&#0;", "&amp", "<table><tr><td>",
                                           "x", "<!--", "<![CDATA["]), max_size=20).map("".join),
                 nested("<b>", "</b>", 20_000), nested("<ul><li>", "</li></ul>", 20_000), line_text)
DATES = st.one_of(json_values, st.fixed_dictionaries({}, optional={
    "year": st.one_of(st.integers(), line_text, st.just("1" * 5000)),
    "month": st.one_of(st.integers(), line_text), "day": st.one_of(st.integers(), line_text),
    "hour": st.integers(), "display_date": line_text}))
SLIDES = st.fixed_dictionaries({}, optional={
    "start_date": DATES, "end_date": DATES, "unique_id": line_text, "group": line_text,
    "text": st.fixed_dictionaries({}, optional={"headline": HTML, "text": HTML}),
    "media": st.fixed_dictionaries({}, optional={"url": st.one_of(URLS, HTML),
                                                 "caption": HTML, "credit": HTML})})
TIMELINEJS = st.one_of(
    st.fixed_dictionaries({"events": st.lists(st.one_of(SLIDES, json_values), max_size=3)},
                          optional={"title": SLIDES, "eras": st.lists(SLIDES, max_size=2)}
                          ).map(json.dumps),
    nested('{"events": [', "]}"), json_values.map(json.dumps))
COLUMNS = ["date", "end", "title", "summary", "status", "tags", "places", "source_url",
           "source_publisher", "slug", "body", "media", "aliases", "other", "Year", "Month",
           "Day", "Headline", "Text", "Media", "Type", "Time", "x"]
CELLS = st.one_of(line_text, URLS, SCALARS, HTML, st.sampled_from(
    ['"', '""', "\x00", "\r", "=1+1", "'=1", "a\nb", "x" * 140_000, "[" * 5000]))
CSVS = st.builds(
    lambda header, rows: "\n".join([",".join(header)] + [",".join(
        quoted(c).replace('\\"', '""') if i % 2 else c for i, c in enumerate(row))
        for row in rows]),
    st.tuples(st.sampled_from([["date", "title"], ["Year", "Headline"], []]),
              st.lists(st.sampled_from(COLUMNS), max_size=5)).map(lambda t: t[0] + t[1]),
    st.lists(st.lists(CELLS, max_size=6), max_size=3))


@pytest.mark.parametrize("kind", ["json", "csv"])
def test_import_files(kind: str, make_site: MakeSite, capsys: pytest.CaptureFixture[str],
                      tmp_path: Path) -> None:
    runs = Runs(f"import files ({kind})")
    strategy = TIMELINEJS if kind == "json" else CSVS
    number = [0]

    @settings(FUZZ, max_examples=30)
    @given(text=strategy, raw=st.one_of(st.none(), st.binary(max_size=16)),
           update=st.booleans())
    def one(text: str, raw: bytes | None, update: bool) -> None:
        number[0] += 1
        site = make_site({"content/events/there.md": event_file("There")})
        file = tmp_path / f"in-{number[0]}.{kind}"
        file.write_bytes(raw + text.encode() if raw is not None else text.encode())
        runs.run(capsys, ["import", str(file), str(site), *(["--update"] if update else [])])

    one()
    runs.report(capsys, 30)


# In a process of its own, under a memory limit ----------------------------------------------------

def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))


def test_build_in_a_subprocess_within_time_and_memory(make_site: MakeSite, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    runs = Runs("whole builds in a subprocess")
    started: list[float] = []

    @settings(FUZZ, max_examples=2)
    @given(url=URLS, scalar=SCALARS, image=IMAGES)
    def one(url: str, scalar: str, image: bytes) -> None:
        site = make_site({"content/events/e.md": event_file(
            "Sub", extra=f"summary: {scalar}\nmedia:\n  - src: img/x.png\n    alt: X\n",
            sources=f"sources:\n  - publisher: P\n    url: {quoted(url)}\n")})
        (site / "static/img").mkdir(parents=True)
        (site / "static/img/x.png").write_bytes(image)
        started.append(time.perf_counter())
        done = subprocess.run([sys.executable, "-m", "generator", "build", str(site), "-q"],
                              capture_output=True, text=True, timeout=RUN_SECONDS * 4,
                              preexec_fn=_limited)
        took = time.perf_counter() - started[-1]
        runs.count += 1
        runs.slowest = max(runs.slowest, took)
        assert done.returncode in (0, 1), done.stderr
        assert not any(EXCEPTION.search(line) for line in done.stderr.splitlines()), done.stderr

    one()
    runs.report(capsys, 2)

