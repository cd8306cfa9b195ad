#!/usr/bin/env python3
"""Kills `earshot train` with SIGKILL at random moments, resumes it each time, and checks that nothing is lost.

1. Trains a small model on the six clips of Tests/EarshotTrainingTests/Fixtures without interruption: the
   reference.
2. Trains the same model again in another folder, killing it with SIGKILL --kills times: every second kill
   the moment a write begins (its temporary `.<name>.<pid>.<n>.tmp` file appears: of the last checkpoint,
   the best checkpoint and the model file in turn), the others at a random time. After each kill:
   - every model and checkpoint file on disk must be complete (a safetensors file whose header parses and
     whose tensors fill the file exactly, a checkpoint with its training state) and the model file must load
     (`earshot transcribe --model`);
   - the run is resumed with `--resume` (started again without it when no checkpoint was written yet), and
     the temporary files the killed process left must be gone once the resumed process has started.
3. After the last kill the run is resumed to its end: no temporary file may be left, and the model and both
   checkpoints must hold exactly the reference's weights (every tensor bit for bit; the model file byte for
   byte).

    python3 Scripts/faults/kill_resume.py                       # 20 kills, .build/release/earshot
    python3 Scripts/faults/kill_resume.py --kills 5 --earshot .build/debug/earshot

Prints one line per kill and a summary; exits 0 when every check passed, 1 otherwise.
"""

import argparse
import json
import os
import random
import signal
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests", "EarshotTrainingTests", "Fixtures")
# The files a run writes, whose writes are aimed at in turn: the last checkpoint (every epoch), the best
# checkpoint and the model file (each epoch that improves the validation CER).
WRITES = ["last.safetensors", "best.safetensors", "m.safetensors"]
DTYPE_SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1}


def write_manifest(folder):
    """A TSV manifest of the six fixture clips with absolute paths; returns its path."""
    with open(os.path.join(FIXTURES, "tiny.tsv"), encoding="utf-8") as source:
        rows = [line.rstrip("\n").split("\t") for line in source.readlines()[1:] if line.strip()]
    path = os.path.join(folder, "train.tsv")
    with open(path, "w", encoding="utf-8") as manifest:
        for audio, text in rows:
            manifest.write(os.path.join(FIXTURES, audio) + "\t" + text + "\n")
    return path


def read_safetensors(path):
    """The (metadata, {name: raw bytes}) of a complete safetensors file; raises ValueError naming what is wrong."""
    with open(path, "rb") as file:
        data = file.read()
    if len(data) < 8:
        raise ValueError(f"{len(data)} bytes: shorter than the header length")
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        raise ValueError(f"header of {length} bytes, file of {len(data)}")
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    body = data[8 + length:]
    tensors, extents = {}, []
    for name, entry in header.items():
        start, end = entry["data_offsets"]
        count = 1
        for n in entry["shape"]:
            count *= n
        if end - start != count * DTYPE_SIZES[entry["dtype"]]:
            raise ValueError(f"tensor {name}: {end - start} bytes for shape {entry['shape']}")
        extents.append((start, end))
        tensors[name] = body[start:end]
    extents.sort()
    covered = 0
    for start, end in extents:
        if start != covered:
            raise ValueError(f"tensor data not contiguous at byte {covered}")
        covered = end
    if covered != len(body):
        raise ValueError(f"tensors cover {covered} of {len(body)} data bytes")
    return metadata, tensors


