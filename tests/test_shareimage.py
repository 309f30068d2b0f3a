"""Share images (generator/site/shareimage.py): each event page's ``og:image``, a 1200×630 PNG
drawn at build time, its meta tags, ``og:locale`` and ``twitter:card``, made once per what it
shows and kept by the build state; real builds read back with lxml and Pillow."""

from __future__ import annotations

import io
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageColor, ImageDraw

import generator.site.shareimage as shareimage
from generator.build import build_site, render_site
from generator.content.dates import parse_date
from generator.errors import SiteError
from generator.site.languages import og_locale
from generator.site.shareimage import BOLD, HEIGHT, WIDTH, ShareCard, draw_card, font

from conftest import CONFIG, REPO, MakeSite, event_file, parse_html

ARTIFACTS = REPO / "test-artifacts"
SHARING = CONFIG.replace('language = "en"\n', 'languages = ["en", "ko"]\nshare_images = true\n')
KO_TITLE = "남북 회담 재개"
FILES = {"content/events/talks.md": event_file("Talks resume", "2017-09-11",
                                               extra="status: confirmed\n"),
         "content/events/talks.ko.md": f'---\ntitle: "{KO_TITLE}"\n---\n본문.\n',
         "content/events/other.md": event_file("Other event", "2019-03",
                                               extra="status: disputed\n")}


def meta(page: Path) -> dict[str, list[str]]:
    """Each ``<meta>``'s property (or name) with its contents, in order."""
    found: dict[str, list[str]] = {}
    for element in parse_html(page).iter("meta"):
        key = element.get("property") or element.get("name")
        if key:
            found.setdefault(key, []).append(element.get("content", ""))
    return found


def share_of(output: Path, page: str) -> tuple[str, Path]:
    """The page's og:image URL and the built file it names."""
    url = meta(output / page / "index.html")["og:image"][0]
    return url, output / url.split("/tl/", 1)[-1].lstrip("/")


def test_event_pages_in_both_languages_carry_their_share_image(make_site: MakeSite) -> None:
    site = make_site(FILES, SHARING)
    build_site(site)
    output = site / "site"
    en, ko = (meta(output / page / "index.html") for page in ("events/talks", "ko/events/talks"))
    assert (en["og:locale"], en["og:locale:alternate"]) == (["en_US"], ["ko_KR"])
    assert (ko["og:locale"], ko["og:locale:alternate"]) == (["ko_KR"], ["en_US"])
    for tags, title, date, status in ((en, "Talks resume", "11 September 2017", "Confirmed"),
                                      (ko, KO_TITLE, "2017년 9월 11일", "확인됨")):
        assert tags["twitter:card"] == ["summary_large_image"]
        assert tags["og:image:width"] == ["1200"] and tags["og:image:height"] == ["630"]
        assert tags["og:image:alt"] == [f"{title} · {date} · {status}"]
        url = tags["og:image"][0]
        assert url.startswith("https://example.org/tl/share/") and url.endswith(".png")
        with Image.open(output / url.removeprefix("https://example.org/tl/")) as image:
            assert (image.format, image.size) == ("PNG", (WIDTH, HEIGHT))
    assert en["og:image"] != ko["og:image"]
    # The home page's image: the site's title and description over its span.
    home = meta(output / "index.html")
    assert home["twitter:card"] == ["summary_large_image"]
    assert home["og:image:alt"] == ["Test timeline"] and home["og:locale"] == ["en_US"]
    assert home["og:image"][0] not in (en["og:image"][0], ko["og:image"][0])
    assert meta(output / "ko/index.html")["og:image"] != home["og:image"]
    # Pages with no image of their own say so with the small card.
    for page in ("years/2017/index.html", "ko/tags/index.html"):
        tags = meta(output / page)
        assert tags["twitter:card"] == ["summary"] and "og:image" not in tags
        assert tags["og:locale"] == ["ko_KR" if page.startswith("ko/") else "en_US"]


