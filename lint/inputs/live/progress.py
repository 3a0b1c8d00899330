"""A one-line progress display on stderr, for live scans that take more than a moment.

Shown only on a terminal and never with `-q`: CI logs and redirected output stay clean.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

DELAY = 0.5  # seconds before the first line: quick scans show nothing


class Progress:
    def __init__(self, enabled: bool = True, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.started = time.monotonic()
        self.shown = False
        self._lock = threading.Lock()

    def update(self, message: str) -> None:
        if not self.enabled or time.monotonic() - self.started < DELAY:
            return
        with self._lock:
            self.stream.write(f"\r\x1b[2Kanycast-lint: reading Azure: {message}")
            self.stream.flush()
            self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
