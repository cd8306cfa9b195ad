#!/usr/bin/env python3
"""CTC loss benchmark: forward + backward (losses and d loss / d logits) on the same batch, in one run.

    Scripts/bench/ctc.sh [--repeats 21] [--write]       # builds earshot-bench first, then runs this
    python3 Scripts/bench/ctc.py [--repeats 21] [--bench-bin PATH] [--write]

Batch: B=16 sequences of T=333 frames (3.3 s at 10 ms), V=29 (blank, space, 26 letters, apostrophe),
targets of 150 labels each repeating its predecessor with probability 0.1; logits uniform in [−2, 2).
The batch is drawn from a 64-bit LCG (seed 42, 24 bits per draw, in float32 arithmetic) that an
earshot-bench can reproduce exactly (`BenchLCG`), so both sides can time identical inputs.

  torch    torch.nn.functional.ctc_loss(log_softmax(logits), …, reduction='sum', zero_infinity=False)
           then .backward() to the logits (autograd through log_softmax); torch.set_num_threads(1);
           float32 (its CPU kernel), timed with time.perf_counter
  earshot  `earshot-bench ctc --threads N --repeats R` for N = 1 and 2 (times itself; prints one JSON
           line with median_seconds): CTCLoss.compute with a gradient buffer. If that line also has
           loss_sum (an earshot-bench that draws the batch from the shared LCG below), the summed
           losses are compared with torch's float64 value; otherwise only the times are comparable.

Median of --repeats runs after one warm-up each. --write replaces the block between
<!-- ctc:begin --> and <!-- ctc:end --> in BENCHMARKS.md (appends it if missing).
"""

import os

# One thread everywhere, before numpy/torch are imported (and inherited by the venv re-exec).
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import argparse  # noqa: E402
import datetime  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

venv_bootstrap.reexec_in_venv(__file__)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine, run_earshot_bench, write_block  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

B, T, V, LABELS, REPEAT = 16, 333, 29, 150, np.float32(0.1)
BENCH_BIN = REPO / ".build" / "release" / "earshot-bench"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- ctc:begin -->", "<!-- ctc:end -->"


class LCG:
    """The generator of `earshot-bench ctc` (BenchLCG): Knuth's MMIX LCG, top 24 bits as a float32."""

    def __init__(self, seed: int):
        self.state = seed

    def next(self) -> np.float32:
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFF_FFFF_FFFF_FFFF
        return np.float32(self.state >> 40) / np.float32(1 << 24)


def make_batch():
    """Logits (T, B, V) float32 and B targets, drawn exactly as earshot-bench draws them."""
    rng = LCG(42)
    logits = np.array([np.float32(4) * rng.next() - np.float32(2) for _ in range(T * B * V)], dtype=np.float32)
    targets = []
    for _ in range(B):
        target = []
        for i in range(LABELS):
            if i > 0 and rng.next() < REPEAT:
                target.append(target[-1])
            else:
                target.append(1 + int(rng.next() * np.float32(V - 1)))
        targets.append(target)
    return logits.reshape(T, B, V), targets


def time_torch(logits: np.ndarray, targets: list, repeats: int):
    torch.set_num_threads(1)
    x = torch.from_numpy(logits)
    flat = torch.tensor([label for target in targets for label in target], dtype=torch.long)
    input_lengths = torch.full((B,), T, dtype=torch.long)
    target_lengths = torch.tensor([len(t) for t in targets], dtype=torch.long)

    def step():
        leaf = x.detach().requires_grad_(True)
        loss = torch.nn.functional.ctc_loss(
            torch.log_softmax(leaf, dim=2), flat, input_lengths, target_lengths,
            blank=0, reduction="sum", zero_infinity=False)
        loss.backward()
        return float(loss.detach()), leaf.grad

    step()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        loss, grad = step()
        times.append(time.perf_counter() - t0)
    # Reference for the correctness line: the same in float64.
    leaf = x.double().requires_grad_(True)
    loss64 = torch.nn.functional.ctc_loss(
        torch.log_softmax(leaf, dim=2), flat, input_lengths, target_lengths, blank=0, reduction="sum")
    loss64.backward()
    return times, loss, float(grad.abs().sum()), float(loss64), float(leaf.grad.abs().sum())


