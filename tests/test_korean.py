"""The Korean edition says everything in Korean and keeps its links in Korean: labels in
filters, titles, order and search; era titles; the list pages, 404 and redirects; the
exports; JSON-LD and the embed snippet; and a crawl of every /ko/ page of a test site, the
real site and a generated 200-event site that fails on English UI text, a link out of /ko/
to a page /ko/ has, or a term without a Korean label."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import yaml
from korean_crawl import crawl
from lxml import html as lhtml

from generator.build import build_site
from generator.check import check_site
from generator.errors import SiteError

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://t.example.net/"
CONFIG = (f'title = "T"\nbase_url = "{BASE}"\nlanguages = ["en", "ko"]\nauthor = "Editors"\n'
          '[translations.ko]\ntitle = "연표"\nauthor = "편집진"\n')
SOURCE = """sources:
  - publisher: United Nations
    title: Resolution 2375
    language: en
    url: https://www.un.org/a
    published: 2017-09-11
    quote: The Council decides that all States shall prohibit textiles.
"""
FILES = {
    "content/events/un.md": "---\ntitle: UN bans textile exports\ndate: 2017-09-11\n"
    "status: confirmed\nsummary: Resolution 2375.\ntags: [sanctions, textiles]\n"
    "places: [New York]\naliases: [/events/old-un/]\n" + SOURCE + "---\nThe Council acted.\n",
    "content/events/un.ko.md": "---\ntitle: 유엔, 섬유 수출 금지\nsummary: 결의 2375호.\n---\n"
    "안보리가 조치했다.\n",
    "content/events/kaesong.md": "---\ntitle: Kaesong closes\ndate: 2016-02-10\n"
    "status: confirmed\ntags: [sanctions, kaesong]\nplaces: [Kaesong]\n"
    + SOURCE.replace("un.org/a", "un.org/b") + "---\nSeoul halted it.\n",
    "content/events/kaesong.ko.md": "---\ntitle: 개성공단 중단\n---\n한국이 중단했다.\n",
    "content/events/china.md": "---\ntitle: China orders joint ventures closed\n"
    "date: 2017-09-28\nstatus: reported\ntags: [china]\nplaces: [Beijing, Dandong]\n"
    + SOURCE.replace("un.org/a", "un.org/c") + "---\nBeijing acted.\n",
    "content/labels.ko.yaml": "sanctions: 제재\ntextiles: 섬유\nkaesong: 개성공단\nchina: 중국\n"
                              "New York: 뉴욕\nKaesong: 개성\nBeijing: 베이징\nDandong: 단둥\n",
    "content/eras.yaml": "- title: Complex suspended\n  start: \"2016-02-10\"\n"
                         "- title: Sanctions year\n  start: \"2017-01-01\"\n"
                         "  end: \"2017-12-31\"\n",
    "content/eras.ko.yaml": "Complex suspended:\n  title: 공단 중단\n  summary: 가동 중단.\n"
                            "Sanctions year: 제재의 해\n",
}
KO_LABELS = ["제재", "섬유", "개성공단", "중국", "뉴욕", "개성", "베이징", "단둥"]
KO_ERAS = ["공단 중단", "제재의 해"]


def _write(site: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    site.mkdir(parents=True)
    (site / "timeline.toml").write_text(config, "utf-8")
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, "utf-8")
    return site


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual test site, built once for the module."""
    site = _write(tmp_path_factory.mktemp("ko") / "site", FILES)
    build_site(site, use_cache=False)
    return site / "site"


def _page(out: Path, rel: str) -> lhtml.HtmlElement:
    return lhtml.fromstring((out / rel).read_bytes())


