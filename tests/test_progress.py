"""The progress bar: drawn on a terminal after its delay, silent elsewhere."""

from __future__ import annotations

import io

from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_silent_when_not_a_terminal() -> None:
    out = io.StringIO()
    bar = Progress(out, delay=0)
    bar.start("rendering", 2)
    bar.step()
    bar.done()
    assert out.getvalue() == ""


def test_drawn_on_a_terminal_then_cleared() -> None:
    out = Terminal()
    bar = Progress(out, delay=0)
    bar.start("rendering", 4)
    bar.step()
    bar.step()  # within 0.1 s of the last: not drawn again
    assert out.getvalue() == "\rrendering [#######                       ] 1/4"
    bar.done()
    assert out.getvalue().endswith("\r\x1b[K")


def test_nothing_shown_before_the_delay() -> None:
    out = Terminal()
    bar = Progress(out, delay=60)
    bar.start("parsing", 1)
    bar.step()
    bar.done()
    assert out.getvalue() == "" and bar.count == 1
