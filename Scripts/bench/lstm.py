#!/usr/bin/env python3
"""Acoustic-model benchmark: Earshot's BiLSTM stack vs PyTorch's (oneDNN) on the reference model.

    Scripts/bench/lstm.sh [--repeats 5] [--rounds 2] [--write]      # builds earshot-bench first, then runs this
    python3 Scripts/bench/lstm.py [--earshot-bench PATH] [--skip torch|earshot] ...

The reference model: input 240 (3 stacked 80-bin frames), 3 bidirectional LSTM layers of 256 units per
direction, Linear(512, 29), log_softmax; sequences of 333 steps (10 s of audio at 30 ms per step), all
full length. Cases, each timed in `--rounds` alternating rounds (PyTorch then Earshot, so both see the
same machine load), `--repeats` runs per round after one warm-up; the table gives the median and the
minimum over all runs:

  train      batch 16, 2 threads: forward + backward of the whole network for a random upstream gradient on
             the log-probs (a training step without CTC and Adam), dropout 0.1 between layers.
             PyTorch also with CTC loss (100 labels per sequence) and an Adam step, for reference.
  infer-b1   batch 1, 1 thread: forward only (torch.inference_mode; Earshot's sequential schedule).
  infer-b1-2t  the same on 2 threads (Earshot: one direction per core), the streaming case on this machine.
  infer-b16  batch 16, 2 threads: forward only.

Inference cases also run both tools with 8-bit weights: PyTorch's dynamic quantization
(torch.ao.quantization.quantize_dynamic on nn.LSTM and nn.Linear, qint8 weights, activations quantised on
the fly; its quantized engine is named in the versions line) and Earshot's `--precision int8` (LSTM weights
int8 with per-row scales, activations quantised per row at each product; the output layer float32).
"PyTorch / this" is PyTorch float32's median over this row's; "PyTorch int8 / this" the same for PyTorch's
int8 path. GFLOP/s counts the same multiply–adds for every row, so int8 rows may pass the float FMA peak.
"CPU ms" (inference rows): the median CPU time of a run, all threads together (the process's CPU clock), which
other load on a shared machine inflates far less than wall time (2-thread PyTorch spins while it waits).

PyTorch: torch.nn.LSTM(240, 256, num_layers=3, bidirectional=True) on (T, B, F) input (its CPU kernel is
oneDNN's fused RNN), torch.set_num_threads per case. Earshot: `earshot-bench lstm MODE --batch B --steps 333
--threads N [--schedule concurrent|sequential] --repeats R`, which times itself and prints one JSON line
(median_seconds, times, gflop, gflops_per_second, blas). OPENBLAS_CORETYPE=SkylakeX (or Haswell) is set for
the Earshot process when the CPU has the units and the variable is not already set, as the CLI's relaunch
would do (BLASRuntime.coreTypeToRequest).

FMA peak: --peak-gflops per core (default 170, measured on the project's 2-core AVX-512 machine), times the
threads of the case.

Other recurrent cells (--cell; BENCHMARKS.md, "Recurrent cells: speed"): the same cases for
  gru             a stack of GRU cells against PyTorch's nn.GRU, both with the hidden size whose parameter count
                  is nearest the LSTM's (298 for 256: 4.19 M parameters either way; bench_common.gru_hidden_size)
  lstm-peepholes  LSTM cells with peephole connections; PyTorch has none, so the peer is Earshot's plain LSTM of
                  the same size, run by the same earshot-bench in the same rounds ("Earshot LSTM" rows)
--baseline-bench PATH also runs another earshot-bench (e.g. built from an older commit) on the plain LSTM in the
same rounds ("Earshot baseline" rows, the "baseline / this" column) and compares the two builds' checksums (the
sum of the last run's log-probs: the same weights and input give the same value on the same kernels).

--write replaces the block between <!-- lstm:begin --> and <!-- lstm:end --> in BENCHMARKS.md (with --cell:
<!-- cell-CELL:begin --> … end; with --baseline-bench: <!-- cell-lstm-baseline:begin --> … end; appended if
missing).
"""