def test_an_events_own_image_comes_after_its_share_image(make_site: MakeSite) -> None:
    media = "media:\n  - src: https://example.org/map.png\n    alt: A map\n"
    site = make_site({"content/events/map.md": event_file("Map", "2018", extra=media)},
                     SHARING)
    build_site(site)
    tags = meta(site / "site" / "events/map/index.html")
    assert tags["og:image"][1:] == ["https://example.org/map.png"]
    assert tags["og:image"][0].startswith("https://example.org/tl/share/")
    assert tags["og:image:alt"] == ["Map · 2018 · Reported", "A map"]


def test_without_base_url_the_image_is_addressed_from_the_root_as_og_url_is(
        make_site: MakeSite) -> None:
    site = make_site(FILES, SHARING.replace('base_url = "https://example.org/tl/"\n', ""))
    build_site(site)
    tags = meta(site / "site" / "events/talks/index.html")
    assert tags["og:url"] == ["/events/talks/"]
    assert tags["og:image"][0].startswith("/share/")
    assert (site / "site" / tags["og:image"][0].lstrip("/")).is_file()


def test_share_images_are_off_unless_timeline_toml_asks(make_site: MakeSite) -> None:
    site = make_site(FILES, SHARING.replace("share_images = true\n", ""))
    build_site(site)
    tags = meta(site / "site" / "events/talks/index.html")
    assert "og:image" not in tags and tags["twitter:card"] == ["summary"]
    assert tags["og:locale"] == ["en_US"]
    assert not (site / "site" / "share").exists()
    bad = make_site(FILES, SHARING.replace("share_images = true", 'share_images = "yes"'))
    with pytest.raises(SiteError) as caught:
        build_site(bad)
    assert str(caught.value.problems[0]) == \
        "timeline.toml:5: share_images: expected bool, got str"


def test_the_same_site_gives_byte_identical_images(make_site: MakeSite, tmp_path: Path
                                                   ) -> None:
    site = make_site(FILES, SHARING)
    build_site(site, use_cache=False)
    build_site(site, tmp_path / "again", use_cache=False)
    first = {p.name: p.read_bytes() for p in (site / "site" / "share").iterdir()}
    again = {p.name: p.read_bytes() for p in (tmp_path / "again" / "share").iterdir()}
    assert len(first) == 6 and first == again  # two events and the home page, twice
    # serve's memory layer makes the same files
    served = render_site(site)
    assert {k.removeprefix("share/"): v for k, v in served.items()
            if k.startswith("share/")} == first


