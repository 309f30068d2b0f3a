"""Where templates and static files come from: the site's own over the default theme's."""

from __future__ import annotations

import os
from pathlib import Path

from generator.site.theme import static_files, template_dirs, theme_dir


def test_the_default_theme_has_its_templates() -> None:
    assert (theme_dir() / "templates" / "index.html").is_file()
    assert (theme_dir() / "static").is_dir()


def test_site_templates_come_first(tmp_path: Path) -> None:
    assert template_dirs(tmp_path) == [theme_dir() / "templates"]
    (tmp_path / "templates").mkdir()
    assert template_dirs(tmp_path) == [tmp_path / "templates", theme_dir() / "templates"]


def test_the_theme_itself_is_listed_once(tmp_path: Path) -> None:
    os.symlink(theme_dir() / "templates", tmp_path / "templates")
    assert template_dirs(tmp_path) == [tmp_path / "templates"]


def test_site_static_files_replace_the_theme_ones(tmp_path: Path) -> None:
    theme = static_files(tmp_path)
    assert theme and all(not Path(p).name.startswith(".") for p in theme)
    name = sorted(theme)[0]
    (tmp_path / "static" / Path(name).parent).mkdir(parents=True, exist_ok=True)
    (tmp_path / "static" / name).write_bytes(b"mine")
    (tmp_path / "static" / "images").mkdir()
    (tmp_path / "static" / "images" / "a.jpg").write_bytes(b"jpg")
    (tmp_path / "static" / ".secret").write_bytes(b"x")
    files = static_files(tmp_path)
    assert files[name] == b"mine"
    assert files["images/a.jpg"] == b"jpg"
    assert ".secret" not in files
    assert set(files) == set(theme) | {"images/a.jpg"}