import argparse
import datetime
import json
import os
import shlex
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

venv_bootstrap.reexec_in_venv(__file__)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import gru_hidden_size, machine, run_earshot_bench, write_block  # noqa: E402

import torch  # noqa: E402

BENCH_BIN = REPO / ".build" / "release" / "earshot-bench"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- lstm:begin -->", "<!-- lstm:end -->"

INPUT, HIDDEN, LAYERS, OUTPUTS, STEPS = 240, 256, 3, 29, 333
# --cell: (PyTorch module or None, earshot-bench options, units per direction, what the rows call it)
CELLS = {
    "lstm": (torch.nn.LSTM, [], HIDDEN, "LSTM"),
    "gru": (torch.nn.GRU, ["--cell", "gru"], gru_hidden_size(HIDDEN, INPUT, LAYERS, OUTPUTS), "GRU"),
    "lstm-peepholes": (None, ["--peepholes"], HIDDEN, "LSTM with peepholes"),
}
CPU_SECONDS: list[float] = []  # CPU seconds of the inference runs since time_torch last cleared it

CASES = [
    # name, mode, batch, threads, earshot schedules
    ("train", "train", 16, 2, ["concurrent", "sequential"]),
    ("infer-b1", "infer", 1, 1, ["sequential"]),
    ("infer-b1-2t", "infer", 1, 2, ["concurrent"]),
    ("infer-b16", "infer", 16, 2, ["concurrent", "sequential"]),
]


# ---------------------------------------------------------------------------------------------- PyTorch

class Model(torch.nn.Module):
    def __init__(self, dropout: float, recurrent=torch.nn.LSTM, hidden: int = HIDDEN):
        super().__init__()
        self.lstm = recurrent(INPUT, hidden, num_layers=LAYERS, bidirectional=True, dropout=dropout)
        self.output = torch.nn.Linear(2 * hidden, OUTPUTS)

    def forward(self, x):
        h, _ = self.lstm(x)
        return torch.log_softmax(self.output(h), dim=-1)


def torch_timer(mode: str, batch: int, threads: int, with_ctc_adam: bool = False, int8: bool = False,
                cell: str = "lstm"):
    """A function that runs one timed iteration and returns its seconds."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    recurrent, _, hidden, _ = CELLS[cell]
    model = Model(dropout=0.1 if mode == "train" else 0.0, recurrent=recurrent, hidden=hidden)
    x = torch.rand(STEPS, batch, INPUT) * 2 - 1
    if mode == "infer":
        model.eval()
        if int8:
            model = torch.ao.quantization.quantize_dynamic(model, {recurrent, torch.nn.Linear}, dtype=torch.qint8)

        def run() -> float:
            start, cpu = time.perf_counter(), time.process_time()
            with torch.inference_mode():
                model(x)
            CPU_SECONDS.append(time.process_time() - cpu)
            return time.perf_counter() - start
        return run

    model.train()
    g = (torch.rand(STEPS, batch, OUTPUTS) * 2 - 1) * 0.1
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    ctc = torch.nn.CTCLoss(blank=0, zero_infinity=True)
    targets = torch.randint(1, OUTPUTS, (batch, 100))
    input_lengths = torch.full((batch,), STEPS, dtype=torch.long)
    target_lengths = torch.full((batch,), 100, dtype=torch.long)

    def run() -> float:
        start = time.perf_counter()
        model.zero_grad(set_to_none=False)
        logprobs = model(x)
        if with_ctc_adam:
            loss = ctc(logprobs, targets, input_lengths, target_lengths)
        else:
            loss = (g * logprobs).sum()
        loss.backward()
        if with_ctc_adam:
            optimizer.step()
        return time.perf_counter() - start
    return run


def time_torch(mode: str, batch: int, threads: int, repeats: int, with_ctc_adam: bool = False,
               int8: bool = False, cpu: list | None = None, cell: str = "lstm") -> list[float]:
    """Wall seconds of `repeats` runs after two warm-ups; inference also adds their CPU seconds (all threads)
    to `cpu`."""
    run = torch_timer(mode, batch, threads, with_ctc_adam, int8, cell)
    run()
    run()  # oneDNN builds and caches its RNN primitives on the first calls
    CPU_SECONDS.clear()
    walls = [run() for _ in range(repeats)]
    if cpu is not None:
        cpu.extend(CPU_SECONDS)
    return walls


# ---------------------------------------------------------------------------------------------- Earshot

def core_type_for_cpu() -> str | None:
    """What BLASRuntime.coreTypeToRequest would pick from /proc/cpuinfo (None: leave OpenBLAS alone)."""
    try:
        flags = next(line for line in open("/proc/cpuinfo") if line.startswith("flags")).split(":", 1)[1].split()
    except (OSError, StopIteration):
        return None
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= set(flags):
        return "SkylakeX"
    if {"avx2", "fma"} <= set(flags):
        return "Haswell"
    return None


def earshot_env() -> dict:
    env = dict(os.environ)
    if not env.get("OPENBLAS_CORETYPE") and core_type_for_cpu():
        env["OPENBLAS_CORETYPE"] = core_type_for_cpu()
    return env


def cell_options(cell: str) -> list[str]:
    """earshot-bench's options for `cell` (none for the plain LSTM, so older builds run it too)."""
    _, options, hidden, _ = CELLS[cell]
    return options + (["--hidden", str(hidden)] if hidden != HIDDEN else [])


