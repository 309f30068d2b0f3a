"""``timeline import FILE``: TimelineJS3 JSON, the TimelineJS spreadsheet (as CSV) or a plain
CSV of events, written as one Markdown file per event; nothing existing is overwritten.

Each entry goes through the same validation as a build before it is written, so whatever is
imported builds; one that cannot be read is reported as ``FILE:row: field: message`` (the
line of its object in JSON, its spreadsheet row in CSV) and the rest still imports.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import frontmatter as python_frontmatter
import yaml

from generator.config import today
from generator.content.editing import EditError, read_original, replace_file
from generator.content.header import parse, parse_document
from generator.content.validate import build_eras, build_event
from generator.errors import Problem, SiteError
from generator.interop.reading import read_data, read_file
from generator.interop.remote import fetch_sheet, is_address
from generator.interop.slides import (
    Batch,
    Draft,
)
from generator.interop.updates import key_of, known_events, update_event


def render_draft(draft: Draft) -> str:
    post = python_frontmatter.Post(draft.body)
    post.metadata.update(draft.meta)
    return python_frontmatter.dumps(post, sort_keys=False).rstrip("\n") + "\n"


def validate(draft: Draft, batch: Batch) -> str | None:
    """The file's text if a build accepts it; else report its errors at the draft's row."""
    text = render_draft(draft)
    fm, problems = parse(f"{draft.stem}.md", text)
    if fm is not None:
        problems += build_event(fm, draft.stem, today())[1]
    for p in problems:
        if p.severity == "error":
            batch.problem(draft.row, p.field, p.message)
    return None if any(p.severity == "error" for p in problems) else text


def _free(folder: Path, stem: str, taken: dict[str, Any]) -> str:
    number = 2
    while f"{stem}-{number}" in taken or (folder / f"{stem}-{number}.md").exists():
        number += 1
    return f"{stem}-{number}"


def write_events(site: Path, batch: Batch, on_conflict: str, update: bool = False
                 ) -> Counter[str]:
    """Write each valid new event; compare (or update) those imported before; clashes per
    ``on_conflict``."""
    counts: Counter[str] = Counter()
    known = known_events(site)
    folder = site / "content" / "events"
    for draft in batch.events:
        title = str(draft.meta["title"])
        there = known.match(draft, by_id=update)
        if there is None and not draft.explicit:
            alike, same_day = known.alike(draft)
            if update and len(alike) == 1 and alike[0][1] != "close title":
                there = alike[0][0]  # its headline fixed in a sheet without ids
            elif alike:
                path, why = alike[0]
                batch.problem(draft.row, "id", f"probable duplicate of {path} (same date, "
                              f"{why}): not written; give the row its id "
                              f"{known.slug_of(path)} to update it (with --update), or an "
                              "id of its own to add it", "warning")
                counts["duplicate"] += 1
                continue
            elif update and same_day:
                batch.problem(draft.row, None, f"no id (unique_id) and no event of the same "
                              f"title and date: written as a new event, though {same_day[0]}"
                              " has its date", "warning")
        if there is not None:  # valid then, as it was written
            outcome = update_event(there, draft, batch, update)
            counts[outcome] += 1
            batch.failed += outcome == "failed"
            continue
        text = validate(draft, batch)
        if text is None:
            batch.failed += 1
            continue
        path = folder / f"{draft.stem}.md"
        if draft.stem in known.slugs or path.exists():
            if on_conflict != "rename":
                taken = known.slugs[draft.stem][1] if draft.stem in known.slugs else path
                batch.problem(draft.row, "slug", f"{taken} already exists for another event: "
                              "skipped (--on-conflict rename writes it beside)", "warning")
                counts["skipped"] += 1
                continue
            draft.stem = _free(folder, draft.stem, known.slugs)
            if "slug" in draft.meta:
                draft.meta["slug"] = draft.stem
            path, text = folder / f"{draft.stem}.md", render_draft(draft)
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as out:  # never overwrite
            out.write(text)
        print(f"wrote {path}")
        known.add(draft.stem, title, draft.date, path)
        counts["written"] += 1
    return counts


def write_eras(site: Path, batch: Batch) -> int:
    """Append new eras to ``content/eras.yaml``, checking that the result still reads."""
    path = site / "content" / "eras.yaml"
    try:
        original = read_original(path, create=True)
        old = original.text()
    except EditError as exc:
        batch.problem(None, None, f"{exc.problem.path} {exc.problem.message}")
        return 0
    fm, problems = parse_document("content/eras.yaml", old, "eras")
    items = fm.data["eras"] if fm is not None else None
    if fm is None or not isinstance(items, list | type(None)):
        batch.problem(None, None, f"{path} is not a list of eras: add the eras by hand")
        return 0
    seen = {key_of(str(e.get("title", "")), str(e.get("start", ""))) for e in items or []
            if isinstance(e, dict)}
    new = []
    for draft in batch.eras:
        key = key_of(draft.meta["title"], draft.meta["start"])
        one, _ = parse_document("era", yaml.safe_dump([draft.meta]), "eras")
        errors = [p for p in build_eras(one, one.data["eras"])[1] if p.severity == "error"] \
            if one is not None else [Problem("era", None, None, "unreadable")]
        for p in errors:
            batch.problem(draft.row, p.field, p.message)
        batch.failed += bool(errors)
        if key not in seen and not errors:
            seen.add(key)
            new.append(draft.meta)
    if not new:
        return 0
    head = "" if old.strip() else f"# Named periods, imported from {Path(batch.name).name}.\n"
    added = ("\n" if old and not old.endswith("\n") else "") + head + yaml.safe_dump(
        new, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    check, _ = parse_document("content/eras.yaml", old + added, "eras")
    if check is None or len(check.data["eras"] or []) != len(items or []) + len(new):
        batch.problem(None, None, f"{path} cannot take more eras at its end: add them by hand")
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # the one rewrite: BOM and CRLF kept, atomic, refused if saved meanwhile
        replace_file(original, original.encode(old + added))
    except EditError as exc:
        batch.problem(None, None, f"{exc.problem.path} {exc.problem.message}")
        return 0
    print(f"added {len(new)} era{'s' * (len(new) != 1)} to {path}")
    return len(new)


def write_intro(site: Path, batch: Batch, on_conflict: str) -> str:
    """Write the title slide as a page; say what happened to it."""
    draft = batch.intro
    if draft is None:
        return ""
    folder = site / "content" / "pages"
    path = folder / "introduction.md"
    if path.exists():
        fm, _ = parse(path.name, path.read_text("utf-8-sig"))
        if fm is not None and key_of(str(fm.data.get("title", "")), "") == key_of(
                draft.meta["title"], ""):
            return "title slide already there"
        if on_conflict != "rename":
            batch.problem(draft.row, None, f"{path} already exists: title slide skipped "
                          "(--on-conflict rename writes it beside)", "warning")
            return "title slide skipped"
        path = folder / f"{_free(folder, 'introduction', {})}.md"
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as out:
        out.write(render_draft(draft))
    print(f"wrote {path}")
    return f"title slide in {path}"


def import_file(file: Path | str, site: Path, on_conflict: str = "skip",
                update: bool = False) -> int:
    """Import ``file`` (or a published sheet's address) into ``site``; print what was
    written; 1 if any entry failed."""
    address = is_address(str(file))
    if not address and not Path(file).is_file():
        raise SiteError.one(str(file), None, None, "not found: give a .json or .csv file")
    if not (site / "timeline.toml").is_file():
        raise SiteError.one(str(site / "timeline.toml"), None, None,
                            "not found: import into a site (`timeline init DIR` makes one)")
    batch = read_data(str(file), *fetch_sheet(str(file))) if address \
        else read_file(Path(file))
    counts = write_events(site, batch, on_conflict, update)
    eras = write_eras(site, batch) if batch.eras else 0
    intro = write_intro(site, batch, on_conflict)
    for problem in sorted(batch.problems, key=lambda p: (p.line or 0, p.field or "")):
        print(problem, file=sys.stderr)
    failed = batch.failed or int(any(p.severity == "error" for p in batch.problems))
    parts = [f"{counts['written']} event{'s' * (counts['written'] != 1)} written"]
    if update or counts["updated"]:
        parts.append(f"{counts['updated']} updated")
    elif counts["changed"]:
        parts.append(f"{counts['changed']} changed (not updated: --update rewrites them)")
    parts += [f"{counts['already there']} already there", f"{counts['skipped']} skipped",
              f"{failed} failed"]
    if counts["duplicate"]:
        parts.append(f"{counts['duplicate']} probable duplicate"
                     f"{'s' * (counts['duplicate'] != 1)} not written")
    if eras:
        parts.append(f"{eras} era{'s' * (eras != 1)} added")
    if intro:
        parts.append(intro)
    print(f"{file}: " + ", ".join(parts))
    return 1 if failed else 0
