"""``serve --output``: the site served from memory, also written to a folder, after the
browsers were told to reload and on a thread of its own, so no edit waits for the disk."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path

from generator.dev.served import Body
from generator.output.writer import output_lock, write_files


class DiskMirror:
    """Writes the latest site it was handed; a site handed in while one is being written
    replaces any still waiting (only the newest is worth writing)."""

    def __init__(self, output: Path, locks: Path) -> None:
        self.output, self.locks = output, locks
        self.waiting: Mapping[str, Body] | None = None
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()
        self.written = 0
        """How many sites were written (for tests)."""

    def update(self, files: Mapping[str, Body]) -> None:
        with self.lock:
            self.waiting = files
            if self.thread is None:
                self.thread = threading.Thread(target=self._write, daemon=True)
                self.thread.start()

    def _write(self) -> None:
        while True:
            with self.lock:
                files, self.waiting = self.waiting, None
                if files is None:
                    self.thread = None
                    return
            try:
                with output_lock(self.output, self.locks):
                    write_files(self.output, dict(files))
                self.written += 1
            except Exception:  # noqa: BLE001 - the server goes on serving from memory
                print(f"{self.output}: could not write the site:", file=sys.stderr)
                traceback.print_exc()

    def wait(self) -> None:
        """Return when everything handed in is written."""
        while True:
            with self.lock:
                thread = self.thread
            if thread is None:
                return
            thread.join()
