#!/usr/bin/env python3
"""The summary of BENCHMARKS.md's "Recurrent cells: speed" from the JSON of three Scripts/bench/lstm.py runs.

    python3 Scripts/bench/cells_speed.py --skeleton                    # the section's empty blocks, if missing
    python3 Scripts/bench/cells_speed.py LSTM.json GRU.json PEEPHOLES.json --command CMD [--write]

Scripts/bench/cells_speed.sh runs lstm.py three times (--json, --write) and then this. The LSTM run is the one with
--baseline-bench (plain LSTM against PyTorch and against an older build), the GRU run --cell gru (against PyTorch's
nn.GRU), the peephole run --cell lstm-peepholes (against Earshot's plain LSTM: PyTorch has no peephole LSTM).

One row per case and Earshot row kind: the first schedule lstm.py runs for the case at float32 (concurrent for 2
threads, sequential for 1), its int8 row (inference) and the whole training step with CTC + Adam (train). Each
"A / B" column is the median time of A over the median of B over all rounds × repeats, so > 1 means B is faster;
for inference rows the same ratio of median CPU time (all threads) follows in brackets, which load inflates less.
--skeleton appends the section with its four empty marked blocks when it is not there yet, so that the detail blocks
lstm.py writes land under the summary rather than at the end of the file.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import BENCHMARKS_MD, write_block  # noqa: E402

BEGIN, END = "<!-- cells-speed:begin -->", "<!-- cells-speed:end -->"
DETAILS = ["cell-lstm-baseline", "cell-gru", "cell-lstm-peepholes"]


def skeleton() -> None:
    text = BENCHMARKS_MD.read_text()
    if BEGIN in text:
        return
    blocks = [f"{BEGIN}\n## Recurrent cells: speed\n{END}"] + [f"<!-- {d}:begin -->\n<!-- {d}:end -->" for d in DETAILS]
    BENCHMARKS_MD.write_text(text.rstrip("\n") + "\n\n" + "\n\n".join(blocks) + "\n")


def index(run: dict) -> dict:
    """(case, tool) → row of one lstm.py run."""
    return {(r["case"], r["tool"]): r for r in run["rows"] if "missing" not in r}


def ratio(peer: dict | None, this: dict | None) -> str:
    """Median time of `peer` over `this`, and of their median CPU time in brackets when both have it."""
    if not peer or not this:
        return "—"
    text = f"{peer['median'] / this['median']:.2f}"
    if peer.get("cpu") and this.get("cpu"):
        text += f" ({peer['cpu'] / this['cpu']:.2f})"
    return text


def milliseconds(row: dict | None) -> str:
    return f"{1000 * row['median']:.1f}" if row else "—"


def summary(lstm: dict, gru: dict, peepholes: dict, command: str) -> str:
    rows_lstm, rows_gru, rows_peep = index(lstm), index(gru), index(peepholes)
    cases = list(dict.fromkeys((r["case"], r["batch"], r["threads"]) for r in lstm["rows"]))
    lines = [
        f"| case | batch | threads | Earshot | LSTM ms | PyTorch / LSTM | {lstm['baseline']} / LSTM now | GRU ms "
        "| PyTorch GRU / GRU | peepholes ms | LSTM / peepholes |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case, batch, threads in cases:
        # The Earshot rows of this case in the LSTM run, in its order: schedules, int8, CTC + Adam.
        kinds = [t.removeprefix("Earshot ") for (c, t) in rows_lstm if c == case and t.startswith("Earshot ")
                 and not t.startswith("Earshot baseline")]
        first_f32 = next((k for k in kinds if k.startswith("(")), None)
        for kind in [k for k in kinds if k == first_f32 or not k.startswith("(")]:
            torch_peer = "PyTorch + CTC + Adam" if kind.endswith("+ CTC + Adam") else (
                "PyTorch int8 (dynamic)" if kind.startswith("int8") else "PyTorch")
            this = rows_lstm.get((case, f"Earshot {kind}"))
            g = rows_gru.get((case, f"Earshot {kind}"))
            p = rows_peep.get((case, f"Earshot peepholes {kind}"))
            lines.append(
                f"| {case} | {batch} | {threads} | {kind.replace('(', '').replace(')', '')} | {milliseconds(this)} | "
                f"{ratio(rows_lstm.get((case, torch_peer)), this)} | "
                f"{ratio(rows_lstm.get((case, f'Earshot baseline {kind}')), this)} | {milliseconds(g)} | "
                f"{ratio(rows_gru.get((case, torch_peer)), g)} | {milliseconds(p)} | "
                f"{ratio(rows_peep.get((case, f'Earshot LSTM {kind}')), p)} |")

    def load(run: dict) -> str:
        return f"{run['load_before']:.2f} → {run['load_after']:.2f}"
    return "\n".join([
        BEGIN,
        "## Recurrent cells: speed",
        "",
        "Training and inference time of the three recurrent cells (issue 16), each against its peer in the same "
        "alternating rounds (Scripts/bench/lstm.py; the blocks below hold every row, GFLOP/s and minima):",
        "",
        f"- Date: {lstm['date']}; machine: {lstm['machine']}; {lstm['blas']}; torch {lstm['torch']}",
        f"- 1-minute load average before → after each run: LSTM {load(lstm)}, GRU {load(gru)}, peepholes "
        f"{load(peepholes)}",
        f"- Shapes: input 240, 3 bidirectional layers, Linear to 29, log-softmax, 333 steps, all sequences full "
        f"length. LSTM: {lstm['hidden']} units per direction, {lstm['parameters']} parameters (the shipped model's "
        f"size); GRU: {gru['hidden']} per direction, {gru['parameters']} parameters (the hidden size whose count "
        f"is nearest the LSTM's); LSTM with peepholes: {peepholes['hidden']} per direction, "
        f"{peepholes['parameters']} parameters. PyTorch has no peephole LSTM, so the peephole stack's peer is "
        "Earshot's plain LSTM",
        f"- Cases: train = forward + backward for a random upstream gradient, dropout 0.1, or the whole step with "
        f"CTC (100 labels) and Adam; infer = forward only, float32 or int8 weights (PyTorch: dynamic quantization). "
        f"{lstm['rounds']} rounds × {lstm['repeats']} runs per tool and case after a warm-up",
        f"- {lstm['baseline']}: the same earshot-bench built from that commit, run on the plain LSTM in the same "
        f"rounds; checksums (sum of the last run's log-probs) against it: {'; '.join(lstm['checksums']) or '—'}",
        "- Each ratio: median time of the named peer over this cell's, > 1 = this cell's Earshot row is faster; "
        "in brackets the same for median CPU time (inference). int8 rows against PyTorch's dynamic int8, "
        "+ CTC + Adam against PyTorch's step with both",
        f"- Reproduce: `{command}`",
        "",
        *lines,
        END,
    ])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="*", type=Path, help="lstm.py --json files: LSTM (with baseline), GRU, peepholes")
    ap.add_argument("--command", default="Scripts/bench/cells_speed.sh", help="the command the block names")
    ap.add_argument("--skeleton", action="store_true", help="append the section's empty blocks if missing")
    ap.add_argument("--write", action="store_true", help="replace the summary block in BENCHMARKS.md")
    args = ap.parse_args()
    if args.skeleton:
        skeleton()
        return
    if len(args.runs) != 3:
        ap.error("needs three lstm.py --json files: LSTM (with --baseline-bench), GRU, peepholes")
    lstm, gru, peepholes = (json.loads(path.read_text()) for path in args.runs)
    block = summary(lstm, gru, peepholes, args.command)
    print(block)
    if args.write:
        write_block(block, BEGIN, END)


if __name__ == "__main__":
    main()
