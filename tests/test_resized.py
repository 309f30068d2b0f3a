"""Images that fit: each local image's resized WebP copies (generator/site/resized.py), shown
by srcset on cards and event pages with the original linked, made once per image content and
kept by the build state; an original over large_image_mb is a warning."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import struct
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from PIL import Image, ImageCms
from playwright.sync_api import Browser

from generator.build import build_site, load_site
from generator.cli import main
from generator.errors import SiteError
from generator.incremental.memory import MemoryState
from generator.incremental.store import CACHE_DIR, STATE_FILE
from generator.report import BuildResult
from generator.site import resized

from conftest import CONFIG, MakeSite, event_file, parse_html, tree_hash
from test_browser import serve

WEBP_CHUNKS = {"VP8 ", "VP8L", "VP8X", "ALPH"}
"""The chunks of a WebP file that hold the picture; EXIF, XMP and ICCP would be metadata."""


def _media(src: str, extra: str = "") -> str:
    return f"media:\n  - src: {src}\n    alt: The picture\n{extra}"


def _photo(path: Path, width: int, height: int, seed: int = 7, **save: object) -> None:
    """A photo-like JPEG: noise at half size, enlarged (JPEG keeps its detail: megabytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    noise = random.Random(seed).randbytes(width // 2 * (height // 2) * 3)  # noqa: S311
    rough = Image.frombytes("RGB", (width // 2, height // 2), noise)
    rough.resize((width, height), Image.Resampling.BICUBIC).save(path, "JPEG", **save)


def _plain(path: Path, width: int, height: int, mode: str = "RGB", **save: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    colour = (40, 120, 200, 128) if mode == "RGBA" else (40, 120, 200)
    Image.new(mode, (width, height), colour).save(path, **save)


def _srcset(img: lxml.html.HtmlElement) -> list[tuple[str, int]]:
    return [(url, int(w.removesuffix("w"))) for url, w in
            (entry.split() for entry in img.get("srcset").split(", "))]


def _file(site: Path, page: str, url: str) -> Path:
    """The output file a relative ``url`` on the page at ``page`` (a folder) points at."""
    return site / "site" / urljoin(page, url)


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The editor's case: a 2400×1600 photo of about 6 MB as an event's only image."""
    site = tmp_path_factory.mktemp("photo")
    (site / "timeline.toml").write_text(CONFIG, "utf-8")
    (site / "content/events").mkdir(parents=True)
    (site / "content/events/e.md").write_text(
        event_file("A big photo", extra=_media("images/big.jpg")), "utf-8")
    _photo(site / "static/images/big.jpg", 2400, 1600, quality=100)
    return site, build_site(site)


def test_the_home_page_thumbnail_is_a_small_copy_never_the_original(
        photo_site: tuple[Path, BuildResult]) -> None:
    site, _ = photo_site
    original = site / "static/images/big.jpg"
    assert original.stat().st_size > 5_000_000
    home = parse_html(site / "site/index.html")
    (img,) = home.xpath("//li[@id='e']//img")
    assert (img.get("width"), img.get("height")) == ("2400", "1600")  # the real size
    assert img.get("sizes") == "(max-width: 30rem) 5rem, 7rem"
    entries = _srcset(img)
    assert [w for _, w in entries] == [480, 960, 1600]
    assert img.get("src") == entries[0][0]  # the smallest
    for url, width in entries:
        with Image.open(_file(site, "", url)) as copy:
            assert (copy.format, copy.size) == ("WEBP", (width, round(width * 1600 / 2400)))
    assert _file(site, "", entries[0][0]).stat().st_size < original.stat().st_size / 40
    assert not any("big.jpg" in src for src in home.xpath("//img/@src | //img/@srcset"))


def test_the_event_page_shows_a_copy_that_fits_and_links_the_original(
        photo_site: tuple[Path, BuildResult]) -> None:
    site, _ = photo_site
    page = "events/e/"
    (figure,) = parse_html(site / "site" / page / "index.html").xpath("//figure")
    (link,) = figure.xpath("a[@class='media-original']")
    assert _file(site, page, link.get("href")).read_bytes() == \
        (site / "static/images/big.jpg").read_bytes()
    (img,) = link.xpath("img")
    assert (img.get("width"), img.get("height"), img.get("alt")) == (
        "2400", "1600", "The picture")
    assert img.get("sizes") == "(min-width: 50rem) 48rem, calc(100vw - 2rem)"
    entries = _srcset(img)
    assert [w for _, w in entries] == [480, 960, 1600] and img.get("src") == entries[-1][0]
    assert all(_file(site, page, url).is_file() for url, _ in entries)


LOADED = """(selector) => { const img = document.querySelector(selector);
    img.scrollIntoView(); return img.complete && img.naturalWidth > 0 && img.currentSrc; }"""


@pytest.mark.parametrize(("width", "scale", "chosen"),
                         [(1280, 1, 960), (375, 2, 960), (1280, 2, 1600)])
def test_a_browser_loads_the_copy_that_fits_never_the_original(
        browser: Browser, photo_site: tuple[Path, BuildResult], width: int, scale: int,
        chosen: int) -> None:
    site, _ = photo_site
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  device_scale_factor=scale)
    page = context.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    with serve(site / "site") as url:
        page.goto(url)
        thumb = page.wait_for_function(LOADED, arg="li#e img.thumb").json_value()
        page.goto(url + "events/e/")
        large = page.wait_for_function(LOADED, arg="figure img").json_value()
    context.close()
    assert thumb.endswith("-480.webp") and large.endswith(f"-{chosen}.webp")
    assert [u for u in asked if u.endswith(".jpg")] == []


def test_an_original_over_large_image_mb_is_a_warning_at_its_line(
        photo_site: tuple[Path, BuildResult]) -> None:
    site, result = photo_site
    mb = (site / "static/images/big.jpg").stat().st_size / 1_000_000
    assert f"content/events/e.md:6: warning: media[0].src: 'images/big.jpg' is {mb:.1f} MB, " \
        "over large_image_mb (2 MB): pages show smaller copies, but its link opens all of it; " \
        "save it smaller (2400 px wide is plenty), or raise large_image_mb in timeline.toml" \
        in [str(w) for w in result.warnings]


def test_large_image_mb_is_read_from_timeline_toml(make_site: MakeSite) -> None:
    files = {"content/events/e.md": event_file(extra=_media("a.jpg"))}
    site = make_site(files, CONFIG + "large_image_mb = 0.05\n")
    _photo(site / "static/a.jpg", 600, 400, quality=95)  # about 0.2 MB
    *_, problems = load_site(site)
    assert [(p.path, p.line, p.field) for p in problems if "large_image_mb" in p.message] \
        == [("content/events/e.md", 6, "media[0].src")]
    (site / "timeline.toml").write_text(CONFIG + "large_image_mb = 1\n", "utf-8")
    *_, problems = load_site(site)
    assert not [p for p in problems if "large_image_mb" in p.message]
    (site / "timeline.toml").write_text(CONFIG + "large_image_mb = 0\n", "utf-8")
    with pytest.raises(SiteError) as caught:
        load_site(site)
    assert [str(p) for p in caught.value.problems] == [
        "timeline.toml:6: large_image_mb: must be more than 0"]
    (site / "timeline.toml").write_text(CONFIG + 'large_image_mb = "big"\n', "utf-8")
    with pytest.raises(SiteError) as caught:
        load_site(site)
    assert [str(p) for p in caught.value.problems] == [
        "timeline.toml:6: large_image_mb: expected float, got str"]


def test_copies_are_never_enlarged_and_keep_transparency(make_site: MakeSite) -> None:
    site = make_site({
        "content/events/a.md": event_file("Small", "2017-01-01", extra=_media("small.png")),
        "content/events/b.md": event_file("Middle", "2017-01-02", extra=_media("mid.jpg"))})
    _plain(site / "static/small.png", 300, 200, "RGBA")
    _plain(site / "static/mid.jpg", 1000, 500)
    build_site(site)
    home = parse_html(site / "site/index.html")
    (small,) = home.xpath("//li[@id='a']//img")
    ((url, width),) = _srcset(small)
    with Image.open(_file(site, "", url)) as copy:
        assert (width, copy.size, copy.mode) == (300, (300, 200), "RGBA")
    (mid,) = home.xpath("//li[@id='b']//img")
    assert [w for _, w in _srcset(mid)] == [480, 960, 1000]


def test_a_turned_photo_is_shown_upright(make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": event_file(extra=_media("turned.jpg"))})
    exif = Image.Exif()
    exif[0x0112] = 6  # stored 400×300, shown turned a quarter: 300×400
    _plain(site / "static/turned.jpg", 400, 300, exif=exif.tobytes())
    build_site(site)
    (img,) = parse_html(site / "site/index.html").xpath("//li[@id='e']//img")
    assert (img.get("width"), img.get("height")) == ("300", "400")
    ((url, _),) = _srcset(img)
    with Image.open(_file(site, "", url)) as copy:
        assert copy.size == (300, 400)


def test_remote_and_animated_images_are_left_as_they_are(make_site: MakeSite) -> None:
    remote = _media("https://img.example.org/map.png", "    width: 320\n    height: 200\n")
    site = make_site({
        "content/events/a.md": event_file("Remote", "2017-01-01", extra=remote),
        "content/events/b.md": event_file("Moving", "2017-01-02", extra=_media("moving.gif"))})
    frames = [Image.new("P", (640, 480), n) for n in (1, 2)]
    (site / "static").mkdir()
    frames[0].save(site / "static/moving.gif", save_all=True, append_images=frames[1:])
    build_site(site)
    home = parse_html(site / "site/index.html")
    (a,) = home.xpath("//li[@id='a']//img")
    assert (a.get("src"), a.get("srcset")) == ("https://img.example.org/map.png", None)
    (b,) = home.xpath("//li[@id='b']//img")
    assert (b.get("src"), b.get("srcset"), b.get("width")) == ("moving.gif", None, "640")
    assert not (site / "site/resized").exists()


def test_an_image_of_more_pixels_than_pillow_decodes_safely_is_shown_as_it_is(
        make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": event_file(extra=_media("huge.png"))})
    (site / "static").mkdir()
    Image.new("1", (10_000, 9_000)).save(site / "static/huge.png")  # 90 million pixels
    build_site(site)
    (img,) = parse_html(site / "site/index.html").xpath("//li[@id='e']//img")
    assert (img.get("src"), img.get("srcset"), img.get("width")) == ("huge.png", None, "10000")
    assert not (site / "site/resized").exists()


def _chunks(data: bytes) -> set[str]:
    """The chunk names of a WebP (RIFF) file."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    names, at = set(), 12
    while at < len(data):
        name, size = data[at:at + 4].decode("ascii"), struct.unpack("<I", data[at + 4:at + 8])[0]
        names.add(name)
        at += 8 + size + size % 2
    return names


def test_copies_are_the_same_bytes_every_time_and_hold_no_metadata(make_site: MakeSite
                                                                    ) -> None:
    site = make_site({"content/events/e.md": event_file(extra=_media("tagged.jpg"))})
    exif = Image.Exif()
    exif[0x0132] = "2026:12:07 10:00:00"  # DateTime
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _photo(site / "static/tagged.jpg", 1200, 800, exif=exif.tobytes(), icc_profile=srgb)
    first, second = site / "out1", site / "out2"
    build_site(site, first, use_cache=False)
    build_site(site, second, use_cache=False)
    assert tree_hash(first) == tree_hash(second)
    copies = list((first / "resized").iterdir())
    assert sorted(p.name.rsplit("-", 1)[1] for p in copies) == [
        "1200.webp", "480.webp", "960.webp"]
    for path in copies:
        assert _chunks(path.read_bytes()) <= WEBP_CHUNKS


def _copy_stamps(output: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (output / "resized").iterdir()}


def _kept(site: Path) -> set[str]:
    with sqlite3.connect(site / CACHE_DIR / STATE_FILE) as db:
        return {row[0] for row in db.execute("SELECT path FROM images")}


def _no_making(*_: object) -> None:
    raise AssertionError("a copy was made again")


def test_copies_are_made_once_per_image_content(make_site: MakeSite,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra=_media("one.jpg"))})
    _photo(site / "static/one.jpg", 1000, 600)
    build_site(site)
    stamps, kept = _copy_stamps(site / "site"), _kept(site)
    assert len(stamps) == 3 and kept == {f"resized/{name}" for name in stamps}
    # An edit, and a second event showing the same image saved under another name.
    shutil.copy(site / "static/one.jpg", site / "static/again.jpg")
    (site / "content/events/b.md").write_text(
        event_file("B", "2018-01-01", extra=_media("again.jpg")), "utf-8")
    with monkeypatch.context() as patch:
        patch.setattr(resized, "make_copies", _no_making)
        result = build_site(site)
        assert result.events == 2 and _copy_stamps(site / "site") == stamps  # left in place
        written = tree_hash(site / "site")
        shutil.rmtree(site / "site")  # the output gone: the copies come from the state
        build_site(site)
        assert tree_hash(site / "site") == written
        with pytest.raises(AssertionError, match="made again"):  # the guard does bite
            build_site(site, site / "cold", use_cache=False)
    home = parse_html(site / "site/index.html")
    assert home.xpath("//li[@id='a']//img/@srcset") == home.xpath("//li[@id='b']//img/@srcset")
    # A changed image gets new copies; the old ones leave the site and the build state.
    _photo(site / "static/one.jpg", 1000, 600, seed=8)
    (site / "static/again.jpg").unlink()
    (site / "content/events/b.md").unlink()
    build_site(site)
    assert len(_kept(site)) == 3 and _kept(site).isdisjoint(kept)
    assert set(_copy_stamps(site / "site")).isdisjoint(stamps)


def test_a_warm_build_is_byte_identical_to_a_no_cache_build(make_site: MakeSite) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra=_media("one.jpg")),
                      "content/events/b.md": event_file("B", "2018-01-01",
                                                        extra=_media("two.png"))})
    _photo(site / "static/one.jpg", 1700, 1000)
    _plain(site / "static/two.png", 700, 300, "RGBA")
    build_site(site)
    path = site / "content/events/a.md"
    path.write_text(path.read_text("utf-8").replace("What happened", "What then happened"))
    assert build_site(site).written > 0  # warm: pages made again, copies kept
    build_site(site, site / "cold", use_cache=False)
    assert tree_hash(site / "site") == tree_hash(site / "cold")


