"""The template environments: a self-including template is one clear error; untrusted sites
render in a timed sandbox with bounded * and **; a template is compiled once per process for
its source and the environment's settings, and anew when either differs."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from jinja2.exceptions import SecurityError

from generator.config import UNTRUSTED_ENV
from generator.site.pages import make_environment
from generator.site.sandbox import GuardedEnvironment, TimedSandbox, make_jinja

from conftest import MakeSite


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


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the templates Jinja's compiler turns into Python from now on."""
    seen: list[str | None] = []
    generate = jinja2.Environment._generate

    def counted(self: jinja2.Environment, source: jinja2.nodes.Template, name: str | None,
                *args: object, **kwargs: object) -> str:
        seen.append(name)
        return generate(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "_generate", counted)
    return seen


def test_a_template_is_compiled_once_for_its_source_and_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every build makes new environments: the second finds the first's compiled template."""
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    seen = _compiles(monkeypatch)
    text = f"<p>{{{{ x * 2 }}}} {tmp_path.name}</p>"  # a source no other test compiled
    first = env_for(tmp_path, {"a.html": text}).get_template("a.html")
    again = env_for(tmp_path, {"a.html": text}).get_template("a.html")
    assert first.environment is not again.environment
    assert seen == ["a.html"]
    assert first.render(x=2) == again.render(x=2) == f"<p>4 {tmp_path.name}</p>"
    # Another source, another file, other settings: each compiled anew.
    edited = env_for(tmp_path / "edited", {"a.html": text.replace("<p>", "<p class=e>")})
    assert edited.get_template("a.html").render(x=1) == f"<p class=e>2 {tmp_path.name}</p>"
    other = env_for(tmp_path / "other", {"a.html": text})
    assert other.get_template("a.html").render(x=3) == f"<p>6 {tmp_path.name}</p>"
    escaping = make_jinja(tmp_path, loader=jinja2.FileSystemLoader(str(tmp_path / "templates")),
                          autoescape=True)
    assert escaping.get_template("a.html").render(x="<") == f"<p>&lt;&lt; {tmp_path.name}</p>"
    assert first.environment.get_template("a.html").render(x="<") == f"<p><< {tmp_path.name}</p>"
    assert seen == ["a.html"] * 4


def test_the_sandbox_never_runs_a_template_compiled_outside_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Compiled in the sandbox, ``*`` is intercepted: the trusted build's compile of the same
    source in the same process is not reused."""
    text = f"{{{{ 'a' * n }}}}{tmp_path.name}"
    monkeypatch.delenv(UNTRUSTED_ENV, raising=False)
    trusted = env_for(tmp_path, {"big.html": text})
    assert trusted.get_template("big.html").render(n=3) == f"aaa{tmp_path.name}"
    monkeypatch.setenv(UNTRUSTED_ENV, "1")
    sandboxed = env_for(tmp_path, {"big.html": text})
    with pytest.raises(SecurityError, match=r"^a str 20,000,000 times over is too large$"):
        sandboxed.get_template("big.html").render(n=20_000_000)


def test_each_catalog_folds_its_own_strings_into_the_compiled_template(
        make_site: MakeSite) -> None:
    """Sites with other translations of one theme string: one compile each, the words of
    each site's catalog in its pages."""
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          'msgid "Sources"\nmsgstr "{}"\n')
    said = []
    for word in ("근거", "자료", "근거"):
        site = make_site({"locales/ko/LC_MESSAGES/messages.po": po.format(word)})
        env = make_environment(site, language="ko")
        said.append(env.from_string("<h2>{{ _('Sources') }}</h2>").render())
    assert said == ["<h2>근거</h2>", "<h2>자료</h2>", "<h2>근거</h2>"]
