"""Each local image's real size, read from static/ at build time (generator/content/images.py)."""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from generator.cli import main
from generator.content.dates import parse_date
from generator.content.images import image_size, local_file, with_image_sizes
from generator.content.model import Event, Media, Source

from conftest import MakeSite, event_file


def _png(path: Path, width: int, height: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), (200, 120, 40)).save(path)


def _event(*media: Media) -> Event:
    return Event("e", "content/events/e.md", "E", parse_date("2017"), "confirmed",
                 (Source(publisher="P"),), media=media, key="k")


def test_the_size_comes_from_the_file_header(tmp_path: Path) -> None:
    _png(tmp_path / "static/img/a.png", 640, 427)
    Image.new("RGB", (300, 200)).save(tmp_path / "static/img/b.jpg", "JPEG")
    assert image_size(tmp_path, "img/a.png") == (640, 427)
    assert image_size(tmp_path, "/img/b.jpg") == (300, 200)


def test_a_changed_file_is_measured_again(tmp_path: Path) -> None:
    path = tmp_path / "static/a.png"
    _png(path, 10, 10)
    assert image_size(tmp_path, "a.png") == (10, 10)
    _png(path, 20, 12)
    os.utime(path, ns=(1, 1))  # a new stamp, whatever the clock's resolution
    assert image_size(tmp_path, "a.png") == (20, 12)


def test_no_file_outside_static_is_read(tmp_path: Path) -> None:
    _png(tmp_path / "secret.png", 5, 5)
    (tmp_path / "static").mkdir()
    assert local_file(tmp_path, "../secret.png") is None
    assert local_file(tmp_path, "/../secret.png") is None
    assert local_file(tmp_path, "https://example.org/a.png") is None
    assert image_size(tmp_path, "missing.png") is None


def test_events_get_sizes_and_a_key_that_follows_the_image(tmp_path: Path) -> None:
    _png(tmp_path / "static/a.png", 800, 600)
    (tmp_path / "static/broken.png").write_bytes(b"not an image")
    given = Media("https://example.org/b.png", "B", width=10, height=5)
    (sized,), problems = with_image_sizes(tmp_path, [_event(Media("a.png", "A"), given)])
    assert [(m.width, m.height) for m in sized.media] == [(800, 600), (10, 5)]
    (first, *_) = sized.media[0].copies
    assert sized.key == f"k+800x600@{first.path},10x5" and problems == []
    (kept,), problems = with_image_sizes(tmp_path, [_event(Media("a.png", "A", width=400))])
    assert (kept.media[0].width, kept.media[0].height) == (400, 300)  # the file's shape
    (bad,), problems = with_image_sizes(tmp_path, [_event(Media("broken.png", "X", line=9))])
    assert bad.media[0].width is None and bad.key == "k"
    assert [str(p) for p in problems] == [
        "content/events/e.md:9: warning: media[0].src: cannot read the size of 'broken.png': "
        "the page shows it without width and height (add them, or use a PNG, JPEG, GIF or "
        "WebP file)"]
    (missing,), problems = with_image_sizes(tmp_path, [_event(Media("nowhere.png", "N"))])
    assert missing.media[0].width is None and problems == []  # the site check says so


def test_a_file_that_is_no_image_is_warned_at_its_line(make_site: MakeSite,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    site = make_site({"content/events/e.md": event_file(
        extra="media:\n  - src: img/x.png\n    alt: X\n"), "static/img/x.png": "no image"})
    assert main(["build", str(site), "-q"]) == 0
    assert ("content/events/e.md:6: warning: media[0].src: cannot read the size of "
            "'img/x.png'") in capsys.readouterr().err
    img = lxml.html.fromstring((site / "site/events/e/index.html").read_bytes()).xpath(
        "//figure/img")[0]
    assert img.get("width") is None and img.get("alt") == "X"
