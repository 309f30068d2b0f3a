"""The command line: every command's options are listed by --help, a wrong option exits 2
with argparse's message, and our errors become exit status 1 and one line each."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main, make_parser

COMMANDS = {
    "build": ["--output", "--drafts", "--base-url", "--quiet", "--no-cache", "--publish",
              "--untrusted"],
    "check": ["--strict", "--untrusted", "--publish"],
    "serve": ["--host", "--port", "--open", "--output"],
    "init": ["--title", "--base-url"],
    "new": ["--date", "--source", "--end", "--tag", "--place", "--status", "--summary",
            "--slug", "--featured", "--draft", "--publisher", "--published", "--body"],
    "list": ["--drafts", "--tag", "--status", "--format"],
    "deploy": ["--remote", "--branch", "--message", "--refuse-drafts", "--allow-uncommitted"],
    "import": ["--on-conflict", "--update"],
    "sources check": ["--strict", "--older-than", "--untrusted"],
    "sources archive": ["--save", "--dry-run", "--untrusted"],
    "rename-tag": ["--dry-run"],
    "pin": [],
    "theme": [],
}


def test_version_is_the_packages(capsys: pytest.CaptureFixture[str]) -> None:
    from generator import __version__

    assert run(["--version"], capsys)[:2] == (0, f"timeline {__version__}\n")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_every_command_is_listed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in {c.split()[0] for c in COMMANDS}:
        assert f"    {command} " in out or f"    {command}\n" in out, command


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_lists_the_options(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*command.split(), "--help"], capsys)
    assert code == 0
    assert out.startswith(f"usage: timeline {command} ")
    listed = {word.rstrip(",") for line in out.splitlines() if line.startswith("  -")
              for word in line.split() if word.startswith("--")}
    assert listed == {"--help", *COMMANDS[command]}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_wrong_option_exits_2(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    needed = {"new": ["T", "--date", "2017"], "init": ["dir"], "import": ["f.json"],
              "rename-tag": ["a", "b"]}.get(command, [])
    code, out, err = run([*command.split(), *needed, "--bogus"], capsys)
    assert code == 2 and out == ""
    assert err.splitlines()[-1] == "timeline: error: unrecognized arguments: --bogus"


def test_bad_values_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["serve", "--port", "eighty"], capsys)
    assert code == 2
    assert err.splitlines()[-1] == ("timeline serve: error: argument --port: invalid int "
                                    "value: 'eighty'")
    code, _, err = run(["new", "T"], capsys)
    assert code == 2
    assert err.splitlines()[-1] == ("timeline new: error: the following arguments are "
                                    "required: --date")
    code, _, err = run(["list", "--format", "xml"], capsys)
    assert code == 2 and "invalid choice: 'xml'" in err
    code, _, err = run([], capsys)
    assert code == 2


def test_new_takes_the_site_after_its_options() -> None:
    args, extra = make_parser().parse_known_args(["new", "T", "--date", "2017", "mysite"])
    assert (args.title, args.date, args.site, extra) == ("T", "2017", ".", ["mysite"])


def test_our_errors_are_exit_1_and_one_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["build", str(tmp_path), "-q"], capsys)
    assert (code, out) == (1, "")
    assert err == (f"timeline.toml: not found in {tmp_path}: is this a timeline site? "
                   "(`timeline init DIR`)\n")