def test_filter_menus_use_korean_labels_in_korean_order(out: Path) -> None:
    ko, en = _page(out, "ko/index.html"), _page(out, "index.html")
    options = "//select[@id='f-{}']/option[@value!='']/text()"
    assert ko.xpath(options.format("tag")) == ["개성공단 (1)", "섬유 (1)", "제재 (2)", "중국 (1)"]
    assert ko.xpath(options.format("place")) == ["개성 (1)", "뉴욕 (1)", "단둥 (1)", "베이징 (1)"]
    assert ko.xpath("//select[@id='f-tag']/option[@value!='']/@value") == [
        "kaesong", "textiles", "sanctions", "china"]  # the URLs stay
    assert en.xpath(options.format("tag")) == ["china (1)", "kaesong (1)", "sanctions (2)",
                                               "textiles (1)"]
    terms = _page(out, "ko/tags/index.html")
    assert terms.xpath("//ul[@class='term-list']/li/a/text()") == ["#개성공단", "#섬유", "#제재",
                                                                   "#중국"]


def test_site_author_in_korean(out: Path) -> None:
    assert "편집진" in _page(out, "ko/index.html").xpath("string(//footer//p)")
    assert "Editors" in _page(out, "index.html").xpath("string(//footer//p)")


def test_tag_and_place_pages_are_titled_by_their_label(out: Path) -> None:
    for rel, label in (("ko/tags/kaesong/", "개성공단"), ("ko/places/new-york/", "뉴욕")):
        page = _page(out, rel + "index.html")
        assert page.xpath("//title/text()") == [f"{label} · 연표"]
        assert page.xpath("//meta[@property='og:title']/@content") == [label]
    assert _page(out, "tags/kaesong/index.html").xpath("//title/text()") == ["kaesong · T"]


def test_korean_search_index_holds_the_labels(out: Path) -> None:
    """제재 finds both events tagged sanctions, where the card shows it (class 0)."""
    index = json.loads((out / "ko/search/index.json").read_bytes())
    terms: dict[str, list[list[int]]] = {}
    for path in (out / "ko/search").glob("terms-*.json"):
        for group in json.loads(path.read_bytes()).values():
            terms.update(group)
    shown = terms["제재"][0]
    numbers = [sum(shown[:i + 1]) for i in range(len(shown))]
    assert sorted(index["ids"][n] for n in numbers) == ["kaesong", "un"]
    assert "중국" in terms and "베이징" in terms
    docs = {d["id"]: d for d in json.loads((out / "ko/search.json").read_bytes())["events"]}
    assert docs["un"]["tags"] == "제재 섬유" and docs["china"]["places"] == "베이징 · 단둥"


def test_era_titles_come_from_eras_ko_yaml(out: Path, tmp_path: Path) -> None:
    event = _page(out, "ko/events/un/index.html")
    assert event.xpath("//p[@class='eras']/span[@class='era']/text()") == ["공단 중단",
                                                                           "제재의 해"]
    year = _page(out, "ko/years/2017/index.html")
    assert year.xpath("//p[@class='eras']/span/@lang") == []
    home = _page(out, "ko/index.html")
    svg_titles = home.xpath("//*[local-name()='g'][@class='ov-era']/*[local-name()='title']"
                            "/text()")
    assert svg_titles[0].startswith("공단 중단: 2016년 2월 10일")
    assert _page(out, "events/un/index.html").xpath("//span[@class='era']/text()") == [
        "Complex suspended", "Sanctions year"]
    # An era without a Korean title shows the original, marked English; a stray key warns.
    files = {**FILES, "content/eras.ko.yaml": "Complex suspended: 공단 중단\nNo such era: 없음\n"}
    site = _write(tmp_path / "s", files)
    result = build_site(site, use_cache=False)
    page = _page(site / "site", "ko/events/un/index.html")
    assert page.xpath("//span[@class='era'][@lang='en']/text()") == ["Sanctions year"]
    year = _page(site / "site", "ko/years/2017/index.html")  # the title is English, not its date
    assert year.xpath("//span[@class='era']/span[@lang='en']/text()") == ["Sanctions year"]
    assert year.xpath("//span[@class='era'][span]/text()") == [" (2017년 1월 1일~12월 31일)"]
    assert [str(w) for w in result.warnings] == [
        "content/eras.ko.yaml: warning: No such era: no era has this title in content/eras.yaml"]


