"""A text progress bar for long commands, written to stderr so stdout stays the report."""

import sys
import time


class ProgressBar:
    """``bar(done, total, stage)`` redraws one line on stderr, at most ten times a second."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.last = 0.0
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, stage: str) -> None:
        now = time.monotonic()
        if now - self.last < 0.1 and done < total:
            return
        self.last = now
        total = max(total, 1)
        filled = min(self.width, self.width * done // total)
        percent = min(100, 100 * done // total)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {done:,}/{total:,} rows "
            f"{stage:<8} {now - self.started:6.1f} s"
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
