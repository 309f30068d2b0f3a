"""One field, one place: the schema cannot drift from the model, every export carries every
field, and a new field is three edits (the model, the template that shows it, the schema)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import lxml.html
import pytest

from generator.cli import main
from generator.content.model import EVENT_FIELDS, MEDIA_FIELDS, NOTE_FIELDS, SOURCE_FIELDS

from conftest import REPO, MakeSite, event_file

DERIVED = {"slug", "url", "earliest", "latest", "precision", "display_date", "translations",
           "body"}
"""What events.json adds to an event's front-matter (``translations``: its other languages;
``body``: the Markdown after the front-matter)."""


def _schema() -> dict[str, Any]:
    return json.loads((REPO / "generator" / "events.schema.json").read_text("utf-8"))


def test_the_schema_lists_exactly_the_model_fields() -> None:
    defs = _schema()["$defs"]
    assert set(defs["event"]["properties"]) == \
        set(EVENT_FIELDS) | set(NOTE_FIELDS) | DERIVED
    assert set(defs["source"]["properties"]) == set(SOURCE_FIELDS) | {"health"}
    assert set(defs["media"]["properties"]) == set(MEDIA_FIELDS)
    for name in ("event", "source", "media"):
        assert defs[name]["additionalProperties"] is False


EVERY_FIELD = event_file(
    "Every field", "2017-09", body="A body.", tags="[a, b]",
    extra='end: "2017-12"\nstatus: confirmed\nsummary: "One line."\nplaces: [Seoul]\n'
          "slug: every-field\naliases: [/events/old-name/]\n"
          "media:\n  - src: img/a.jpg\n    alt: An image\n    caption: A caption\n"
          "    credit: A credit\n    width: 640\n    height: 480\n",
    sources="sources:\n  - publisher: P\n    title: T\n    url: https://example.org/a\n"
            "    published: 2017-10-03\n    language: ko\n    via: V\n    author: A\n"
            "    quote: Q\n    archived: https://web.archive.org/web/2017/https://example.org/a\n")


def test_an_event_with_every_field_exports_valid_json(make_site: MakeSite) -> None:
    site = make_site({"content/events/e.md": EVERY_FIELD, "static/img/a.jpg": "(image)"})
    assert main(["build", str(site), "-q"]) == 0
    data = json.loads((site / "site" / "events.json").read_text("utf-8"))
    jsonschema.validate(data, _schema())
    (event,) = data["events"]
    assert {"end", "status", "summary", "places", "slug", "aliases", "media",
            "sources"} <= set(event)


def test_an_unknown_field_is_warned_and_not_exported(make_site: MakeSite,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    site = make_site({"content/events/e.md": event_file(extra="colour: red\n")})
    assert main(["build", str(site), "-q"]) == 0
    assert "colour: unknown field" in capsys.readouterr().err
    data = json.loads((site / "site" / "events.json").read_text("utf-8"))
    jsonschema.validate(data, _schema())
    assert "colour" not in data["events"][0]


def _copy_of_the_tool(tmp_path: Path) -> Path:
    repo = tmp_path / "tool"
    for name in ("generator", "templates", "static"):
        shutil.copytree(REPO / name, repo / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return repo


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{path}: {old!r}"
    path.write_text(text.replace(old, new), "utf-8")


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_new_field_is_three_edits_and_every_export_carries_it(tmp_path: Path,
                                                                make_site: MakeSite) -> None:
    """``example_note``: its name in the model, a line in the template, its property in the
    schema. The page shows it; events.json, events.csv and timelinejs.json carry it, and an
    import of either of the last two gives it back."""
    repo = _copy_of_the_tool(tmp_path)
    _edit(repo / "generator/content/model.py", 'NOTE_FIELDS: tuple[str, ...] = ()',
          'NOTE_FIELDS: tuple[str, ...] = ("example_note",)')
    _edit(repo / "templates/event.html", '<div class="body"',
          '{% if e.note("example_note") %}<p class="example-note">{{ e.note("example_note") }}'
          '</p>{% endif %}\n  <div class="body"')
    site = make_site({"content/events/a.md": event_file(
        "Noted", "2017", extra='example_note: "A note, with a comma."\n')})
    built = _run(repo, "build", str(site), "-q", "--no-cache")
    assert built.returncode == 0 and "unknown field" not in built.stderr, built.stderr
    page = lxml.html.fromstring((site / "site/events/a/index.html").read_bytes())
    assert page.cssselect(".example-note")[0].text_content() == "A note, with a comma."
    data = json.loads((site / "site/events.json").read_text("utf-8"))
    assert data["events"][0]["example_note"] == "A note, with a comma."
    rows = list(csv.DictReader(io.StringIO((site / "site/events.csv").read_text("utf-8-sig"))))
    assert json.loads(rows[0]["other"]) == {"example_note": "A note, with a comma."}
    slides = json.loads((site / "site/timelinejs.json").read_text("utf-8"))["events"]
    assert "A note, with a comma." in slides[0]["text"]["text"]
    # Without the schema's line, the schema test fails: the drift cannot go unseen.
    with pytest.raises(jsonschema.ValidationError, match="example_note"):
        jsonschema.validate(data, json.loads((repo / "generator/events.schema.json")
                                             .read_text("utf-8")))
    schema = repo / "generator/events.schema.json"
    _edit(schema, '"aliases": {"description": "Old site-relative',
          '"example_note": {"$ref": "#/$defs/text"},\n    "aliases": {"description": '
          '"Old site-relative')
    jsonschema.validate(data, json.loads(schema.read_text("utf-8")))
    for export in ("events.csv", "timelinejs.json"):
        fresh = make_site({})
        imported = _run(repo, "import", str(site / "site" / export), str(fresh))
        assert imported.returncode == 0, imported.stderr
        again = _run(repo, "build", str(fresh), "-q", "--no-cache")
        assert again.returncode == 0, again.stderr
        back = json.loads((fresh / "site/events.json").read_text("utf-8"))["events"]
        assert back[0]["example_note"] == "A note, with a comma.", export
    changed = {p.relative_to(repo).as_posix() for p in repo.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts
               and p.read_bytes() != (REPO / p.relative_to(repo)).read_bytes()}
    assert changed == {"generator/content/model.py", "templates/event.html",
                       "generator/events.schema.json"}


def test_what_events_csv_cannot_carry_is_what_readme_says(make_site: MakeSite) -> None:
    """A line break inside one value becomes a space; the summary is always written."""
    site = make_site({"content/events/e.md": event_file(
        "Quoted", "2017", body="First paragraph.\n\nSecond.",
        sources="sources:\n  - publisher: P\n    url: https://example.org/q\n"
                "    published: 2017\n    quote: \"one line\\nand another\"\n")})
    assert main(["build", str(site), "-q"]) == 0
    (row,) = csv.DictReader(io.StringIO((site / "site/events.csv").read_text("utf-8-sig")))
    assert row["source_quote"] == "one line and another"
    assert row["summary"] == "First paragraph."
    assert row["body"] == "First paragraph.\n\nSecond."
