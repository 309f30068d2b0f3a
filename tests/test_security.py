"""XSS and hostile input: nothing a content file says can run script in a built page."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import render_site
from generator.cli import main
from generator.errors import SiteError
from generator.site.citefiles import FORMATS

from conftest import CONFIG, MakeSite, parse_html

PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
            "javascript:alert(1)", "</script><script>alert(1)</script>",
            "<svg onload=alert(1)>", "' onmouseover='alert(1)"]
OUR_SCRIPTS = {"assets/timeline.js", "assets/tips.js", "assets/event.js", "assets/filters.js",
               "assets/navigator.js", "assets/zoom.js"}  # filters, navigator, zoom: the home page


def _hostile_event(payload: str) -> str:
    quoted = payload.replace("\\", "\\\\").replace('"', '\\"')
    return f'''---
title: "T {quoted}"
date: 2017-09-11
status: confirmed
summary: "S {quoted}"
tags: ["{quoted}", plain]
places: ["{quoted}"]
media:
  - src: https://example.org/i.jpg
    alt: "A {quoted}"
    caption: "C {quoted}"
    credit: "R {quoted}"
sources:
  - publisher: "P {quoted}"
    title: "H {quoted}"
    url: https://example.org/a?q=%22%3E
    via: "V {quoted}"
    language: "{quoted}"
    quote: "Q {quoted}"
---
Body {payload}

[link](javascript:alert(1)) ![img](javascript:alert(1)) <a href="javascript:alert(1)">raw</a>

<iframe src="https://evil.example"></iframe> <div onclick="alert(1)">x</div>
'''


CITATION_DATA = tuple(f"data:{media};charset=utf-8;base64," for _, _, media in FORMATS)


def _citation_download(element: lxml.html.HtmlElement, value: str) -> bool:
    """The Cite block's downloads: a ``data:`` link, but only of a citation format (text a
    browser saves, never a document it shows) and only as a download."""
    return element.tag == "a" and element.get("download") is not None and \
        element.getparent().get("class") == "cite-downloads" and \
        value.startswith(CITATION_DATA) and "," not in value.split(",", 1)[1]


def _assert_no_script(root: Path) -> None:
    """Parse every page: only our own script files, no handlers, no script URLs."""
    pages = sorted(root.rglob("*.html"))
    assert pages
    for page in pages:
        doc = lxml.html.fromstring(page.read_bytes())
        for script in doc.iter("script"):
            src = script.get("src")
            if script.get("type") == "application/ld+json":
                assert "<" not in (script.text or ""), page
                continue
            assert src is not None and any(src.endswith(s) for s in OUR_SCRIPTS), page
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            # The only SVGs are the theme's own: the overview and an event page's axis.
            assert element.tag not in ("iframe", "object", "embed", "svg") or \
                element.get("class", "").startswith(("overview", "event-axis")), (
                    page, element.tag)
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), (page, name)
                if element.tag == "link" and value == "data:,":
                    continue  # the theme's empty favicon, which saves a request
                if name == "href" and _citation_download(element, value):
                    continue
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    assert not value.strip().lower().startswith(("javascript:", "data:")), \
                        (page, value)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_field_stay_text(payload: str, make_site: MakeSite) -> None:
    site = make_site({
        "content/events/e.md": _hostile_event(payload),
        "content/pages/p.md": f'---\ntitle: "Page {payload.replace(chr(34), "")}"\n---\n'
                              f"{payload}\n",
    }, config=CONFIG.replace('title = "Test timeline"', 'title = "Site <script>x</script>"'))
    assert main(["build", str(site), "-q"]) == 0
    _assert_no_script(site / "site")
    doc = parse_html(site / "site" / "events" / "e" / "index.html")
    assert doc.cssselect("h1")[0].text_content() == f"T {payload}"
    shown = doc.cssselect(".body")[0].text_content()
    for curly, straight in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        shown = shown.replace(curly, straight)  # the smarty extension typesets quotes
    assert payload in shown


def test_raw_html_is_opt_in(make_site: MakeSite) -> None:
    body = '---\ntitle: x\ndate: 2017\ntags: [a]\nsources: [https://e.org/]\n---\n' \
           '<mark class="hl">marked</mark>\n'
    plain = make_site({"content/events/e.md": body})
    assert main(["build", str(plain), "-q"]) == 0
    doc = parse_html(plain / "site" / "events" / "e" / "index.html")
    assert not doc.cssselect(".body mark")
    assert "<mark" in doc.cssselect(".body")[0].text_content()
    trusted = make_site({"content/events/e.md": body}, config=CONFIG + "allow_html = true\n")
    assert main(["build", str(trusted), "-q"]) == 0
    doc = parse_html(trusted / "site" / "events" / "e" / "index.html")
    assert doc.cssselect(".body mark.hl")[0].text_content() == "marked"


def test_pages_carry_a_strict_csp(make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": _hostile_event("x")})
    assert main(["build", str(site), "-q"]) == 0
    for page in (site / "site").rglob("*.html"):
        doc = lxml.html.fromstring(page.read_bytes())
        csp = doc.cssselect("meta[http-equiv='Content-Security-Policy']")[0].get("content")
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["script-src"] in ("'self'", "'none'"), page
        assert "'unsafe-inline'" not in csp and "object-src 'none'" in csp


# Random front-matter and Markdown: a clean build or a structured error, never a traceback.
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
scalar = st.one_of(text, st.integers(-10**6, 10**6), st.booleans(), st.none(),
                   st.floats(allow_nan=False), st.sampled_from(
                       ["2017", "2017-09", "2017-02-30", "2017~", "2017/..", "no", "confirmed",
                        "https://e.org/", "javascript:x", "../x", "a-slug"]))
value = st.recursive(scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(
        ["publisher", "title", "url", "published", "src", "alt", "x"]), inner, max_size=3)),
    max_leaves=8)
FIELDS = ["title", "date", "end", "status", "summary", "tags", "places", "sources", "media",
          "draft", "slug", "other"]


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(front=st.dictionaries(st.sampled_from(FIELDS), value, max_size=8),
       body=text, raw=st.one_of(st.none(), text))
def test_random_input_never_crashes(front: dict[str, object], body: str, raw: str | None,
                                    make_site: MakeSite) -> None:
    if raw is not None:
        content = raw
    else:
        content = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    site = make_site({"content/events/e.md": "", "content/events/ok.md":
                      "---\ntitle: ok\ndate: 2017\ntags: [a]\nsources: [https://e.org/]\n---\n"})
    (site / "content" / "events" / "e.md").write_text(content, "utf-8")
    try:
        files = render_site(site)
    except SiteError as exc:
        assert exc.problems
        for problem in exc.problems:
            line = str(problem)
            assert line.startswith(("content/events/e.md", "content/events/ok.md")), line
            assert "\n" not in line.strip() or "Traceback" not in line
        return
    assert "index.html" in files