def test_list_pages_404_and_redirects_speak_korean(out: Path) -> None:
    for rel in ("ko/tags/sanctions/", "ko/places/kaesong/", "ko/years/2017/"):
        assert _page(out, rel + "index.html").xpath("//a[@class='skip-link']/text()") == [
            "연표로 건너뛰기"]
    missing = _page(out, "ko/404.html")
    assert missing.get("lang") == "ko"
    assert missing.xpath("//h1/text()") == ["페이지를 찾을 수 없습니다"]
    # Served at any depth: its links start at the site's root, in Korean.
    assert missing.xpath("//main//a/@href") == ["/ko/", "/ko/years/", "/ko/tags/", "/ko/places/"]
    # The site's 404, which a host serves for a missing /ko/ page too, says it in Korean
    # as well, leading to /ko/.
    root = _page(out, "404.html")
    assert root.xpath("//h1/text()") == ["Page not found"]
    korean = root.xpath("//section[@lang='ko']")
    assert [k.findtext("h2") for k in korean] == ["페이지를 찾을 수 없습니다"]
    assert korean[0].xpath(".//a/@href") == ["/ko/", "/ko/years/", "/ko/tags/", "/ko/places/"]
    assert korean[0].xpath(".//a/text()")[0] == "연표로 가기"


def test_korean_timelinejs_says_dates_and_links_in_korean(out: Path) -> None:
    slides = {s["unique_id"]: s for s in json.loads(
        (out / "ko/timelinejs.json").read_bytes())["events"]}
    un = slides["un"]
    assert un["display_date"] == "2017년 9월 11일"
    text = lhtml.fromstring(un["text"]["text"])
    assert "출처:" in text.xpath("//p/text()")
    assert text.xpath("//ol/li/text()") == [" (2017년 9월 11일)"]
    assert text.xpath("//a/@href")[-1] == BASE + "ko/events/un/"
    english = {s["unique_id"]: s for s in json.loads(
        (out / "timelinejs.json").read_bytes())["events"]}["un"]
    assert english["display_date"] == "11 September 2017"
    assert lhtml.fromstring(english["text"]["text"]).xpath("//a/@href")[-1] == \
        BASE + "events/un/"
    eras = json.loads((out / "ko/timelinejs.json").read_bytes())["eras"]
    assert eras[0]["start_date"]["display_date"] == "2016년 2월 10일 이후"
    assert eras[0]["text"]["headline"] == "공단 중단"


def test_jsonld_and_embed_of_korean_pages_stay_korean(out: Path) -> None:
    event = _page(out, "ko/events/un/index.html")
    data = json.loads(event.xpath("//script[@type='application/ld+json']/text()")[0])
    assert data["url"] == BASE + "ko/events/un/"
    assert data["location"] == [{"@type": "Place", "name": "뉴욕"}]
    snippet = lhtml.fromstring(event.xpath("//textarea/text()")[0])
    assert snippet.get("src") == BASE + "ko/embed/#un"
    home = lhtml.fromstring(_page(out, "ko/index.html").xpath("//textarea/text()")[0])
    assert home.get("src") == BASE + "ko/embed/"
    english = _page(out, "events/un/index.html")
    assert json.loads(english.xpath("//script[@type='application/ld+json']/text()")[0])[
        "url"] == BASE + "events/un/"
    assert _page(out, "ko/embed/index.html").xpath("//link[@rel='canonical']/@href") == [
        BASE + "ko/"]


def test_korean_feed_names_its_categories_by_label(out: Path) -> None:
    from lxml import etree

    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.parse(str(out / "ko/feed.xml")).getroot()
    entry = next(e for e in feed.iter(f"{atom}entry") if e.findtext(f"{atom}id").endswith(
        "/un/"))
    assert [(c.get("term"), c.get("label")) for c in entry.iter(f"{atom}category")] == [
        ("sanctions", "제재"), ("textiles", "섬유")]
    english = etree.parse(str(out / "feed.xml")).getroot()
    assert {c.get("label") for c in english.iter(f"{atom}category")} == {None}


def test_english_quote_on_a_korean_page_is_marked_english(out: Path) -> None:
    ko, en = _page(out, "ko/events/un/index.html"), _page(out, "events/un/index.html")
    assert ko.xpath("//blockquote[@class='source-quote']/@lang") == ["en"]
    assert ko.xpath("//cite/@lang") == ["en"]
    assert en.xpath("//blockquote[@class='source-quote']/@lang") == []


