"""Fixed interface strings translated when a template is compiled: the pages say exactly
what the gettext call said, a changed catalog is compiled anew, and a template that hides
``_`` or formats a string keeps the call."""

from __future__ import annotations

from pathlib import Path

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from lxml import html as lhtml

from generator.build import build_site
from generator.site.folding import FoldedStrings, fold_into

EVENT = ("---\ntitle: The council meets\ndate: 2017-09-11\nstatus: confirmed\n"
         "sources:\n  - url: https://www.un.org/a\n    publisher: UN\n---\nText.\n")
CONFIG = 'title = "T"\nbase_url = "https://example.org/"\nlanguages = ["en", "ko"]\n'


def _catalog(messages: dict[str, str]) -> Translations:
    import io

    catalog = Catalog(locale="ko")
    for key, value in messages.items():
        catalog.add(key, value)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def _env(messages: dict[str, str], fold: bool = True, **options: object) -> jinja2.Environment:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n", FoldedStrings],
                             autoescape=options.pop("autoescape", True))  # type: ignore[arg-type]
    catalog = _catalog(messages)
    env.install_gettext_translations(catalog, newstyle=True)  # type: ignore[attr-defined]
    if fold:
        fold_into(env, catalog, "ko")
    return env


def _code(env: jinja2.Environment, source: str) -> str:
    return str(env.compile(source, raw=True))


def test_a_fixed_string_is_translated_into_the_compiled_template() -> None:
    env = _env({"Sources": "출처", "Keys: <kbd>j</kbd>": "키: <kbd>j</kbd>"})
    source = "<h2>{{ _('Sources') }}</h2><p>{{ gettext('Keys: <kbd>j</kbd>') }}</p>"
    assert "출처" in _code(env, source) and "'Sources'" not in _code(env, source)
    folded = env.from_string(source).render()
    called = _env({"Sources": "출처", "Keys: <kbd>j</kbd>": "키: <kbd>j</kbd>"},
                  fold=False).from_string(source).render()
    assert folded == called == "<h2>출처</h2><p>키: <kbd>j</kbd></p>"


def test_strings_to_format_and_other_uses_of_the_name_keep_the_call() -> None:
    env = _env({"%(n)s more": "%(n)s개 더", "Sources": "출처"})
    assert "개 더" not in _code(env, "{{ _('%(n)s more', n=3) }}")  # formatted when called
    assert env.from_string("{{ _('%(n)s more', n=3) }}").render() == "3개 더"
    # A template with a variable of its own named ``_`` must not have it replaced.
    shadowed = "{% set _ = cycler %}{{ _('Sources') if false else 'kept' }}"
    assert env.from_string(shadowed).render() == "kept"
    hidden = "{% macro m(_) %}{{ _ }}{% endmacro %}{{ m('own') }} {{ _('Sources') }}"
    assert "출처" not in _code(env, hidden)
    assert env.from_string(hidden).render() == "own 출처"
    # Someone else's method of that name is not ours.
    assert env.from_string("{{ x._('Sources') }}").render(
        x={"_": lambda s: s.upper()}) == "SOURCES"


def test_a_template_that_does_not_escape_keeps_its_plain_strings() -> None:
    env = _env({"Sources": "출처 <b>"}, autoescape=False)
    assert "출처" not in _code(env, "{{ _('Sources') ~ '<i>' }}")
    assert env.from_string("{{ _('Sources') ~ '<i>' }}").render() == "출처 <b><i>"


def test_a_changed_site_catalog_is_compiled_anew(make_site) -> None:  # type: ignore[no-untyped-def]
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Sources"\nmsgstr "{}"\n')
    site: Path = make_site({"content/events/un.md": EVENT,
                            "locales/ko/LC_MESSAGES/messages.po": po.format("근거")}, CONFIG)

    def heading(rel: str) -> list[str]:
        page = lhtml.fromstring((site / "site" / rel).read_bytes())
        return [str(t) for t in page.xpath("//h2[@id='sources-h']/text()")]

    build_site(site)
    assert heading("ko/events/un/index.html") == ["근거"]
    assert heading("events/un/index.html") == ["Sources"]
    (site / "locales/ko/LC_MESSAGES/messages.po").write_text(po.format("자료"), "utf-8")
    build_site(site)  # compiled templates kept in the cache, other catalog: compiled anew
    assert heading("ko/events/un/index.html") == ["자료"]
    assert heading("events/un/index.html") == ["Sources"]
    cached = build_site(site)
    assert heading("ko/events/un/index.html") == ["자료"] and cached.events == 1
