"""A progress bar for long builds on a terminal; silent in pipes, logs and with --quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Shows ``rendering [#####     ] 512/1024`` once a build has run for a second."""

    def __init__(self, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.delay = delay
        self.started = time.perf_counter()
        self.label, self.total, self.count, self.shown = "", 0, 0, -1.0

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.count = label, total, 0

    def step(self, _: int = 0) -> None:
        self.count += 1
        now = time.perf_counter()
        if not self.enabled or now - self.started < self.delay or now - self.shown < 0.1:
            return
        self.shown = now
        width = 30
        filled = int(width * self.count / max(self.total, 1))
        self.stream.write(f"\r{self.label} [{'#' * filled}{' ' * (width - filled)}] "
                          f"{self.count}/{self.total}")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self.shown >= 0:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