def test_an_image_is_drawn_once_and_again_only_when_what_it_shows_changes(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site(FILES, SHARING)
    build_site(site)
    output = site / "site"
    drawn: list[str] = []
    real = shareimage.draw_card

    def counted(card: ShareCard) -> bytes:
        drawn.append(card.title)
        return real(card)
    monkeypatch.setattr(shareimage, "draw_card", counted)
    _, talks = share_of(output, "events/talks")
    before = os.stat(talks)
    # Another event's summary changes, then its title: only its own two images are drawn.
    other = site / "content/events/other.md"
    other.write_text(event_file("Other event", "2019-03", extra="status: disputed\n",
                                body="New words."), "utf-8")
    build_site(site)
    assert drawn == []
    old_url, old_file = share_of(output, "events/other")
    other.write_text(event_file("Other event, renamed", "2019-03",
                                extra="status: disputed\n"), "utf-8")
    result = build_site(site)
    assert sorted(drawn) == ["Other event, renamed"] * 2  # its English and Korean pages
    new_url, new_file = share_of(output, "events/other")
    assert new_url != old_url and new_file.is_file() and not old_file.exists()
    after = os.stat(talks)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert result.written < result.pages
    # A warm build with nothing changed draws nothing and writes nothing.
    assert build_site(site).written == 0 and len(drawn) == 2


def test_a_deleted_image_is_drawn_again(make_site: MakeSite) -> None:
    site = make_site(FILES, SHARING)
    build_site(site)
    _, talks = share_of(site / "site", "events/talks")
    data = talks.read_bytes()
    talks.unlink()
    build_site(site)
    assert talks.read_bytes() == data


def test_korean_is_drawn_in_real_hangul_glyphs_not_the_missing_glyph_box() -> None:
    face = font(BOLD, 64)

    def glyph(text: str) -> bytes:
        image = Image.new("L", (100, 100))
        ImageDraw.Draw(image).text((10, 0), text, font=face, fill=255)
        return image.tobytes()
    missing = glyph("\ue000")  # a private use character, not in the font: .notdef
    shapes = {text: glyph(text) for text in "개성공단회담"}
    assert all(shape != missing and any(shape) for shape in shapes.values())
    assert len(set(shapes.values())) == len(shapes)  # each syllable its own glyph
    # and the card shows them: its title drawn as missing glyphs would look otherwise.
    card = ShareCard(KO_TITLE, parse_date("2017-09-11"), "confirmed", "연표", "ko",
                     (2016, 2019))
    boxes = replace(card, title="\ue000" * len(KO_TITLE))
    with Image.open(io.BytesIO(draw_card(card))) as a, \
            Image.open(io.BytesIO(draw_card(boxes))) as b:
        assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()


def test_a_long_title_is_wrapped_and_cut_inside_the_image() -> None:
    long = ShareCard("word " * 120, parse_date("2017"), "reported", "Site", "en", (2000, 2020))
    lines, face = shareimage._title_lines(long.title, WIDTH - 2 * shareimage.MARGIN)
    assert len(lines) == shareimage.TITLE_LINES and lines[-1].endswith("…")
    assert all(face.getlength(line) <= WIDTH - 2 * shareimage.MARGIN for line in lines)
    assert face.size == shareimage.TITLE_SIZES[-1]


def test_the_axis_places_a_day_as_a_dot_and_a_range_as_a_bar() -> None:
    def marked(card: ShareCard) -> list[int]:
        """The x of each pixel of the axis's row in the status's colour (past the band)."""
        colour = ImageColor.getrgb(shareimage.STATUS_COLOURS[card.status])
        with Image.open(io.BytesIO(draw_card(card))) as image:
            rgb = image.convert("RGB")
            return [x for x in range(40, WIDTH) if rgb.getpixel((x, 560)) == colour]
    day = marked(ShareCard("A day", parse_date("2013-07-01"), "confirmed", "S", "en",
                           (2004, 2023)))
    # 2013-07-01 is 9.5 of the span's 20 years: 80 + 9.5 / 20 × 1040 px
    assert 20 <= len(day) <= 26 and abs((day[0] + day[-1]) / 2 - 574) <= 1
    bar = marked(ShareCard("A range", parse_date("2014/2017"), "disputed", "S", "en",
                           (2004, 2023)))
    assert abs(bar[0] - 600) <= 2 and abs(bar[-1] - 808) <= 2  # 2014 to the end of 2017


def test_open_graph_locales_of_languages() -> None:
    assert [og_locale(c) for c in ("en", "ko", "en-GB", "zh-Hant", "pt")] == \
        ["en_US", "ko_KR", "en_GB", "zh_TW", "pt_BR"]


def test_the_real_sites_share_images_saved_for_review(real_site: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = "events/2016-02-10-kaesong-complex-suspended"
    for prefix, name in (("", "share-en.png"), ("ko/", "share-ko.png")):
        tags = meta(real_site / prefix / page / "index.html")
        url = tags["og:image"][0]
        assert url.startswith("https://timeline.example.org/share/")
        path = real_site / url.removeprefix("https://timeline.example.org/")
        with Image.open(path) as image:
            assert image.size == (WIDTH, HEIGHT)
        shutil.copyfile(path, ARTIFACTS / name)
    ko = meta(real_site / "ko" / page / "index.html")
    assert ko["og:image:alt"][0].startswith(ko["og:title"][0])