def test_keep_all_for_korean_in_the_stylesheet() -> None:
    """Korean breaks between words: the rule is in the stylesheet every page loads (the
    browser test checks it applies)."""
    css = (ROOT / "static/assets/timeline.css").read_text("utf-8")
    rules = [line.split("/*")[0].strip() for line in css.splitlines()]
    assert ":lang(ko) { word-break: keep-all; }" in rules


def test_aliases_redirect_in_every_language(out: Path) -> None:
    for rel, target in (("events/old-un/index.html", "../../events/un/"),
                        ("ko/events/old-un/index.html", "../../../ko/events/un/")):
        page = _page(out, rel)
        assert page.xpath("//meta[@http-equiv='refresh']/@content") == [f"0; url={target}"]
    ko = _page(out, "ko/events/old-un/index.html")
    assert ko.get("lang") == "ko"
    assert ko.xpath("//link[@rel='canonical']/@href") == [BASE + "ko/events/un/"]
    assert ko.xpath("//title/text()") == ["옮겨짐: 유엔, 섬유 수출 금지"]
    lines = [line.split() for line in (out / "_redirects").read_text().splitlines()
             if line and not line.startswith("#")]
    assert lines == [["/events/old-un/", "/events/un/", "301"],
                     ["/ko/events/old-un/", "/ko/events/un/", "301"]]


def test_korean_only_site_with_a_leftover_translations_table_warns(tmp_path: Path) -> None:
    config = ('title = "연표"\nlanguage = "ko"\nbase_url = "https://nk.test/"\n\n'
              '[translations.ko]\ntitle = "연표"\n')
    site = _write(tmp_path / "s", {"content/events/un.md": FILES["content/events/un.md"]},
                  config)
    result = build_site(site, use_cache=False)
    assert [str(w) for w in result.warnings] == [
        "timeline.toml:5: warning: translations.ko: unused: 'ko' is the site's only "
        "language, whose title and description are the ones above"]
    assert _page(site / "site", "index.html").get("lang") == "ko"
    # A table for a language the site is not in stays an error.
    (site / "timeline.toml").write_text(config.replace("translations.ko", "translations.ja"))
    with pytest.raises(SiteError):
        build_site(site, use_cache=False)


def test_check_warns_on_unlabelled_terms_and_fails_under_strict(tmp_path: Path) -> None:
    files = {**FILES, "content/labels.ko.yaml": "sanctions: 제재\ntextiles: 섬유\n"
             "kaesong: 개성공단\nNew York: 뉴욕\nKaesong: 개성\nBeijing: 베이징\nDandong: 단둥\n",
             "content/eras.ko.yaml": "Complex suspended: 공단 중단\n"}
    site = _write(tmp_path / "s", files)
    expected = [
        "content/eras.ko.yaml: Sanctions year: the era has no ko title: its /ko/ pages show "
        "it as written",
        "content/labels.ko.yaml: china: the tag has no ko label: its /ko/ pages show it as "
        "written"]
    problems = check_site(site)
    assert [str(p) for p in problems if p.path.startswith("content/")] == \
        [f"{line.split(': ', 1)[0]}: warning: {line.split(': ', 1)[1]}" for line in expected]
    strict = [p for p in check_site(site, strict=True) if p.path.startswith("content/")]
    assert [p.severity for p in strict] == ["error", "error"]
    # A label no event uses any more (a tag renamed by hand) is named too.
    (site / "content/labels.ko.yaml").write_text(files["content/labels.ko.yaml"]
                                                 + "seafood: 해산물\n", "utf-8")
    assert "content/labels.ko.yaml: warning: seafood: no event has this tag or place: a " \
        "label left over (renamed? rename-tag carries it)" in [str(p) for p in check_site(site)]
    assert check_site(_write(tmp_path / "full", FILES)) == []


# The crawl -------------------------------------------------------------------------------