def run_earshot(bench_bin: Path, threads: int, repeats: int):
    """earshot-bench's JSON line, or (None, why)."""
    if not bench_bin.exists():
        return None, f"{bench_bin} not built"
    cmd = [str(bench_bin), "ctc", "--threads", str(threads), "--repeats", str(repeats)]
    return run_earshot_bench(cmd)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=21, help="timed runs per tool after one warm-up (default 21)")
    ap.add_argument("--bench-bin", type=Path, default=BENCH_BIN, help=f"earshot-bench binary (default {BENCH_BIN})")
    ap.add_argument("--write", action="store_true", help="update the ctc block of BENCHMARKS.md")
    args = ap.parse_args()

    logits, targets = make_batch()
    load_before = os.getloadavg()[0]
    torch_times, torch_loss, torch_grad_sum, loss64, grad64_sum = time_torch(logits, targets, args.repeats)
    torch_median = statistics.median(torch_times)
    rows = [("torch ctc_loss (float32), 1 thread", torch_median, min(torch_times), max(torch_times))]
    checks = [f"- torch float32: loss sum {torch_loss:.6f} (float64: {loss64:.6f}, relative "
              f"{abs(torch_loss - loss64) / loss64:.1e}); Σ|gradient| {torch_grad_sum:.6f} "
              f"(float64: {grad64_sum:.6f})"]
    missing = []
    for threads in (1, 2):
        result, why = run_earshot(args.bench_bin, threads, args.repeats)
        if result is None:
            missing.append(why)
            continue
        times = result.get("times", [result["median_seconds"]])
        rows.append((f"Earshot CTCLoss, {threads} thread{'s' if threads > 1 else ''}",
                     result["median_seconds"], min(times), max(times)))
        if "loss_sum" in result:
            checks.append(f"- Earshot, {threads} thread(s): loss sum {result['loss_sum']:.6f} (relative to torch "
                          f"float64 {abs(result['loss_sum'] - loss64) / loss64:.1e}); Σ|gradient| "
                          f"{result.get('gradient_abs_sum', float('nan')):.6f}")
        else:
            checks.append(f"- Earshot, {threads} thread(s): this earshot-bench draws its own batch of the same "
                          "shape and reports no loss_sum, so only the time is comparable (correctness: "
                          "CTCReferenceTests)")
    load_after = os.getloadavg()[0]

    lines = [
        BEGIN,
        "## CTC loss: forward + backward",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}; torch on one thread (`torch.set_num_threads(1)`, "
        f"`OMP_NUM_THREADS=MKL_NUM_THREADS=OPENBLAS_NUM_THREADS=1`); 1-minute load average {load_before:.2f} before, "
        f"{load_after:.2f} after",
        f"- Batch: B={B}, T={T}, V={V}, targets of {LABELS} labels (10% repeats), logits uniform in [−2, 2), "
        "identical on both sides (shared LCG); losses and the gradient w.r.t. the logits (through log-softmax)",
        f"- Median of {args.repeats} runs after one warm-up; Earshot times itself inside `earshot-bench ctc`",
        f"- Versions: torch {torch.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}",
        "- Reproduce: `Scripts/bench/ctc.sh --write`",
        "",
        "| implementation | median ms | min–max ms | torch / this |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, med, lo, hi in rows:
        lines.append(f"| {name} | {med * 1e3:.1f} | {lo * 1e3:.1f}–{hi * 1e3:.1f} | {torch_median / med:.2f} |")
    lines += ["", "Same inputs, same results:", ""] + checks
    lines += [f"- Earshot not measured: {why}" for why in missing]
    lines.append(END)
    block = "\n".join(lines)
    print(block)

    if args.write:
        write_block(block, BEGIN, END)
        print(f"updated {BENCHMARKS_MD.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