def test_serve_keeps_the_copies_in_memory(make_site: MakeSite,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"content/events/a.md": event_file("A", extra=_media("one.jpg"))})
    _photo(site / "static/one.jpg", 900, 600)
    state = MemoryState(site, site / "out", False, None)
    build_site(site, state.output, state=state)
    first = {rel: data for rel, data in state.site_files.items() if rel.startswith("resized/")}
    assert len(first) == 2
    path = site / "content/events/a.md"
    path.write_text(path.read_text("utf-8").replace("What happened", "What then happened"))
    state.notice([path])
    with monkeypatch.context() as patch:
        patch.setattr(resized, "make_copies", _no_making)
        build_site(site, state.output, state=state)
    build_site(site, site / "cold", use_cache=False)
    assert {rel: data for rel, data in state.site_files.items() if rel in first} == \
        {rel: (site / "cold" / rel).read_bytes() for rel in first}


def test_an_image_pillow_cannot_decode_stops_the_build_at_its_line(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site({"content/events/e.md": event_file(extra=_media("images/cut.jpg"))})
    _plain(site / "static/images/cut.jpg", 600, 400)
    assert main(["build", str(site), "-q"]) == 0
    before = tree_hash(site / "site")
    data = (site / "static/images/cut.jpg").read_bytes()
    (site / "static/images/cut.jpg").write_bytes(data[:len(data) // 2])
    os.utime(site / "static/images/cut.jpg", ns=(1, 1))
    assert main(["build", str(site), "-q"]) == 1
    err = capsys.readouterr().err
    assert "content/events/e.md:6: media[0].src: cannot make smaller copies of " \
           "'images/cut.jpg': image file is truncated" in err
    assert err.rstrip().endswith("save the image again (as JPEG, PNG or WebP)")
    assert "Traceback" not in err and tree_hash(site / "site") == before


def test_an_image_changed_while_the_build_reads_it_is_never_kept_under_the_old_name(
        make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": event_file(extra=_media("a.png"))})
    _plain(site / "static/a.png", 600, 400)
    _, timeline, _ = load_site(site)  # the copies are named after these bytes ...
    _plain(site / "static/a.png", 600, 400, "RGBA")  # ... and these are saved meanwhile
    (original,) = resized.originals(site, timeline.events)
    problem = resized.make_copies(original)
    assert str(problem) == ("content/events/e.md:6: media[0].src: 'a.png' changed while the "
                            "build read it: build again")


def test_an_image_too_tall_for_webp_is_one_line_not_a_traceback(
        make_site: MakeSite, capsys: pytest.CaptureFixture[str]) -> None:
    """libwebp refuses a side over 16,383 px; Pillow raised it from the save (found by
    test_fuzz.py's image headers). A copy is narrower than its original, never taller."""
    site = make_site({"content/events/e.md": event_file(extra=_media("images/strip.png"))})
    _plain(site / "static/images/strip.png", 2, 20_000, format="PNG")
    for command in (["check", str(site)], ["build", str(site), "-q"]):
        assert main(command) == 1
        err = capsys.readouterr().err
        assert "content/events/e.md:6: media[0].src: cannot make smaller copies of " \
               "'images/strip.png': a copy" in err
        assert "beyond WebP's 16383 px" in err and "Traceback" not in err
    assert not (site / "site").exists()
