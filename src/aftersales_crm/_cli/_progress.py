"""Progress of the long steps on stderr, shown only when stderr is a terminal."""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Prints each step as it starts and its time when the next one starts.

    Silent unless ``stream`` is a terminal (or ``enabled`` says otherwise), so that logs
    and pipes get only the report and the problems.

    Args:
        stream: where to write (the command line passes ``sys.stderr``).
        enabled: whether to write; by default whether ``stream`` is a terminal.
    """

    def __init__(self, stream: TextIO, *, enabled: bool | None = None) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self._started: float | None = None

    def step(self, what: str) -> None:
        """Start a step, ending the one before."""
        self.done()
        if self.enabled:
            self.stream.write(f"{what} …")
            self.stream.flush()
            self._started = time.perf_counter()

    def done(self) -> None:
        """End the running step, if any, with its time."""
        if self.enabled and self._started is not None:
            self.stream.write(f" {time.perf_counter() - self._started:.1f} s\n")
            self.stream.flush()
        self._started = None
