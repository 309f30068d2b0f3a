"""The package's layout holds: imports only go down the declared order of concerns, and no
module grows into two."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

ORDER = [
    {"errors", "hashing", "parallel", "report", "progress", "symlinks"},
    {"config", "toml_tables"},
    {"content"},
    {"interop"},
    {"site"},
    {"output"},
    {"incremental"},
    {"sources"},
    {"dev"},
    {"build", "check"},
    {"cli"},
    {"__main__"},
]
"""Each concern may import those on its own line and above, never below."""

LIMIT = 400
"""Lines in a module: past this, it holds two concerns (the aim is about 350)."""


def _concern(module: str) -> str:
    """``generator.content.dates`` -> ``content``; ``generator.build`` -> ``build``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _rank(concern: str) -> int:
    for number, names in enumerate(ORDER):
        if concern in names:
            return number
    raise AssertionError(f"generator.{concern} is in no layer of ORDER: add it there")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "theme" in path.relative_to(PACKAGE).parts:
            continue
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        found.append((name, path))
    return found


def _imports(name: str, path: Path) -> list[tuple[str, int]]:
    """Every ``generator.*`` module this one imports, type-only and local imports too."""
    tree = ast.parse(path.read_text("utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.rsplit(".", node.level if not path.name == "__init__.py"
                                   else node.level - 1)[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target == "generator":  # a module of the package, or a name in __init__
                out += [(f"generator.{alias.name}", node.lineno) for alias in node.names
                        if (PACKAGE / f"{alias.name}.py").exists()
                        or (PACKAGE / alias.name).is_dir()]
            elif target.startswith("generator."):
                out.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names
                    if alias.name.startswith("generator.")]
    return out


MODULES = _modules()


def test_imports_only_go_down() -> None:
    """One test over every module: each import names a layer at or below its own."""
    wrong = [f"{path.relative_to(PACKAGE.parent)}:{line}: imports {target}"
             for name, path in MODULES
             for target, line in _imports(name, path)
             if _rank(_concern(target)) > (_rank(_concern(name)) if name != "generator" else 0)]
    assert wrong == []


def test_no_module_holds_two_concerns() -> None:
    """One test over every module: none is over LIMIT lines."""
    sizes = {path.relative_to(PACKAGE.parent).as_posix(): len(path.read_text("utf-8")
                                                                .splitlines())
             for _, path in MODULES}
    assert {module: size for module, size in sizes.items() if size > LIMIT} == {}
    assert len(sizes) > 80  # every module was read, not a folder that moved


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    """The rule fails on a module that imports a layer above its own."""
    bad = tmp_path / "generator" / "content" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from generator.site.plan import plan_site\n"
                   "def f() -> None:\n    from generator.build import build_site\n")
    found = _imports("generator.content.bad", bad)
    assert [target for target, _ in found] == ["generator.site.plan", "generator.build"]
    assert all(_rank(_concern(t)) > _rank("content") for t, _ in found)
