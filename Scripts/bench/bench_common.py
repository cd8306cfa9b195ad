"""Pieces every benchmark script in Scripts/bench shares: the machine's description, running
`earshot-bench` and reading its JSON line, timing a command with its peak memory, and replacing a script's
block in BENCHMARKS.md."""

import json
import os
import subprocess
import threading
import time
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


def recurrent_parameters(gates: int, hidden: int, inputs: int, layers: int) -> int:
    """Weights and the two biases of both directions of every layer of a bidirectional stack with `gates` gate
    rows per unit (4: LSTM, 3: GRU), `hidden` units per direction, `inputs` values per input step."""
    return sum(2 * (gates * hidden * ((inputs if k == 0 else 2 * hidden) + hidden) + 2 * gates * hidden)
               for k in range(layers))


def gru_hidden_size(lstm_hidden: int, inputs: int, layers: int, outputs: int) -> int:
    """The GRU hidden size whose stack (and Linear(2H, outputs) on top) has the parameter count nearest an LSTM
    stack of `lstm_hidden` units (298 for the reference model's 256: 4,186,929 against 4,188,701 parameters)."""
    def model(gates: int, hidden: int) -> int:
        return recurrent_parameters(gates, hidden, inputs, layers) + 2 * hidden * outputs + outputs
    target = model(4, lstm_hidden)
    return min(range(lstm_hidden, 2 * lstm_hidden), key=lambda h: abs(model(3, h) - target))


def run_earshot_bench(cmd, env=None):
    """Runs an earshot-bench command; returns (its last stdout line as JSON, "") or (None, why)."""
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        return None, f"`{' '.join(str(c) for c in cmd[1:])}` failed (exit {p.returncode}): {p.stderr.strip()[:300]}"
    try:
        return json.loads(p.stdout.strip().splitlines()[-1]), ""
    except (json.JSONDecodeError, IndexError):
        return None, f"earshot-bench printed no JSON line: {p.stdout.strip()[:300]!r}"


def run_measured(command, stdin_data=None, repeat=1):
    """Runs `command` (with `stdin_data` written `repeat` times on its standard input, as fast as it reads,
    if given); returns (wall seconds, peak RSS of that child in MiB, its stderr). Exits on a failure.

    The peak is the child's `ru_maxrss` (os.wait4), which also counts this process's pages between fork and
    exec: keep large data out of this process (hence `repeat` rather than a repeated bytes object)."""
    command = [str(c) for c in command]
    start = time.monotonic()
    process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin_data is not None else subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = []

    def write():
        for _ in range(repeat):
            process.stdin.write(stdin_data)
        process.stdin.close()

    threads = [threading.Thread(target=lambda: stderr.append(process.stderr.read().decode(errors="replace")))]
    if stdin_data is not None:
        threads.append(threading.Thread(target=write))
    for t in threads:
        t.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    for t in threads:
        t.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {process.returncode}: {''.join(stderr).strip()[-300:]}")
    return wall, usage.ru_maxrss / 1024, "".join(stderr)


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
