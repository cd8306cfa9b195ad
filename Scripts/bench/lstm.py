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

--write replaces the block between <!-- lstm:begin --> and <!-- lstm:end --> in BENCHMARKS.md.
"""

import argparse
import datetime
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
from bench_common import machine, run_earshot_bench, write_block  # noqa: E402

import torch  # noqa: E402

BENCH_BIN = REPO / ".build" / "release" / "earshot-bench"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- lstm:begin -->", "<!-- lstm:end -->"

INPUT, HIDDEN, LAYERS, OUTPUTS, STEPS = 240, 256, 3, 29, 333
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
    def __init__(self, dropout: float):
        super().__init__()
        self.lstm = torch.nn.LSTM(INPUT, HIDDEN, num_layers=LAYERS, bidirectional=True, dropout=dropout)
        self.output = torch.nn.Linear(2 * HIDDEN, OUTPUTS)

    def forward(self, x):
        h, _ = self.lstm(x)
        return torch.log_softmax(self.output(h), dim=-1)


def torch_timer(mode: str, batch: int, threads: int, with_ctc_adam: bool = False, int8: bool = False):
    """A function that runs one timed iteration and returns its seconds."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Model(dropout=0.1 if mode == "train" else 0.0)
    x = torch.rand(STEPS, batch, INPUT) * 2 - 1
    if mode == "infer":
        model.eval()
        if int8:
            model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.LSTM, torch.nn.Linear}, dtype=torch.qint8)

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
               int8: bool = False, cpu: list | None = None) -> list[float]:
    """Wall seconds of `repeats` runs after two warm-ups; inference also adds their CPU seconds (all threads)
    to `cpu`."""
    run = torch_timer(mode, batch, threads, with_ctc_adam, int8)
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


def run_earshot(bench_bin: Path, mode: str, batch: int, threads: int, schedule: str,
                repeats: int, precision: str = "f32") -> tuple[dict | None, str]:
    if not bench_bin.exists():
        return None, f"{bench_bin} not built"
    cmd = [str(bench_bin), "lstm", mode, "--batch", str(batch), "--steps", str(STEPS), "--threads", str(threads),
           "--schedule", schedule, "--repeats", str(repeats), "--precision", precision]
    env = dict(os.environ)
    if not env.get("OPENBLAS_CORETYPE") and core_type_for_cpu():
        env["OPENBLAS_CORETYPE"] = core_type_for_cpu()
    return run_earshot_bench(cmd, env=env)


