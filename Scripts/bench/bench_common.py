"""Pieces every benchmark script in Scripts/bench shares: the machine's description, running
`earshot-bench` and reading its JSON line, and replacing a script's block in BENCHMARKS.md."""

import json
import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS_MD = REPO / "BENCHMARKS.md"


def machine() -> str:
    """'<CPU model name>, <n> cores' (from lscpu)."""
    model = "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def run_earshot_bench(cmd, env=None):
    """Runs an earshot-bench command; returns (its last stdout line as JSON, "") or (None, why)."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, f"`{' '.join(str(c) for c in cmd[1:])}` failed (exit {p.returncode}): {p.stderr.strip()[:300]}"
    try:
        return json.loads(p.stdout.strip().splitlines()[-1]), ""
    except (json.JSONDecodeError, IndexError):
        return None, f"earshot-bench printed no JSON line: {p.stdout.strip()[:300]!r}"


def write_block(block: str, begin: str, end: str, path: Path = BENCHMARKS_MD) -> None:
    """Replaces the text from `begin` to `end` (markers included in `block`) in BENCHMARKS.md, or appends
    `block` when the markers are not there yet."""
    text = path.read_text() if path.exists() else "# Earshot benchmarks\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)
