"""What a build did: the one value every layer above the writer hands upwards."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem


@dataclass
class BuildResult:
    """What a build did, for the summary line and for tests."""

    events: int
    pages: int
    written: int
    reused: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    output: Path = Path("site")

    def summary(self) -> str:
        return (f"{self.events} events, {self.pages} files ({self.written} written, "
                f"{self.reused} unchanged) in {self.seconds:.2f} s")
