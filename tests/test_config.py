"""timeline.toml: every setting read with its type, every problem reported at once with its
line, unknown keys warned about with a suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import (
    UNTRUSTED_ENV,
    SiteConfig,
    check_base_url,
    load_config,
    parse_config,
    publish_problem,
    template_budget,
    with_base_url,
)
from generator.errors import SiteError
from generator.toml_tables import SourcesConfig


def errors(text: str) -> list[str]:
    with pytest.raises(SiteError) as caught:
        parse_config(text)
    return [str(p) for p in caught.value.problems]


def test_every_setting_is_read() -> None:
    config, warnings = parse_config(
        'title = "T"\ndescription = "D"\nbase_url = "https://x.test/tl"\nlanguage = "fr"\n'
        'author = "A"\nallow_html = true\npage_size = 10\nintroduction = "*Hi*"\n'
        "[safety]\nuntrusted = true\nmarkdown_seconds = 1\ntemplate_seconds = 2.5\n"
        '[sources]\navailability_url = "http://127.0.0.1:1/a"\nsave_url = "https://s.test/"\n'
        "concurrency = 3\nper_host = 1\ndelay = 0\ntimeout = 2\nsave_delay = 0.5\n")
    assert warnings == []
    assert config == SiteConfig("T", "D", "https://x.test/tl/", "fr", author="A",
                                allow_html=True, page_size=10, introduction="*Hi*",
                                untrusted=True, markdown_seconds=1.0, template_seconds=2.5)
    assert config.sources == SourcesConfig("http://127.0.0.1:1/a", "https://s.test/", 3, 1,
                                           0.0, 2.0, 0.5)
    assert isinstance(config.sources.delay, float)


def test_defaults() -> None:
    config, _ = parse_config('title = "T"')
    assert config == SiteConfig("T")
    assert (config.page_size, config.language, config.allow_html) == (250, "en", False)
    assert config.sources == SourcesConfig()


def test_all_errors_at_once_with_lines() -> None:
    assert errors('description = 3\npage_size = 0\nbase_url = "ftp://x"\nallow_html = "yes"\n'
                  ) == [
        "timeline.toml: title: missing: every site needs a title",
        "timeline.toml:1: description: expected str, got int",
        "timeline.toml:2: page_size: must be 1 or more",
        "timeline.toml:3: base_url: 'ftp://x' is not an absolute http(s) URL",
        "timeline.toml:4: allow_html: expected bool, got str",
    ]


def test_title_errors() -> None:
    assert errors('title = "  "') == ["timeline.toml: title: missing: every site needs a title"]
    assert errors("title = 1") == ["timeline.toml:1: title: expected str, got int"]
    assert errors('title = "T"\npage_size = true') == [
        "timeline.toml:2: page_size: expected int, got bool"]


def test_invalid_toml_names_its_line() -> None:
    assert errors('title = "T"\nbroken = \n') == [
        "timeline.toml:2: invalid TOML: invalid value"]


def test_unknown_settings_warn_with_a_suggestion() -> None:
    _, warnings = parse_config('title = "T"\ntitel = "x"\nzzz = 1\nuntrusted = true\n'
                               "[safety]\nuntrustd = true\n[sources]\ndelai = 1\n")
    assert [str(w) for w in warnings] == [
        "timeline.toml:2: warning: titel: unknown setting (did you mean 'title'?)",
        "timeline.toml:3: warning: zzz: unknown setting",
        "timeline.toml:4: warning: untrusted: unknown setting (did you mean 'untrusted'?)",
        "timeline.toml:6: warning: safety.untrustd: unknown setting (did you mean "
        "'untrusted'?)",
        "timeline.toml:8: warning: sources.delai: unknown setting (did you mean 'delay'?)",
    ]


def test_safety_errors() -> None:
    assert errors('title = "T"\nsafety = 1') == [
        "timeline.toml:2: safety: expected a table: [safety] on a line of its own"]
    assert errors('title = "T"\n[safety]\nuntrusted = "yes"\nmarkdown_seconds = 0\n'
                  "template_seconds = 3600\n") == [
        "timeline.toml:3: safety.untrusted: expected bool, got str",
        "timeline.toml:4: safety.markdown_seconds: expected a number of seconds, more than 0 "
        "and below 3600",
        "timeline.toml:5: safety.template_seconds: expected a number of seconds, more than 0 "
        "and below 3600",
    ]


def test_sources_errors() -> None:
    assert errors('title = "T"\nsources = 1') == [
        "timeline.toml:2: sources: expected a table [sources]"]
    assert errors('title = "T"\n[sources]\nsave_url = "/save"\nconcurrency = 0\n'
                  'delay = -1\ntimeout = "x"\nper_host = 1.5\n') == [
        "timeline.toml:3: sources.save_url: '/save' is not an absolute http(s) URL",
        "timeline.toml:4: sources.concurrency: must be 1 or more",
        "timeline.toml:5: sources.delay: must be 0 or more",
        "timeline.toml:6: sources.timeout: expected a number, got str",
        "timeline.toml:7: sources.per_host: expected int, got float",
    ]


def test_load_config_errors(tmp_path: Path) -> None:
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (f"timeline.toml: not found in {tmp_path}: is this a timeline "
                                 "site? (`timeline init DIR`)")
    (tmp_path / "timeline.toml").write_bytes(b'title = "T"\n# caf\xe9\n')
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == "timeline.toml:2: not valid UTF-8 (byte 17)"


def test_untrusted_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    (tmp_path / "timeline.toml").write_text('title = "T"\n', "utf-8")
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    assert load_config(tmp_path)[0].untrusted is False
    assert template_budget(tmp_path) is None
    monkeypatch.setenv(UNTRUSTED_ENV, "1")
    assert load_config(tmp_path)[0].untrusted is True
    assert template_budget(tmp_path) == 10.0


def test_template_budget_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    (tmp_path / "timeline.toml").write_text(
        'title = "T"\n[safety]\nuntrusted = true\ntemplate_seconds = 3\n', "utf-8")
    assert template_budget(tmp_path) == 3.0
    (tmp_path / "timeline.toml").write_text("not toml [", "utf-8")
    assert template_budget(tmp_path) is None


def test_base_url() -> None:
    assert check_base_url(" https://x.test/a ") == "https://x.test/a/"
    with pytest.raises(ValueError, match="^'x.test' is not an absolute http"):
        check_base_url("x.test")
    config = SiteConfig("T")
    assert with_base_url(config, "http://h.test").base_url == "http://h.test/"
    with pytest.raises(SiteError) as caught:
        with_base_url(config, "mailto:a@b")
    assert str(caught.value) == "--base-url: 'mailto:a@b' is not an absolute http(s) URL"


def test_publish_problem() -> None:
    assert publish_problem(SiteConfig("T", base_url="https://news.test/")) is None
    assert publish_problem(SiteConfig("T")).startswith("empty: permalinks")  # type: ignore
    for url in ("https://www.example.org/", "https://me.example.com/", "https://a.example/"):
        assert publish_problem(SiteConfig("T", base_url=url)) == (
            f"'{url}' is an example address: set base_url to where the site is published")


def test_lines_are_right_after_blank_lines_and_inside_tables() -> None:
    # Each was off: a blank line above a key moved it up a line, and a key of [sources]
    # or [safety] named like a top-level one took that one's line.
    _, warnings = parse_config('title = "T"\n\n\nzzz = 1\n[sources]\ntitle = 2\n[safety]\n\n'
                               "description = 1\n")
    assert [str(w) for w in warnings] == [
        "timeline.toml:4: warning: zzz: unknown setting",
        "timeline.toml:6: warning: sources.title: unknown setting",
        "timeline.toml:9: warning: safety.description: unknown setting"]
    assert errors('title = "T"\nsafety = {untrusted = "x"}\n') == [
        "timeline.toml:2: safety.untrusted: expected bool, got str"]


def test_overview_lanes_are_read_in_their_order() -> None:
    config, warnings = parse_config('title = "T"\n\n[overview]\n'
                                   'lanes = ["sanctions", "Kaesong", "covid-19"]\n')
    assert warnings == []
    assert config.lanes == ("sanctions", "Kaesong", "covid-19")
    assert parse_config('title = "T"\n')[0].lanes == ()


def test_overview_lanes_errors_name_the_line_and_field() -> None:
    assert errors('title = "T"\noverview = ["a"]\n') == [
        "timeline.toml:2: overview: expected a table: [overview] on a line of its own"]
    assert errors('title = "T"\n[overview]\nlanes = "sanctions"\n') == [
        'timeline.toml:3: overview.lanes: expected a list of tags: '
        'lanes = ["sanctions", "labour"]']
    assert errors('title = "T"\n[overview]\nlanes = ["a", ""]\n') == [
        'timeline.toml:3: overview.lanes: expected a list of tags: '
        'lanes = ["sanctions", "labour"]']
    assert errors('title = "T"\n[overview]\n\nlanes = ["a", "b", "a"]\n') == [
        "timeline.toml:4: overview.lanes: a tag is listed twice"]
    many = ", ".join(f'"t{n}"' for n in range(9))
    assert errors(f'title = "T"\n[overview]\nlanes = [{many}]\n') == [
        "timeline.toml:3: overview.lanes: 9 lanes: at most 8 fit on the strip"]


def test_lanes_outside_the_overview_table_and_unknown_overview_keys_warn() -> None:
    config, warnings = parse_config('title = "T"\nlanes = ["a"]\n[overview]\nlane = ["a"]\n')
    assert config.lanes == ()
    assert [str(w) for w in warnings] == [
        "timeline.toml:2: warning: lanes: unknown setting here: it goes in the [overview] table",
        "timeline.toml:4: warning: overview.lane: unknown setting (did you mean 'lanes'?)"]