def run_earshot(bench_bin: Path, mode: str, batch: int, threads: int, schedule: str,
                repeats: int, precision: str = "f32", cell: str = "lstm") -> tuple[dict | None, str]:
    if not bench_bin.exists():
        return None, f"{bench_bin} not built"
    cmd = [str(bench_bin), "lstm", mode, "--batch", str(batch), "--steps", str(STEPS), "--threads", str(threads),
           "--schedule", schedule, "--repeats", str(repeats), "--precision", precision] + cell_options(cell)
    return run_earshot_bench(cmd, env=earshot_env())


def earshot_round(bench_bin: Path, prefix: str, cell: str, name: str, mode: str, batch: int, threads: int,
                  schedules: list[str], args, times: dict, cpus: dict, info: dict) -> str:
    """One round of one earshot-bench on one cell: every schedule, then int8 (inference) or the whole training
    step with CTC + Adam (train), in rows named `prefix (schedule)`, `prefix int8 (schedule)`,
    `prefix + CTC + Adam`. Returns why a run failed ("" if none did)."""
    missing = ""
    for schedule in schedules:
        print(f"{name}: {prefix} ({schedule}) ...", file=sys.stderr)
        result, why = run_earshot(bench_bin, mode, batch, threads, schedule, args.repeats, cell=cell)
        if result is None:
            missing = why
            continue
        key = f"{prefix} ({schedule})"
        times.setdefault(key, []).extend(result["times"])
        if mode == "infer":
            cpus.setdefault(key, []).extend(result["cpu_seconds"])
        info[key] = result
    if mode == "infer" and "int8" not in args.skip:
        schedule = schedules[0]
        print(f"{name}: {prefix} int8 ({schedule}) ...", file=sys.stderr)
        result, why = run_earshot(bench_bin, mode, batch, threads, schedule, args.repeats, precision="int8",
                                  cell=cell)
        if result is None:
            missing = why
        else:
            key = f"{prefix} int8 ({schedule})"
            times.setdefault(key, []).extend(result["times"])
            cpus.setdefault(key, []).extend(result["cpu_seconds"])
            info[key] = result
    if mode == "train" and "ctc-adam" not in args.skip:
        # The whole training step, as PyTorch + CTC + Adam: forward, CTC loss and gradient
        # (100 labels per sequence), backward, clipping, Adam.
        print(f"{name}: {prefix} + CTC + Adam ...", file=sys.stderr)
        cmd = [str(bench_bin), "train-step", "--batch", str(batch), "--steps", str(STEPS),
               "--threads", str(threads), "--repeats", str(args.repeats), "--target-length", "100"]
        result, why = run_earshot_bench(cmd + cell_options(cell), env=earshot_env())
        if result is None:
            missing = why
        else:
            times.setdefault(f"{prefix} + CTC + Adam", []).extend(result["times"])
    return missing