def test_crawl_passes_on_every_korean_page_of_the_test_site(out: Path) -> None:
    pages, breaches = crawl(out, "ko", BASE, KO_LABELS, KO_ERAS)
    assert breaches == []
    assert pages == len(list((out / "ko").rglob("*.html"))) >= 20


def test_crawl_passes_on_every_korean_page_of_the_real_site(tmp_path: Path) -> None:
    build_site(ROOT, tmp_path / "out", use_cache=False)
    labels = yaml.safe_load((ROOT / "content/labels.ko.yaml").read_text("utf-8"))
    eras = yaml.safe_load((ROOT / "content/eras.ko.yaml").read_text("utf-8"))
    pages, breaches = crawl(tmp_path / "out", "ko", "https://timeline.example.org/",
                            labels.values(), [e["title"] for e in eras.values()])
    assert breaches == []
    assert pages > 50
    assert [str(p) for p in check_site(ROOT) if " has no ko " in p.message] == []
    # Resolution 2375: the UN page's date as seen, and the ministry's two clocks told as
    # one date (a slip in its English release), not as a conflict with the UN.
    for rel, slip in (("events/", "a slip in translation"), ("ko/events/", "번역상의 실수")):
        page = lhtml.fromstring((tmp_path / "out" / rel / "2017-09-11-resolution-2375" /
                                 "index.html").read_bytes())
        body = page.xpath("string(//div[contains(@class, 'body')])")
        assert slip in body and "conflict" not in body and "맞지 않" not in body
        said = [" ".join(m.split()) for m in page.xpath("//span[@class='source-meta']")
                if "United Nations" in m.text_content() for m in [m.text_content()]]
        assert said[0].startswith(("Reported 11 September 2017", "2017년 9월 11일"))


TAGS = {"sanctions": "제재", "labour": "노동", "trade": "무역", "textiles": "섬유",
        "munitions": "군수", "diplomacy": "외교"}
PLACES = {"Seoul": "서울", "Pyongyang": "평양", "Kaesong": "개성", "Beijing": "베이징"}