# ---------------------------------------------------------------------------------------------- report

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per tool per round after a warm-up (default 5)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating PyTorch/Earshot rounds per case (default 2)")
    ap.add_argument("--earshot-bench", type=Path, default=BENCH_BIN,
                    help="the earshot-bench executable (default: .build/release/earshot-bench)")
    ap.add_argument("--peak-gflops", type=float, default=170.0, help="FMA peak per core, GFLOP/s (default 170)")
    ap.add_argument("--case", action="append", choices=[c[0] for c in CASES], help="run only these cases")
    ap.add_argument("--skip", action="append", default=[], choices=["torch", "earshot", "ctc-adam", "int8"],
                    help="leave out a tool, the CTC + Adam rows, or the int8 rows")
    ap.add_argument("--write", action="store_true", help="update the lstm block of BENCHMARKS.md")
    args = ap.parse_args()

    load_before = os.getloadavg()[0]
    rows = []
    blas = ""
    kernel = ""
    for name, mode, batch, threads, schedules in CASES:
        if args.case and name not in args.case:
            continue
        times: dict[str, list[float]] = {}
        cpus: dict[str, list[float]] = {}  # CPU seconds per run (all threads), inference only
        info: dict[str, dict] = {}
        missing = ""
        for _ in range(args.rounds):
            if "torch" not in args.skip:
                print(f"{name}: PyTorch ...", file=sys.stderr)
                times.setdefault("PyTorch", []).extend(
                    time_torch(mode, batch, threads, args.repeats, cpu=cpus.setdefault("PyTorch", [])))
                if mode == "train" and "ctc-adam" not in args.skip:
                    times.setdefault("PyTorch + CTC + Adam", []).extend(
                        time_torch(mode, batch, threads, args.repeats, with_ctc_adam=True))
                if mode == "infer" and "int8" not in args.skip:
                    print(f"{name}: PyTorch int8 ...", file=sys.stderr)
                    times.setdefault("PyTorch int8 (dynamic)", []).extend(
                        time_torch(mode, batch, threads, args.repeats, int8=True,
                                   cpu=cpus.setdefault("PyTorch int8 (dynamic)", [])))
            if "earshot" not in args.skip:
                for schedule in schedules:
                    print(f"{name}: Earshot ({schedule}) ...", file=sys.stderr)
                    result, why = run_earshot(args.earshot_bench, mode, batch, threads, schedule, args.repeats)
                    if result is None:
                        missing = why
                        continue
                    key = f"Earshot ({schedule})"
                    times.setdefault(key, []).extend(result["times"])
                    if mode == "infer":
                        cpus.setdefault(key, []).extend(result["cpu_seconds"])
                    info[key] = result
                    blas = result.get("blas", blas)
                if mode == "infer" and "int8" not in args.skip:
                    schedule = schedules[0]
                    print(f"{name}: Earshot int8 ({schedule}) ...", file=sys.stderr)
                    result, why = run_earshot(args.earshot_bench, mode, batch, threads, schedule, args.repeats,
                                              precision="int8")
                    if result is None:
                        missing = why
                    else:
                        key = f"Earshot int8 ({schedule})"
                        times.setdefault(key, []).extend(result["times"])
                        cpus.setdefault(key, []).extend(result["cpu_seconds"])
                        info[key] = result
                        kernel = result.get("kernel", kernel)
                if mode == "train" and "ctc-adam" not in args.skip:
                    # The whole training step, as PyTorch + CTC + Adam: forward, CTC loss and gradient
                    # (100 labels per sequence), backward, clipping, Adam.
                    print(f"{name}: Earshot + CTC + Adam ...", file=sys.stderr)
                    cmd = [str(args.earshot_bench), "train-step", "--batch", str(batch), "--steps", str(STEPS),
                           "--threads", str(threads), "--repeats", str(args.repeats), "--target-length", "100"]
                    env = dict(os.environ)
                    if not env.get("OPENBLAS_CORETYPE") and core_type_for_cpu():
                        env["OPENBLAS_CORETYPE"] = core_type_for_cpu()
                    result, why = run_earshot_bench(cmd, env=env)
                    if result is None:
                        missing = why
                    else:
                        times.setdefault("Earshot + CTC + Adam", []).extend(result["times"])
        for tool, values in times.items():
            # Each tool against PyTorch doing the same work.
            peer = "PyTorch + CTC + Adam" if tool.endswith("+ CTC + Adam") else "PyTorch"
            torch_median = statistics.median(times[peer]) if peer in times else None
            int8_peer = times.get("PyTorch int8 (dynamic)")
            torch_min = min(times[peer]) if peer in times else None
            median = statistics.median(values)
            gflop = next(iter(info.values()))["gflop"] if info else None
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
            })
        if missing:
            rows.append({"case": name, "batch": batch, "threads": threads, "tool": "Earshot", "missing": missing})
    load_after = os.getloadavg()[0]

    lines = [
        "| case | batch | threads | tool | median ms | min ms | GFLOP/s | of FMA peak | PyTorch / this | (of minima) "
        "| PyTorch int8 / this | CPU ms |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        if "missing" in r:
            lines.append(f"| {r['case']} | {r['batch']} | {r['threads']} | {r['tool']} | missing | — | — | — | — | "
                         f"{r['missing']} | — | — |")
            continue
        gf = f"{r['gflops']:.0f}" if r["gflops"] else "—"
        peak = f"{100 * r['peak']:.0f} %" if r["peak"] else "—"
        vs = f"{r['vs_torch']:.2f}" if r["vs_torch"] else "—"
        vs_min = f"{r['vs_torch_min']:.2f}" if r["vs_torch_min"] else "—"
        vs_int8 = f"{r['vs_int8']:.2f}" if r.get("vs_int8") else "—"
        cpu = f"{1000 * r['cpu']:.1f}" if r.get("cpu") else "—"
        lines.append(f"| {r['case']} | {r['batch']} | {r['threads']} | {r['tool']} | {1000 * r['median']:.1f} | "
                     f"{1000 * r['min']:.1f} | {gf} | {peak} | {vs} | {vs_min} | {vs_int8} | {cpu} |")

    cmd = " ".join(["Scripts/bench/lstm.sh", shlex.join(sys.argv[1:])]).strip()
    block = "\n".join([
        BEGIN,
        "## Acoustic model: 3 × BiLSTM(256) + Linear(29), 333 steps",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}; 1-minute load average {load_before:.2f} before, {load_after:.2f} after "
        "(other work on the machine slows every tool alike; PyTorch and Earshot alternate in rounds)",
        f"- Model: input {INPUT}, {LAYERS} bidirectional LSTM layers of {HIDDEN} per direction, Linear to "
        f"{OUTPUTS}, log-softmax; {STEPS} steps, all sequences full length; train = forward + backward for a "
        "random upstream gradient on the log-probs, dropout 0.1 (no CTC, no optimizer, unless named)",
        f"- {args.rounds} rounds × {args.repeats} runs after a warm-up per tool and case; GFLOP/s counts the "
        f"multiply–adds of the LSTM and Linear GEMMs (2 flops each) at the median time; FMA peak "
        f"{args.peak_gflops:g} GFLOP/s per core × threads. On a shared machine the minima are the steadier "
        "comparison (load only ever adds time), hence the last column",
        f"- Versions: torch {torch.__version__} (oneDNN RNN; int8: quantized engine "
        f"{torch.backends.quantized.engine}), {blas or 'OpenBLAS: Earshot missing'}"
        + (f"; Earshot int8 kernel path {kernel}" if kernel else ""),
        f"- Reproduce: `{cmd}`",
        "",
        *lines,
        END,
    ])
    print("\n".join(lines))

    if args.write:
        write_block(block, BEGIN, END)
        print(f"updated {BENCHMARKS_MD.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
