"""The build's log: messages stamped with the seconds since the start, printed as they come and kept for
build.log, and the seconds each stage took (stats.json)."""

import time
from contextlib import contextmanager


class BuildLog:
    def __init__(self):
        self.start = time.time()
        self.lines = []
        self.stage_seconds = {}

    def elapsed(self):
        return round(time.time() - self.start, 1)

    def log(self, message):
        line = f"[{time.time() - self.start:7.1f}s] {message}"
        self.lines.append(line)
        print(line, flush=True)

    @contextmanager
    def stage(self, name):
        """Times the block as stage `name` (when it ends without an error)."""
        t0 = time.time()
        yield
        self.stage_seconds[name] = round(time.time() - t0, 1)

    def write(self, path):
        with open(path, "w") as f:
            f.write("\n".join(self.lines) + "\n")
