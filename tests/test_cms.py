"""The browser editor's configuration: made from the event model, so a field or a date form
``check`` accepts cannot be missing from the editor, nor the other way round."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main
from generator.config import load_config
from generator.content.dates import DateError, parse_date, parse_single
from generator.content.model import (
    EVENT_FIELDS,
    MEDIA_FIELDS,
    NOTE_FIELDS,
    PAGE_FIELDS,
    SOURCE_FIELDS,
    STATUSES,
)
from generator.content.validate import ERA_FIELDS
from generator.dev.cms import DATE_PATTERN, END_PATTERN, PUBLISHED_PATTERN, cms_config
from generator.dev.editor import start_editor, to_cms, to_disk
from tests.conftest import CONFIG, MakeSite, event_file
from tests.test_dates import BOUNDS, ERRORS, FIELDS, INTERVALS, NOT_DATES, SORTED


def _accepted(text: str) -> bool:
    try:
        parse_date(text)
    except DateError:
        return False
    return True


def _backwards(text: str) -> bool:
    """Two good dates, the second before the first: only ``check`` can see that."""
    left, sep, right = text.partition("/")
    try:
        return bool(sep) and "T" not in text and \
            parse_single(right).earliest() < parse_single(left).earliest()
    except DateError:
        return False


SIDES = [y + m + d + q for y in ("2016", "2017", "2000", "1900", "0000", "-0004", "-0000",
                                  "201X", "20XX", "Y12000", "Y-12000", "17")
         for m in ("", "-01", "-02", "-04", "-12", "-13", "-00", "-21", "-24", "-25", "-XX")
         for d in ("", "-01", "-28", "-29", "-30", "-31", "-32", "-00", "-XX")
         for q in ("", "~", "?", "%")]
TIMES = [f"2016-02-29T{t}{z}" for t in ("00:00:00", "23:59:59", "24:00:00", "24:00:01",
                                         "12:60:00", "9:00:00")
         for z in ("", "Z", "+14:00", "+14:30", "-00:00", "-00", "-00:30", "+05", "+05:61")]
SAMPLES = sorted({*SIDES, *TIMES, *(t for t, *_ in FIELDS), *(t for t, *_ in BOUNDS),
                  *(t for t, *_ in INTERVALS), *SORTED, *(t for t, _ in ERRORS), *NOT_DATES,
                  *(f"{a}/{b}" for a, b in itertools.product(
                      ("2017", "2017-09", "..", "", "2017-02-30", "2017-09-11T10:00:00"),
                      ("2018", "2016-05", "..", "", "2017-21", "20XX")))})


def test_the_date_pattern_accepts_what_check_accepts() -> None:
    wrong = []
    for text in SAMPLES:
        matched = re.fullmatch(DATE_PATTERN, text) is not None
        if _backwards(text):  # the pattern lets it by; check refuses it (the overlay test)
            assert matched and not _accepted(text)
        elif matched != _accepted(text):
            wrong.append(text)
    assert wrong == []
    assert len(SAMPLES) > 4000


def test_end_and_published_patterns_match_their_readers() -> None:
    wrong = []
    for text in SAMPLES:
        try:
            parse_single(text)
            published = True
        except DateError:
            published = False
        end = published and "T" not in text
        if (re.fullmatch(PUBLISHED_PATTERN, text) is not None) != published or \
                (re.fullmatch(END_PATTERN, text) is not None) != end:
            wrong.append(text)
    assert wrong == []


def _fields(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in collection["fields"]}


def test_the_configuration_has_the_models_fields(make_site: MakeSite) -> None:
    site = make_site({"timeline.toml": CONFIG.replace('language = "en"',
                                                      'languages = ["en", "ko"]')})
    config, _ = load_config(site)
    data = cms_config(config, ["kaesong", "sanctions"], ["Seoul"])
    events, pages, eras = data["collections"]
    fields = _fields(events)
    assert list(fields) == [*EVENT_FIELDS, *NOTE_FIELDS, "body"]
    assert [f["name"] for f in fields["sources"]["fields"]] == list(SOURCE_FIELDS)
    assert [f["name"] for f in fields["media"]["fields"]] == list(MEDIA_FIELDS)
    assert list(_fields(pages)) == [*PAGE_FIELDS, "body"]
    # The model's own rules: what check requires, the form requires.
    assert sorted(n for n, f in fields.items() if f.get("required", True)) == \
        ["body", "date", "sources", "title"]
    assert fields["sources"]["min"] == 1
    media = _fields(fields["media"])
    assert media["src"]["required"] and media["alt"]["required"]
    assert fields["status"]["options"] == list(STATUSES)
    assert fields["tags"]["options"] == ["kaesong", "sanctions"]
    assert fields["places"]["options"] == ["Seoul"]
    assert fields["date"]["pattern"][0] == DATE_PATTERN
    # Korean: name.ko.md beside name.md, with the fields a translation may carry.
    assert data["i18n"] == {"structure": "multiple_files", "locales": ["en", "ko"],
                            "default_locale": "en"}
    assert sorted(n for n, f in fields.items() if f.get("i18n")) == ["body", "summary", "title"]
    assert (data["media_folder"], data["public_folder"]) == ("static/images", "images")
    assert events["format"] == "frontmatter" and events["folder"] == "content/events"
    # Eras: content/eras.yaml under its name (the loader reads `eras:` then the list).
    (era_file,) = eras["files"]
    assert (era_file["file"], era_file["format"]) == ("content/eras.yaml", "yaml")
    (listed,) = era_file["fields"]
    era = _fields(listed)
    assert listed["name"] == "eras" and list(era) == list(ERA_FIELDS)
    assert sorted(n for n, f in era.items() if f.get("required", True)) == ["start", "title"]


def test_a_new_note_field_is_in_the_form(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.content import model
    from generator.dev.cms import event_fields

    monkeypatch.setattr(model, "NOTE_FIELDS", ("background",))
    fields = {f["name"]: f for f in event_fields([], [])}
    assert list(fields)[-2:] == ["background", "body"]
    assert fields["background"]["widget"] == "text" and not fields["background"]["required"]


def test_timeline_cms_writes_the_editor_and_init_does_too(
        make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The first run in a process of its own (the command as an editor types it), the
    refresh and init in this one (a process costs a second of start-up)."""
    site = make_site({"content/events/a.md": event_file(tags="[kaesong]")})
    done = subprocess.run([sys.executable, "-m", "generator", "cms", str(site)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    data = yaml.safe_load((site / "static/admin/config.yml").read_text("utf-8"))
    assert "i18n" not in data  # one language: plain name.md files
    assert _fields(data["collections"][0])["tags"]["options"] == ["kaesong"]
    # Set up for publishing, then refreshed after a new tag: the backend stays.
    config_yml = site / "static/admin/config.yml"
    config_yml.write_text(config_yml.read_text("utf-8").replace(
        "repo: OWNER/REPOSITORY", "repo: editor/mysite"), "utf-8")
    (site / "content/events/b.md").write_text(event_file("B", tags="[labour]"), "utf-8")
    capsys.readouterr()
    assert main(["cms", str(site)]) == 0
    assert capsys.readouterr().out.strip() == str(config_yml)
    data = yaml.safe_load(config_yml.read_text("utf-8"))
    assert data["backend"] == {"name": "github", "repo": "editor/mysite", "branch": "main"}
    assert _fields(data["collections"][0])["tags"]["options"] == ["kaesong", "labour"]
    page = (site / "static/admin/index.html").read_text("utf-8")
    assert '<script src="decap-cms.js"></script>' in page and "http" not in page
    assert main(["init", str(tmp_path / "new")]) == 0, capsys.readouterr().err
    assert (tmp_path / "new/static/admin/config.yml").is_file()


def test_the_proxy_keeps_hugos_file_names() -> None:
    assert to_disk("content/events/2017/x.en.md", "en") == "content/events/2017/x.md"
    assert to_disk("content/events/x.ko.md", "en") == "content/events/x.ko.md"
    assert to_disk("static/images/a.en.md", "en") == "static/images/a.en.md"
    assert to_cms("content/events/2017/x.md", "en") == "content/events/2017/x.en.md"
    assert to_cms("content/pages/about.ko.md", "en") == "content/pages/about.ko.md"


def test_the_proxy_writes_no_empty_translation() -> None:
    from generator.dev.editor import _skip_empty_translations

    params = {"dataFiles": [{"path": "content/events/x.md", "raw": "---\ntitle: X\n---\n"},
                            {"path": "content/events/x.ko.md", "raw": "\n"},
                            {"path": "content/events/y.ko.md", "raw": "---\ntitle: Y\n---\n"}]}
    _skip_empty_translations(params)
    assert [f["path"] for f in params["dataFiles"]] == ["content/events/x.md",
                                                        "content/events/y.ko.md"]


def test_a_stopped_proxy_is_one_json_error_not_a_traceback(tmp_path: Path) -> None:
    from generator.dev.editor import Editor
    from tests.test_serve import free_port

    editor = Editor(subprocess.Popen(["true"]), tmp_path, free_port(), tmp_path, "en")
    editor.process.wait()
    code, body = editor.forward(b'{"action": "info"}')
    assert code == 502
    assert json.loads(body)["error"].startswith("decap-server: ")


def test_serve_says_in_one_line_when_node_is_missing(make_site: MakeSite,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = make_site({"static/admin/config.yml": "collections: []\n"})
    monkeypatch.setenv("PATH", "")
    editor, line = start_editor(site)
    assert editor is None
    assert line == "editor: node not found: install Node.js to edit at /admin/"
    assert start_editor(make_site({})) == (None, "")  # no editor set up: nothing said
