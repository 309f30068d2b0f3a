"""The template environments: a self-including template is one clear error; untrusted sites
render in a timed sandbox with bounded * and **."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from generator.config import UNTRUSTED_ENV
from generator.site.sandbox import GuardedEnvironment, TimedSandbox, make_jinja


def env_for(site: Path, templates: dict[str, str]) -> jinja2.Environment:
    (site / "templates").mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (site / "templates" / name).write_text(text, "utf-8")
    return make_jinja(site, loader=jinja2.FileSystemLoader(str(site / "templates")))


def test_trusted_sites_get_the_ordinary_environment(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    env = env_for(tmp_path, {})
    assert type(env) is GuardedEnvironment
    assert env.from_string("{{ 'a' * 3 }}").render() == "aaa"


def test_a_template_that_includes_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    env = env_for(tmp_path, {"loop.html": "x{% include 'loop.html' %}"})
    with pytest.raises(jinja2.TemplateRuntimeError) as caught:
        env.get_template("loop.html").render()
    assert str(caught.value) == "templates/loop.html includes or calls itself without end"


def test_untrusted_sites_are_sandboxed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UNTRUSTED_ENV, "1")
    env = env_for(tmp_path, {})
    assert isinstance(env, TimedSandbox) and env.render_seconds == 10.0
    assert env.bytecode_cache is None
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__ }}").render()
    with pytest.raises(SecurityError, match=r"^a str 20,000,000 times over is too large$"):
        env.from_string("{{ 'a' * 20000000 }}").render()
    with pytest.raises(SecurityError, match=r"^10 \*\* 99999999 is too large a number$"):
        env.from_string("{{ 10 ** 99999999 }}").render()
    assert env.from_string("{{ 2 ** 10 }} {{ [1] * 3 }}").render() == "1024 [1, 1, 1]"


def test_untrusted_templates_are_timed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UNTRUSTED_ENV, "1")
    (tmp_path / "timeline.toml").write_text('title = "T"\n[safety]\ntemplate_seconds = 0.3\n',
                                            "utf-8")
    env = env_for(tmp_path, {"slow.html": "{% for i in range(99999) %}{% for j in range(99999)"
                             " %}{% endfor %}{% endfor %}"})
    with pytest.raises(jinja2.TemplateRuntimeError) as caught:
        env.get_template("slow.html").render()
    assert str(caught.value) == ("took more than 0.3 s (a loop without end?); raise [safety] "
                                 "template_seconds in timeline.toml if the site is that large")