def generated_site(folder: Path, count: int = 200, seed: int = 2375) -> Path:
    """A bilingual site of ``count`` events, every other one translated, with labels for
    every tag and place and Korean titles for its eras."""
    rng = random.Random(seed)  # noqa: S311 (test data, the same on every run)
    files: dict[str, str] = {}
    for n in range(count):
        year = 1990 + n % 34
        date = rng.choice([f"{year}", f"{year}-{1 + n % 12:02d}",
                           f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d}", f"{year}~"])
        tags = rng.sample(sorted(TAGS), rng.randint(1, 3))
        places = rng.sample(sorted(PLACES), rng.randint(0, 2))
        files[f"content/events/e{n:03d}.md"] = (
            f"---\ntitle: Event number {n}\ndate: \"{date}\"\n"
            f"status: {rng.choice(['confirmed', 'reported', 'disputed'])}\n"
            f"tags: [{', '.join(tags)}]\nplaces: [{', '.join(places)}]\n"
            + SOURCE.replace("un.org/a", f"example.org/{n}") + "---\nWhat happened.\n")
        if n % 2 == 0:
            files[f"content/events/e{n:03d}.ko.md"] = (
                f"---\ntitle: 사건 {n}번\nsummary: 요약 {n}.\n---\n일어난 일.\n")
    files["content/labels.ko.yaml"] = yaml.safe_dump({**TAGS, **PLACES}, allow_unicode=True)
    files["content/eras.yaml"] = ("- title: First decade\n  start: \"1990\"\n  end: \"1999\"\n"
                                  "- title: Sanctions years\n  start: \"2006-10-14\"\n")
    files["content/eras.ko.yaml"] = "First decade: 첫 십 년\nSanctions years: 제재 시기\n"
    return _write(folder, files)


def test_crawl_passes_on_a_generated_200_event_bilingual_site(tmp_path: Path) -> None:
    site = generated_site(tmp_path / "big")
    build_site(site, use_cache=False)
    pages, breaches = crawl(site / "site", "ko", BASE, [*TAGS.values(), *PLACES.values()],
                            ["첫 십 년", "제재 시기"])
    assert breaches == []
    assert pages > 200


def test_crawl_names_each_kind_of_breach(tmp_path: Path) -> None:
    """The crawl fails where it should: a theme string left in English, a link from /ko/
    to an English page that /ko/ has, and a tag without a Korean label."""
    files = {**FILES, "content/labels.ko.yaml": FILES["content/labels.ko.yaml"].replace(
        "china: 중국\n", ""),
        "templates/page.html": "{% extends 'base.html' %}{% block main %}<h1>{{ title }}</h1>"
        "<p>Skip to timeline</p><a href=\"{{ root }}events/un/\">un</a>{% endblock %}\n",
        "content/pages/about.md": "---\ntitle: About\n---\nText.\n",
        "content/pages/about.ko.md": "---\ntitle: 소개\n---\n글.\n"}
    site = _write(tmp_path / "s", files)
    build_site(site, use_cache=False)
    _, breaches = crawl(site / "site", "ko", BASE, KO_LABELS, KO_ERAS)
    about = [b for b in breaches if b.startswith("ko/about/")]
    assert about == [
        "ko/about/index.html: English UI text 'Skip to timeline' in <p>: 'Skip to timeline'",
        "ko/about/index.html: link '../../events/un/' leaves /ko/ for /events/un/, which has a "
        "/ko/ version"]
    assert "ko/tags/china/index.html: tag or place 'china' has no ko label" in breaches


def test_a_changed_label_or_era_title_is_rebuilt(tmp_path: Path) -> None:
    """Labels and era titles are inputs like events: a warm build shows the new ones."""
    site = _write(tmp_path / "s", FILES)
    build_site(site)
    labels = site / "content/labels.ko.yaml"
    labels.write_text(labels.read_text("utf-8").replace("제재", "대북제재"), "utf-8")
    eras = site / "content/eras.ko.yaml"
    eras.write_text(eras.read_text("utf-8").replace("공단 중단", "개성공단 중단"), "utf-8")
    result = build_site(site)
    assert result.written > 0
    out = site / "site"
    home = _page(out, "ko/index.html")
    assert "대북제재 (2)" in home.xpath("//select[@id='f-tag']/option/text()")
    assert "#대북제재" in _page(out, "ko/events/kaesong/index.html").xpath(
        "//a[@class='tag']/text()")
    assert "#대북제재" in home.xpath("//li[contains(@class, 'event')]//a[@class='tag']/text()")
    assert _page(out, "ko/tags/sanctions/index.html").xpath("//title/text()") == ["대북제재 · 연표"]
    assert _page(out, "ko/events/un/index.html").xpath("//span[@class='era']/text()")[0] == \
        "개성공단 중단"


def test_check_names_statuses_a_language_has_no_words_for(tmp_path: Path) -> None:
    """A language without the theme's catalog ('ja') shows statuses in English: check says
    so, with the tags and places it has no labels for."""
    config = CONFIG.replace('"ko"]', '"ja"]').split("[translations.ko]")[0]
    files = {k: v for k, v in FILES.items() if ".ko." not in k}
    problems = [str(p) for p in check_site(_write(tmp_path / "s", files, config))]
    assert "locales/ja/LC_MESSAGES/messages.po: warning: status: 'confirmed' has no ja name " \
        "in the catalog" in problems
    assert "locales/ja/LC_MESSAGES/messages.po: warning: status: 'reported' has no ja name " \
        "in the catalog" in problems
    assert "content/labels.ja.yaml: warning: New York: the place has no ja label: its /ja/ " \
        "pages show it as written" in problems


def test_an_english_edition_needs_no_catalog_for_statuses(tmp_path: Path) -> None:
    """A Korean site with an English edition: English is the theme's own language."""
    config = 'title = "연표"\nlanguages = ["ko", "en"]\n'
    files = {"content/events/un.md": FILES["content/events/un.md"],
             "content/labels.en.yaml": "sanctions: Sanctions\ntextiles: Textiles\n"
                                       "New York: New York\n"}
    assert [str(p) for p in check_site(_write(tmp_path / "s", files, config))
            if "status" in str(p)] == []