def peer_of(tool: str, cell: str) -> str | None:
    """The row `tool` is compared with: PyTorch doing the same work, or for peepholes Earshot's plain LSTM."""
    if tool.startswith("PyTorch") or tool.startswith("Earshot LSTM"):
        return None
    if CELLS[cell][0] is None:
        return tool.replace("Earshot peepholes", "Earshot LSTM", 1) if tool.startswith("Earshot peepholes") else None
    return "PyTorch + CTC + Adam" if tool.endswith("+ CTC + Adam") else "PyTorch"


# ---------------------------------------------------------------------------------------------- report

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per tool per round after a warm-up (default 5)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating PyTorch/Earshot rounds per case (default 2)")
    ap.add_argument("--earshot-bench", type=Path, default=BENCH_BIN,
                    help="the earshot-bench executable (default: .build/release/earshot-bench)")
    ap.add_argument("--peak-gflops", type=float, default=170.0, help="FMA peak per core, GFLOP/s (default 170)")
    ap.add_argument("--case", action="append", choices=[c[0] for c in CASES],
                    help="run only these cases, in this order")
    ap.add_argument("--skip", action="append", default=[], choices=["torch", "earshot", "ctc-adam", "int8"],
                    help="leave out a tool, the CTC + Adam rows, or the int8 rows")
    ap.add_argument("--cell", choices=list(CELLS), default="lstm",
                    help="the recurrent cell of both stacks: lstm, gru (vs nn.GRU of the parameter-matched size) or "
                    "lstm-peepholes (vs Earshot's plain LSTM) (default lstm)")
    ap.add_argument("--baseline-bench", type=Path,
                    help="another earshot-bench (e.g. of an older commit) to run on the plain LSTM in the same rounds")
    ap.add_argument("--baseline-name", default="the baseline build",
                    help="what the block's title calls the baseline, e.g. a commit (default: the baseline build)")
    ap.add_argument("--json", type=Path, help="also write the rows, sizes and load as JSON here "
                    "(Scripts/bench/cells_speed.py reads them)")
    ap.add_argument("--write", action="store_true",
                    help="update this cell's block of BENCHMARKS.md (lstm: the lstm block)")
    args = ap.parse_args()
    if args.baseline_bench and args.cell != "lstm":
        ap.error("--baseline-bench compares builds on the plain LSTM: leave out --cell")
    recurrent, _, hidden, cell_name = CELLS[args.cell]
    prefix = "Earshot peepholes" if recurrent is None else "Earshot"
    peer_name = "PyTorch" if recurrent is not None else "Earshot LSTM"

    load_before = os.getloadavg()[0]
    rows = []
    checksums: list[str] = []
    parameters = None  # of this cell's Earshot stack
    blas = ""
    kernel = ""
    # Cases in the order --case names them (e.g. 1-thread cases first), else all in CASES' order.
    cases = [case for wanted in args.case for case in CASES if case[0] == wanted] if args.case else CASES
    for name, mode, batch, threads, schedules in cases:
        times: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}  # CPU seconds per run (all threads), inference only
        info: dict[str, dict] = {}
        missing = ""
        for _ in range(args.rounds):
            if "torch" not in args.skip and recurrent is not None:
                print(f"{name}: PyTorch ...", file=sys.stderr)
                times.setdefault("PyTorch", []).extend(
                    time_torch(mode, batch, threads, args.repeats, cpu=cpus.setdefault("PyTorch", []),
                               cell=args.cell))
                if mode == "train" and "ctc-adam" not in args.skip:
                    times.setdefault("PyTorch + CTC + Adam", []).extend(
                        time_torch(mode, batch, threads, args.repeats, with_ctc_adam=True, cell=args.cell))
                if mode == "infer" and "int8" not in args.skip:
                    print(f"{name}: PyTorch int8 ...", file=sys.stderr)
                    times.setdefault("PyTorch int8 (dynamic)", []).extend(
                        time_torch(mode, batch, threads, args.repeats, int8=True,
                                   cpu=cpus.setdefault("PyTorch int8 (dynamic)", []), cell=args.cell))
            if "earshot" not in args.skip and recurrent is None:
                missing = earshot_round(args.earshot_bench, "Earshot LSTM", "lstm", name, mode, batch, threads,
                                        schedules, args, times, cpus, info) or missing
            if "earshot" not in args.skip:
                missing = earshot_round(args.earshot_bench, prefix, args.cell, name, mode, batch, threads,
                                        schedules, args, times, cpus, info) or missing
                blas = next((r["blas"] for r in info.values() if "blas" in r), blas)
                kernel = next((r["kernel"] for k, r in info.items() if " int8 " in k and "kernel" in r), kernel)
                if args.baseline_bench:
                    missing = earshot_round(args.baseline_bench, "Earshot baseline", "lstm", name, mode, batch,
                                            threads, schedules, args, times, cpus, info) or missing
        parameters = next((r["parameters"] for key, r in info.items()
                           if key.startswith(prefix + " ") and "parameters" in r), parameters)
        for key, result in info.items():  # the baseline's checksum against this build's, run for run
            if key.startswith("Earshot baseline") and key.replace(" baseline", "", 1) in info:
                ours = info[key.replace(" baseline", "", 1)]["checksum"]
                checksums.append(f"{name} {key.replace('Earshot baseline ', '')}: "
                                 + ("equal" if ours == result["checksum"] else f"{ours} vs {result['checksum']}"))
        for tool, values in times.items():
            # Each tool against PyTorch doing the same work (peepholes: against Earshot's plain LSTM).
            peer = peer_of(tool, args.cell)
            torch_median = statistics.median(times[peer]) if peer in times else None
            int8_peer = times.get("PyTorch int8 (dynamic)")
            torch_min = min(times[peer]) if peer in times else None
            baseline = times.get(tool.replace("Earshot", "Earshot baseline", 1)) if tool.startswith("Earshot") else None
            median = statistics.median(values)
            gflop = (info.get(tool) or next(iter(info.values())))["gflop"] if info else None
            if tool.endswith("+ CTC + Adam"):
                gflop = None  # not the same work
            rows.append({
                "case": name, "batch": batch, "threads": threads, "tool": tool, "median": median, "min": min(values),
                "runs": len(values), "gflops": gflop / median if gflop else None,
                "peak": gflop / median / (args.peak_gflops * threads) if gflop else None,
                "vs_torch": torch_median / median if torch_median and not tool.startswith("PyTorch") else None,
                "vs_torch_min": torch_min / min(values) if torch_min and not tool.startswith("PyTorch") else None,
                "vs_int8": statistics.median(int8_peer) / median if int8_peer and not tool.startswith("PyTorch")
                else None,
                "cpu": statistics.median(cpus[tool]) if cpus.get(tool) else None,
                "vs_baseline": statistics.median(baseline) / median if baseline and "baseline" not in tool else None,
            })
        if missing:
            rows.append({"case": name, "batch": batch, "threads": threads, "tool": "Earshot", "missing": missing})
    load_after = os.getloadavg()[0]

    with_baseline = args.baseline_bench is not None
    lines = [
        f"| case | batch | threads | tool | median ms | min ms | GFLOP/s | of FMA peak | {peer_name} / this "
        "| (of minima) | PyTorch int8 / this | CPU ms |" + (" baseline / this |" if with_baseline else ""),
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        + (" ---: |" if with_baseline else ""),
    ]
    for r in rows:
        if "missing" in r:
            lines.append(f"| {r['case']} | {r['batch']} | {r['threads']} | {r['tool']} | missing | — | — | — | — | "
                         f"{r['missing']} | — | — |" + (" — |" if with_baseline else ""))
            continue
        gf = f"{r['gflops']:.0f}" if r["gflops"] else "—"
        peak = f"{100 * r['peak']:.0f} %" if r["peak"] else "—"
        vs = f"{r['vs_torch']:.2f}" if r["vs_torch"] else "—"
        vs_min = f"{r['vs_torch_min']:.2f}" if r["vs_torch_min"] else "—"
        vs_int8 = f"{r['vs_int8']:.2f}" if r.get("vs_int8") else "—"
        cpu = f"{1000 * r['cpu']:.1f}" if r.get("cpu") else "—"
        vs_baseline = f" {r['vs_baseline']:.3f} |" if r.get("vs_baseline") else " — |"
        lines.append(f"| {r['case']} | {r['batch']} | {r['threads']} | {r['tool']} | {1000 * r['median']:.1f} | "
                     f"{1000 * r['min']:.1f} | {gf} | {peak} | {vs} | {vs_min} | {vs_int8} | {cpu} |"
                     + (vs_baseline if with_baseline else ""))

    cmd = " ".join(["Scripts/bench/lstm.sh", shlex.join(sys.argv[1:])]).strip()
    if args.cell == "lstm" and not with_baseline:
        begin, end, title = BEGIN, END, "## Acoustic model: 3 × BiLSTM(256) + Linear(29), 333 steps"
        model = (f"- Model: input {INPUT}, {LAYERS} bidirectional LSTM layers of {HIDDEN} per direction, Linear to "
                 f"{OUTPUTS}, log-softmax; ")
    else:
        name = "cell-lstm-baseline" if with_baseline else f"cell-{args.cell}"
        begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
        title = (f"### {cell_name}: {LAYERS} bidirectional layers of {hidden} + Linear({OUTPUTS}), {STEPS} steps"
                 + (f"; this build against {args.baseline_name}" if with_baseline else ""))
        torch_parameters = sum(p.numel() for p in Model(0.0, recurrent, hidden).parameters()) if recurrent else None
        model = (f"- Model: input {INPUT}, {LAYERS} bidirectional {cell_name} layers of {hidden} per direction, "
                 f"Linear to {OUTPUTS}, log-softmax; {parameters or '?'} parameters in Earshot"
                 + (f", {torch_parameters} in PyTorch" if torch_parameters else "") + "; ")
        if recurrent is None:
            model += "PyTorch has no peephole LSTM: the peer is Earshot's plain LSTM of the same size; "
    block = "\n".join([
        begin,
        title,
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}; 1-minute load average {load_before:.2f} before, {load_after:.2f} after "
        "(other work on the machine slows every tool alike; PyTorch and Earshot alternate in rounds)",
        model + f"{STEPS} steps, all sequences full length; train = forward + backward for a "
        "random upstream gradient on the log-probs, dropout 0.1 (no CTC, no optimizer, unless named)",
        *([f"- Checksums of this build against the baseline's: {'; '.join(checksums)}"] if checksums else []),
        f"- {args.rounds} rounds × {args.repeats} runs after a warm-up per tool and case; GFLOP/s counts the "
        f"multiply–adds of the {cell_name.split()[0]} and Linear GEMMs (2 flops each) at the median time; FMA peak "
        f"{args.peak_gflops:g} GFLOP/s per core × threads. On a shared machine the minima are the steadier "
        "comparison (load only ever adds time), hence the last column",
        f"- Versions: torch {torch.__version__} (oneDNN RNN; int8: quantized engine "
        f"{torch.backends.quantized.engine}), {blas or 'OpenBLAS: Earshot missing'}"
        + (f"; Earshot int8 kernel path {kernel}" if kernel else ""),
        f"- Reproduce: `{cmd}`",
        "",
        *lines,
        end,
    ])
    print("\n".join(lines))
    if checksums:
        print("checksums against the baseline: " + "; ".join(checksums))

    if args.json:
        args.json.write_text(json.dumps({
            "cell": args.cell, "cell_name": cell_name, "hidden": hidden, "parameters": parameters,
            "peer": peer_name, "baseline": args.baseline_name if with_baseline else None, "checksums": checksums,
            "load_before": load_before, "load_after": load_after, "rounds": args.rounds, "repeats": args.repeats,
            "date": datetime.date.today().isoformat(), "machine": machine(), "blas": blas, "torch": torch.__version__,
            "command": cmd, "rows": rows}, indent=1) + "\n")

    if args.write:
        write_block(block, begin, end)
        print(f"updated {BENCHMARKS_MD.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
