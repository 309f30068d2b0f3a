"""The CSV cells that hold several values: sources one a line, images ``src | alt | ...``."""

from __future__ import annotations

from generator.interop.cells import (
    NO_ALT,
    media_cell,
    media_from,
    sources_from,
    split_fields,
)


def test_sources_line_by_line() -> None:
    cells = {"source_publisher": "A\n\nC", "source_url": "https://a.test/\n\nhttps://c.test/",
             "source_title": "T"}
    assert sources_from(cells) == [
        {"publisher": "A", "url": "https://a.test/", "title": "T"},
        {"publisher": "C", "url": "https://c.test/"}]
    assert sources_from({}) == []


def test_split_fields() -> None:
    assert split_fields("a | b \\| c|d") == ["a", "b | c", "d"]
    assert split_fields("") == [""]


def test_media_read_and_written_back() -> None:
    cell = "/i/a.jpg | The gate | Caption \\| more | AP | 640x480\nb.png | B | | | 320x\n"
    media, warnings = media_from(cell)
    assert warnings == []
    assert media == [
        {"src": "/i/a.jpg", "alt": "The gate", "caption": "Caption | more", "credit": "AP",
         "width": 640, "height": 480},
        {"src": "b.png", "alt": "B", "width": 320}]
    assert media_from(media_cell(media)) == (media, [])
    assert media_cell(media).split("\n")[1] == "b.png | B |  |  | 320x"


def test_media_problems() -> None:
    media, warnings = media_from("a.jpg\nb.jpg | B | c | d | 3x4 | extra\nc.jpg | C | | | big")
    assert media == [{"src": "a.jpg", "alt": NO_ALT}, {"src": "c.jpg", "alt": "C"}]
    assert warnings == [
        "'a.jpg' has no alt text: describe the image in the written file's media alt",
        "'b.jpg | B | c | d | 3x4 | extra' has more than 5 fields: write src | alt | caption | "
        "credit | WIDTHxHEIGHT (\\| for a '|' inside one)",
        "'big' is not a size: write WIDTHxHEIGHT, like 640x480 (or 640x for a width alone)"]


def test_media_cell_drops_empty_trailing_fields() -> None:
    assert media_cell([{"src": "a.jpg", "alt": "A  b\nc"}]) == "a.jpg | A b c"
    assert media_cell([]) == ""
