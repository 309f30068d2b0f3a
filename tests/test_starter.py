"""The files ``timeline init`` writes are valid as they stand: settings that parse, an
example event that builds with exactly the warning that says to replace it."""

from __future__ import annotations

import tomllib

from generator.config import parse_config
from generator.content.header import parse
from generator.content.validate import build_event, build_page
from generator.dev.starter import (
    ABOUT_PAGE,
    CONFIG_TEMPLATE,
    EXAMPLE_EVENT,
    SITE_README,
    TEMPLATES_README,
    netlify_text,
)


def test_the_settings_parse_with_no_warning() -> None:
    config, warnings = parse_config(CONFIG_TEMPLATE.format(title='A "quoted" title'.replace(
        '"', '\\"')))
    assert warnings == []
    assert (config.title, config.base_url, config.language) == ('A "quoted" title', "", "en")


def test_the_example_event_is_valid_and_says_it_is_an_example() -> None:
    fm, problems = parse("content/events/example.md", EXAMPLE_EVENT.format(date="2024-05-01"))
    assert fm is not None and problems == []
    event, problems = build_event(fm, "2024-05-01-example", "2026-12-01")
    assert event is not None and event.status == "confirmed"
    assert [str(p) for p in problems] == [
        "content/events/example.md:14: warning: body: placeholder 'TODO: this example shows "
        "the fields of an event. Write a…': write the event's account before publishing"]


def test_the_about_page_is_valid() -> None:
    fm, problems = parse("content/pages/about.md", ABOUT_PAGE)
    assert fm is not None and problems == []
    page, problems = build_page(fm, "about")
    assert page is not None and problems == [] and page.title == "About this timeline"


def test_netlify_pins_python_and_installs_what_it_is_given() -> None:
    assert tomllib.loads(netlify_text("pip install ./tool.whl", "3.12")) == {"build": {
        "command": "pip install ./tool.whl && timeline build --publish",
        "publish": "site", "environment": {"PYTHON_VERSION": "3.12"}}}


def test_the_readmes_take_their_names() -> None:
    assert SITE_README.format(title="T").startswith("# T\n")
    assert "{" not in TEMPLATES_README and "/" not in TEMPLATES_README.split("`")[0]