class Run:
    """One training folder: the model file, its checkpoints and the command that trains it."""

    def __init__(self, earshot, folder, manifest, arguments):
        self.earshot = earshot
        self.folder = folder
        self.model = os.path.join(folder, "m.safetensors")
        self.checkpoints = os.path.join(folder, "m.checkpoints")
        self.command = [earshot, "train", manifest, "-o", self.model, "--json"] + arguments
        self.logs = 0

    def start(self, resume):
        self.logs += 1
        log = open(os.path.join(self.folder, f"run-{self.logs:02d}.log"), "wb")
        process = subprocess.Popen(self.command + (["--resume"] if resume else []),
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        return process, os.path.join(self.folder, f"run-{self.logs:02d}.log")

    def files(self):
        """The model and checkpoint files present."""
        paths = [self.model] + [os.path.join(self.checkpoints, n) for n in ("last.safetensors", "best.safetensors")]
        return [p for p in paths if os.path.exists(p)]

    def temporary_files(self):
        names = []
        for folder in (self.folder, self.checkpoints):
            if os.path.isdir(folder):
                names += [os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".tmp")]
        return sorted(names)

    def has_checkpoint(self):
        return os.path.exists(os.path.join(self.checkpoints, "last.safetensors"))


def check_files(run, clip):
    """Problems of the files on disk: incomplete files, a checkpoint without state, a model that does not load."""
    problems = []
    for path in run.files():
        try:
            metadata, _ = read_safetensors(path)
        except (ValueError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{path}: incomplete: {error}")
            continue
        if path != run.model and "training_state" not in metadata:
            problems.append(f"{path}: a checkpoint without its training state")
    if os.path.exists(run.model):
        loaded = subprocess.run([run.earshot, "transcribe", "--model", run.model, clip, "--quiet"],
                                capture_output=True, text=True)
        if loaded.returncode != 0:
            problems.append(f"{run.model}: does not load: {loaded.stderr.strip()}")
    return problems


def kill_at_random(process, low, high):
    """SIGKILL after a random time in [low, high] s; returns False when the process ended first."""
    deadline = time.monotonic() + random.uniform(low, high)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return True


def kill_at_write(process, run, target, timeout):
    """SIGKILL as soon as the temporary file of a write of `target` (a file name) appears, then after 0-0.5 ms
    more; returns False when the process ended first or no such write began within `timeout` s (it is killed
    then all the same: the best checkpoint and the model are written only when the validation CER improves)."""
    deadline = time.monotonic() + timeout
    prefix = "." + target + "."
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        if any(os.path.basename(p).startswith(prefix) for p in run.temporary_files()):
            time.sleep(random.uniform(0, 0.0005))
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
    process.send_signal(signal.SIGKILL)
    process.wait()
    return False


def wait_until_gone(paths, process, timeout):
    """Whether the files at `paths` disappear (the resumed `process` removes them as its training starts)
    within `timeout` s and before the process ends."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(os.path.exists(p) for p in paths):
            return True
        if process.poll() is not None:
            break
        time.sleep(0.005)
    return not any(os.path.exists(p) for p in paths)


def compare(reference, run):
    """Problems where the run's files differ from the reference's (tensors bit for bit, model file bytes)."""
    if len(run.files()) != 3 or len(reference.files()) != 3:
        return [f"a model or checkpoint file is missing: {run.files()}, {reference.files()}"]
    problems = []
    for mine, theirs in zip(run.files(), reference.files()):
        _, a = read_safetensors(mine)
        _, b = read_safetensors(theirs)
        if sorted(a) != sorted(b):
            problems.append(f"{mine}: other tensors than {theirs}")
        differing = [name for name in a if a[name] != b.get(name)]
        if differing:
            problems.append(f"{mine}: {len(differing)} tensors differ from the reference (first: {differing[0]})")
    with open(run.model, "rb") as a, open(reference.model, "rb") as b:
        if a.read() != b.read():
            problems.append(f"{run.model}: not byte for byte the reference model file")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs to send (default 20)")
    parser.add_argument("--earshot", default=os.path.join(ROOT, ".build", "release", "earshot"),
                        help="the earshot binary (default .build/release/earshot)")
    parser.add_argument("--epochs", type=int, default=400, help="epochs of the run (default 400)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the kill moments (default 1)")
    parser.add_argument("--folder", help="where to train (default: a new temporary folder, removed at the end)")
    args = parser.parse_args()
    random.seed(args.seed)
    folder = args.folder or tempfile.mkdtemp(prefix="earshot-kill-resume-")
    os.makedirs(folder, exist_ok=True)
    manifest = write_manifest(folder)
    clip = os.path.join(FIXTURES, "clips", "yes.wav")
    arguments = ["--epochs", str(args.epochs), "--hidden-size", "96", "--layers", "2", "--dropout", "0.1",
                 "--mel-bins", "40", "--batch-size", "3", "--learning-rate", "0.003", "--warmup-steps", "5",
                 "--speed-factors", "0.9", "1", "1.1", "--patience", "0", "--seed", "7"]

    os.makedirs(os.path.join(folder, "reference"), exist_ok=True)
    os.makedirs(os.path.join(folder, "killed"), exist_ok=True)
    reference = Run(args.earshot, os.path.join(folder, "reference"), manifest, arguments)
    started = time.monotonic()
    process, log = reference.start(resume=False)
    if process.wait() != 0:
        sys.exit(f"kill_resume.py: the reference run failed; see {log}")
    duration = time.monotonic() - started
    print(f"reference run: {duration:.1f} s, {args.epochs} epochs", flush=True)

    run = Run(args.earshot, os.path.join(folder, "killed"), manifest, arguments)
    problems, kills, at_write, fresh_starts, stale_seen = [], 0, 0, 0, 0
    process, log = run.start(resume=False)
    while kills < args.kills:
        if kills % 2 == 0:
            target = WRITES[kills // 2 % len(WRITES)]
            killed = kill_at_write(process, run, target, timeout=3)
            mode = f"as {target} is written" if killed else f"after 3 s without a write of {target}"
        else:
            killed = kill_at_random(process, 0.05, 2)
            mode = "at random"
        if process.returncode != -signal.SIGKILL:
            problems.append(f"the run ended by itself (status {process.returncode}) after {kills} kills; see {log}"
                            + (": give more --epochs" if process.returncode == 0 else ""))
            break
        kills += 1
        temporary = run.temporary_files()
        at_write += bool(temporary)
        stale_seen += len(temporary)
        found = check_files(run, clip)
        problems += [f"kill {kills}: {p}" for p in found]
        resume = run.has_checkpoint()
        fresh_starts += not resume
        print(f"kill {kills:2d} ({mode}): {len(temporary)} temporary file(s) left by the write under way; "
              f"{len(run.files())} model/checkpoint files: {'complete and loadable' if not found else 'BROKEN'}; "
              f"{'--resume' if resume else 'no checkpoint yet: started again'}", flush=True)
        process, log = run.start(resume=resume)
        if not wait_until_gone(temporary, process, timeout=max(30, duration)):
            problems.append(f"kill {kills}: the next run left {temporary} in place; see {log}")
    status = process.wait()
    if status != 0:
        problems.append(f"the final resumed run exited {status}; see {log}")
    else:
        if run.temporary_files():
            problems.append(f"temporary files left at the end: {run.temporary_files()}")
        problems += [f"at the end: {p}" for p in check_files(run, clip)]
        problems += compare(reference, run)
    equal = status == 0 and not any("differ" in p or "byte for byte" in p for p in problems)
    print(f"kill_resume.py: {kills} kills, {at_write} during a write (leaving {stale_seen} temporary files, "
          f"each removed by the next run), {kills - fresh_starts} resumed with --resume, {fresh_starts} started "
          f"again before any checkpoint; final model and checkpoints equal to the uninterrupted run's: "
          f"{'yes' if equal else 'NO'}; {len(problems)} problems")
    for problem in problems:
        print("PROBLEM: " + problem)
    if not args.folder and not problems:
        subprocess.run(["rm", "-rf", folder])
    elif problems:
        print(f"kill_resume.py: the runs are in {folder}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
