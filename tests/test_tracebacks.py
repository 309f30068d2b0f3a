"""Inputs that once reached the user as a traceback: each is now one line
``path:line: field: message`` and exit 1 (a lock file, which is only a cache of link checks,
is ignored with a warning as any unreadable lock is)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from generator.cli import main

from conftest import CONFIG, MakeSite, event_file

EVENT = "content/events/a.md"
BILINGUAL = CONFIG + 'languages = ["en", "ko"]\n'
CATALOG = "locales/ko/LC_MESSAGES/messages.po"


def png(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` by ``height`` (its pixels are never there)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 10)) + chunk(b"IEND", b""))


def with_source(url: str) -> str:
    return event_file("A", sources=f'sources:\n  - publisher: P\n    url: "{url}"\n'
                                   "    published: 2017-10-03\n")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(list(args))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def fails_with(site: Path, line: str, capsys: pytest.CaptureFixture[str]) -> None:
    """check, build and a build from scratch each exit 1 with ``line``; nothing is written."""
    for command in (["check"], ["build", "-q"], ["build", "-q", "--no-cache"]):
        code, err = run(capsys, *command, str(site))
        assert code == 1, command
        assert line in err, (command, err)
    assert not (site / "site").exists()


# URLs no one could follow ------------------------------------------------------------------

@pytest.mark.parametrize("url, why", [
    ("https://[zz]/", "'zz' does not appear to be an IPv4 or IPv6 address"),
    ("https://[::1/", "Invalid IPv6 URL"),
    ("https://example.org:99999/", "Port out of range 0-65535"),
    ("https://example.org:abc/", "Port could not be cast to integer value as 'abc'"),
])
def test_a_url_with_no_host_or_port_is_one_line(url: str, why: str, make_site: MakeSite,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: with_source(url)})
    fails_with(site, f"{EVENT}:7: sources[0].url: '{url}' has no host or port a link can "
                     f"reach ({why})", capsys)


def test_such_urls_as_a_bare_source_an_image_and_an_archive(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A", extra="media:\n  - src: //[zz]/a.png\n"
                                                   "    alt: An image\n",
                                        sources="sources:\n  - https://[zz]/\n"
                                                "  - publisher: P\n    url: https://e.org/\n"
                                                "    archived: https://e.org:0x1/\n")})
    code, err = run(capsys, "check", str(site))
    assert code == 1
    assert [line.split(": ", 2)[:2] for line in err if " has no host or port" in line] == [
        [f"{EVENT}:6", "media[0].src"], [f"{EVENT}:9", "sources[0].url"],
        [f"{EVENT}:12", "sources[1].archived"]]


def test_a_control_character_in_a_url_is_removed_with_a_warning(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: with_source("https://exa\\u0001mple.org/")})
    code, err = run(capsys, "build", "-q", str(site))
    assert code == 0
    assert (f"{EVENT}:7: warning: sources[0].url: control characters removed (U+0001): they "
            "are not text") in err


# A number too long for Python ----------------------------------------------------------------

def test_a_date_of_5000_digits_is_one_line(make_site: MakeSite,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A").replace('date: "2017-09-11"',
                                                     "date: " + "1" + "0" * 5000)})
    fails_with(site, f"{EVENT}:3: date: '1000000000000000000000000000000000000000… (5,001 "
                     "characters)' is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (EDTF)", capsys)


@pytest.mark.parametrize("number", ["9" * 5000, "0x" + "f" * 5000, ":".join(["1"] + ["59"] * 3000)])
def test_any_integer_too_long_to_print_is_text(number: str, make_site: MakeSite,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A", extra="media:\n  - src: https://e.org/a.png\n"
                                                   f"    alt: A\n    width: {number}\n")})
    fails_with(site, f"{EVENT}:8: media[0].width: expected a whole number of pixels", capsys)


@pytest.mark.parametrize("value, why", [
    ("!!float x", "could not convert string to float: 'x'"),
    ("!!bool maybe", "'maybe'"),
    ("!!timestamp 2017-13-45", "month must be in 1..12"),
])
def test_a_value_yaml_cannot_convert_is_one_line(value: str, why: str, make_site: MakeSite,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A", extra=f"featured: {value}\n")})
    fails_with(site, f"{EVENT}:5: invalid YAML: cannot read this value as its type ({why})",
               capsys)


@pytest.mark.parametrize("toml", ["x = " + "1" * 5000, "x = " + "[" * 5000 + "]" * 5000])
def test_timeline_toml_too_long_or_deep_is_one_line(toml: str, make_site: MakeSite,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A")}, config=CONFIG + toml + "\n")
    fails_with(site, "timeline.toml: invalid TOML: too deep or too long", capsys)


@pytest.mark.parametrize("labels", ["a: " + "1" * 5000, "a: " + "[" * 5000 + "]" * 5000])
def test_a_labels_file_too_long_or_deep_is_one_line(labels: str, make_site: MakeSite,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A"), "content/labels.ko.yaml": labels + "\n"},
                     config=BILINGUAL)
    fails_with(site, "content/labels.ko.yaml: expected lines of `tag or place: label`", capsys)


# A decompression bomb ----------------------------------------------------------------------

def bomb_site(make_site: MakeSite) -> Path:
    site = make_site({EVENT: event_file("A", extra="media:\n  - src: img/bomb.png\n"
                                                   "    alt: Fifty thousand squared\n")})
    (site / "static/img").mkdir(parents=True)
    (site / "static/img/bomb.png").write_bytes(png(50_000, 50_000))
    return site


BOMB = (f"{EVENT}:6: media[0].src: 'img/bomb.png' has more than 178,956,970 pixels, which "
        "Pillow refuses to read (a decompression bomb could): save it at the size a page shows")


def test_a_decompression_bomb_is_one_line(make_site: MakeSite,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fails_with(bomb_site(make_site), BOMB, capsys)


# A site catalog ------------------------------------------------------------------------------

@pytest.mark.parametrize("po, line", [
    ('msgid "x"\nmsgstr "y\n\nmsgid', f"{CATALOG}:4: not a catalog gettext can read: missing "
                                      "msgstr for msgid ''"),
    ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=n/0;\\n"\n\nmsgid "a"\n'
     'msgstr "b"\n', f"{CATALOG}: not a catalog gettext can read: integer division or modulo "
                     "by zero"),
    ('msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=' + "(" * 490 + "n" + ")" * 490
     + ';\\n"\n', f"{CATALOG}: not a catalog gettext can read: plural form expression is "
                  "too complex"),
    ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=nosuch\\n"\n', f"{CATALOG}: not a "
     "catalog gettext can read: unknown encoding: nosuch"),
])
def test_a_broken_catalog_is_one_line(po: str, line: str, make_site: MakeSite,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A"), CATALOG: po}, config=BILINGUAL)
    fails_with(site, line, capsys)


# The lock file ---------------------------------------------------------------------------------

def test_a_lock_file_nested_too_deeply_is_ignored_with_a_warning(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({EVENT: event_file("A"),
                      "content/sources.lock.json": "[" * 100_000 + "]" * 100_000})
    for command in (["check"], ["build", "-q"], ["build", "-q", "--no-cache"]):
        code, err = run(capsys, *command, str(site))
        assert code == 0
        assert ("content/sources.lock.json: warning: nests too deeply to be a lock file: "
                "ignored, and rebuilt by `timeline sources check`") in err


# Import files ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, text, line", [
    ("deep.json", '{"events": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "1: invalid JSON: nested too deeply to read"),
    ("html.json", '{"events": [{"start_date": {"year": 2017}, "text": {"headline": "x", '
     '"text": "' + "<b>" * 100_000 + '"}}]}', "1: nested too deeply to read: simplify its HTML"),
    ("meta.json", '{"events": [{"start_date": {"year": 2017}, "text": {"headline": "x", '
     '"text": "<div class=\\"timeline-meta\\" data-timeline=\\"' + "[" * 100_000
     + '\\"></div>"}}]}', None),
    ("big.csv", 'date,title\n2017,"' + "x" * 200_000 + '"\n',
     "2: not CSV that can be read: field larger than field limit (131072)"),
    ("other.csv", 'date,title,other\n2017,A,"' + "[" * 100_000 + '"\n',
     '2: other: expected a JSON object of front-matter fields, e.g. {"example_note": "..."}'),
])
def test_an_import_file_too_deep_or_too_big_is_one_line(
        name: str, text: str, line: str | None, make_site: MakeSite, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({})
    (tmp_path / name).write_text(text, "utf-8")
    code, err = run(capsys, "import", str(tmp_path / name), str(site))
    if line is not None:
        assert code == 1
        assert f"{tmp_path / name}:{line}" in err
    else:  # the metadata block is only a hint: the slide imports without it
        assert code == 0
