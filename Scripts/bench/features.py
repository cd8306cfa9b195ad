#!/usr/bin/env python3
"""Front-end benchmark: 80-bin log-mel filterbank over the same 600 s of 16 kHz speech, one thread each.

    Scripts/bench/features.sh [--repeats 7] [--write]     # builds earshot-bench first, then runs this
    python3 Scripts/bench/features.py [--repeats 7] [--seconds 600] [--write] [--keep-wav PATH]

Tools, each timed on one core over --repeats runs after one warm-up, median reported:
  kaldi-native-fbank  OnlineFbank(80 bins, dither 0): accept the whole clip, input_finished, every frame
                      fetched into one numpy array
  torchaudio          torchaudio.compliance.kaldi.fbank(num_mel_bins=80, dither=0)
  librosa             log(melspectrogram(n_fft=512, hop_length=160, win_length=400, n_mels=80, power=2))
  earshot             .build/release/earshot-bench features <wav> --repeats N (times itself; prints one
                      JSON line); reported as missing if the binary is not built or fails
Peers are timed on samples already in memory (int16 values as float32, Kaldi's scale).

Correctness: max |earshot - knf| over the whole clip, when `earshot-bench features ... --dump out.npy`
works; also max |torchaudio - knf| for scale.

--write replaces the block between <!-- features:begin --> and <!-- features:end --> in BENCHMARKS.md.
"""

import os

# One thread everywhere, before numpy/torch are imported (and inherited by the venv re-exec).
for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(REPO / "Scripts" / "fixtures"), str(REPO / "Scripts")]
import venv_bootstrap  # noqa: E402
import wav16  # noqa: E402

venv_bootstrap.reexec_in_venv(__file__)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import machine, write_block  # noqa: E402

import numpy as np  # noqa: E402

RATE = 16000
NUM_BINS = 80
BENCH_BIN = REPO / ".build" / "release" / "earshot-bench"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
BEGIN, END = "<!-- features:begin -->", "<!-- features:end -->"

# espeak-ng reads the Zen of Python (text every Python install carries) in these voices and rates; the
# concatenation is tiled to the requested length.
VOICES = [("en-us", 175), ("en-gb", 160), ("en-us+f3", 190), ("en-gb-x-rp", 150), ("en-us+m3", 200)]


# ---------------------------------------------------------------------------------------------- audio

def zen_text() -> str:
    import codecs
    import this  # noqa: F401  (prints the Zen once on import; silenced below)

    return codecs.decode(this.s, "rot13")


def read_int16(path: Path) -> np.ndarray:
    """The int16 samples of a 16-bit mono WAV at RATE (Scripts/wav16.py)."""
    rate, pcm = wav16.read_pcm(path)
    assert rate == RATE, f"{path}: {rate} Hz"
    return np.frombuffer(pcm, dtype="<i2").astype(np.int16)


def build_audio(path: Path, seconds: float) -> np.ndarray:
    """Deterministic 16 kHz mono int16 speech of exactly `seconds`, written to `path`."""
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        text = zen_text()
    # one sentence per line; espeak-ng reads the whole text with its own pauses
    text = text.replace("--", ", ")
    pieces = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (voice, wpm) in enumerate(VOICES):
            raw, out = Path(tmp) / f"raw{i}.wav", Path(tmp) / f"out{i}.wav"
            subprocess.check_call(["espeak-ng", "-v", voice, "-s", str(wpm), "-w", str(raw), text])
            subprocess.check_call(["sox", "-R", "-D", str(raw), "-r", str(RATE), "-b", "16", "-c", "1", str(out)])
            pieces.append(read_int16(out))
    speech = np.concatenate(pieces)
    n = int(round(seconds * RATE))
    samples = np.resize(speech, n).astype(np.int16)  # tiles (repeats) to exactly n samples
    wav16.write_pcm(path, RATE, samples.astype("<i2").tobytes())
    return samples


# ---------------------------------------------------------------------------------------------- tools

def knf_fbank(x: np.ndarray) -> np.ndarray:
    import kaldi_native_fbank as knf

    opts = knf.FbankOptions()
    opts.frame_opts.samp_freq = RATE
    opts.frame_opts.dither = 0.0
    opts.mel_opts.num_bins = NUM_BINS
    fbank = knf.OnlineFbank(opts)
    fbank.accept_waveform(RATE, x)
    fbank.input_finished()
    n = fbank.num_frames_ready
    return np.array([fbank.get_frame(i) for i in range(n)], dtype=np.float32)


def make_torchaudio():
    import torch
    from torchaudio.compliance import kaldi

    torch.set_num_threads(1)

    def run(x: np.ndarray) -> np.ndarray:
        with torch.inference_mode():
            return kaldi.fbank(torch.from_numpy(x).unsqueeze(0), num_mel_bins=NUM_BINS, dither=0.0,
                               sample_frequency=RATE).numpy()
    return run


def librosa_logmel(x: np.ndarray) -> np.ndarray:
    import librosa

    mel = librosa.feature.melspectrogram(y=x, sr=RATE, n_fft=512, hop_length=160, win_length=400,
                                         n_mels=NUM_BINS, power=2.0)
    return np.log(np.maximum(mel, 1e-10)).T


def compare(a: np.ndarray, ref: np.ndarray) -> str:
    """max |a - ref|, its 99.9th percentile, the max within 10 nats of each frame's peak, and the linear
    difference relative to the frame's peak (see Tests/EarshotFeaturesTests/Fixtures/README.md)."""
    r = ref.astype(np.float64)
    d = np.abs(a.astype(np.float64) - r)
    near = d[r >= r.max(axis=1, keepdims=True) - 10.0].max()
    er = np.exp(r)
    lin = (np.abs(np.exp(a.astype(np.float64)) - er) / er.max(axis=1, keepdims=True)).max()
    return (f"max {d.max():.2e}, p99.9 {np.percentile(d, 99.9):.1e}, within 10 nats of the frame peak "
            f"{near:.1e}, linear relative to the frame peak {lin:.1e} (over {r.shape[0]} × {r.shape[1]})")


def time_tool(fn, x: np.ndarray, repeats: int) -> tuple[list[float], np.ndarray]:
    out = fn(x)  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn(x)
        times.append(time.perf_counter() - t0)
    return times, out


def run_earshot(wav: Path, repeats: int, dump: Path,
                bench_bin: Path) -> tuple[dict | None, str, np.ndarray | None, str]:
    """Run earshot-bench; return (json or None, why missing, dumped features or None, dump note)."""
    if not bench_bin.exists():
        return None, f"{bench_bin} not built", None, "not run"
    cmd = [str(bench_bin), "features", str(wav), "--repeats", str(repeats)]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        return None, f"`earshot-bench features` failed (exit {p.returncode}): {p.stderr.strip()[:300]}", None, "not run"
    try:
        result = json.loads(p.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return None, f"earshot-bench printed no JSON line: {p.stdout.strip()[:300]!r}", None, "not run"
    # correctness: --dump may not exist yet
    p2 = subprocess.run([str(bench_bin), "features", str(wav), "--repeats", "1", "--dump", str(dump)],
                        capture_output=True, text=True)
    if p2.returncode != 0 or not dump.exists():
        return result, "", None, f"`earshot-bench features --dump` unavailable (exit {p2.returncode}): skipped"
    return result, "", np.load(dump), ""


# ---------------------------------------------------------------------------------------------- report

def versions() -> dict:
    from importlib import metadata

    import torch

    v = {"python": sys.version.split()[0], "numpy": np.__version__}
    for pkg in ("kaldi-native-fbank", "torchaudio", "librosa", "scipy"):
        v[pkg] = metadata.version(pkg)
    v["torch"] = torch.__version__
    for tool, cmd in (("swift", ["swift", "--version"]), ("espeak-ng", ["espeak-ng", "--version"])):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True)
            v[tool] = (out.stdout or out.stderr).strip().splitlines()[0].split("  Data at")[0]
        except (OSError, IndexError):
            v[tool] = "not installed"
    return v


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=7, help="timed runs per tool after one warm-up (default 7)")
    ap.add_argument("--seconds", type=float, default=600.0, help="audio length (default 600)")
    ap.add_argument("--write", action="store_true", help="update the features block of BENCHMARKS.md")
    ap.add_argument("--earshot-bench", type=Path, default=BENCH_BIN,
                    help="the earshot-bench executable (default: .build/release/earshot-bench)")
    ap.add_argument("--keep-wav", type=Path, help="also copy the benchmark WAV here")
    ap.add_argument("--skip", action="append", default=[], choices=["knf", "torchaudio", "librosa", "earshot"],
                    help="leave a tool out (repeatable)")
    args = ap.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="earshot-bench-") as tmp:
        wav = Path(tmp) / "bench_16k.wav"
        print(f"building {args.seconds:g} s of espeak-ng speech ...", file=sys.stderr)
        samples = build_audio(wav, args.seconds)
        if args.keep_wav:
            args.keep_wav.write_bytes(wav.read_bytes())
        x = samples.astype(np.float32)  # Kaldi's scale, -32768 .. 32767
        audio_seconds = len(samples) / RATE

        rows, outputs = [], {}
        torchaudio_fbank = make_torchaudio() if "torchaudio" not in args.skip else None
        peers = [("kaldi-native-fbank", "knf", knf_fbank),
                 ("torchaudio.compliance.kaldi", "torchaudio", torchaudio_fbank),
                 ("librosa", "librosa", librosa_logmel)]
        for label, key, fn in peers:
            if key in args.skip:
                continue
            print(f"timing {label} ...", file=sys.stderr)
            times, out = time_tool(fn, x, args.repeats)
            outputs[key] = out
            rows.append({"tool": label, "key": key, "median": statistics.median(times), "times": times,
                         "shape": out.shape})

        ours, why_missing, ours_feats, dump_note = (None, "skipped", None, "skipped")
        if "earshot" not in args.skip:
            print("timing earshot-bench ...", file=sys.stderr)
            ours, why_missing, ours_feats, dump_note = run_earshot(wav, args.repeats, Path(tmp) / "ours.npy",
                                                                   args.earshot_bench)
        if ours is not None:
            rows.append({"tool": "Earshot (earshot-bench)", "key": "earshot", "median": float(ours["median_seconds"]),
                         "times": ours.get("times", []), "shape": (ours.get("frames"), ours.get("bins")),
                         "blas_core": ours.get("blas_core")})

    checks = []
    if "knf" in outputs and "torchaudio" in outputs:
        k, t = outputs["knf"], outputs["torchaudio"]
        if k.shape == t.shape:
            checks.append(f"|torchaudio − knf|: {compare(t, k)}")
    if ours_feats is not None and "knf" in outputs:
        k = outputs["knf"]
        if ours_feats.shape == k.shape:
            checks.append(f"|Earshot − knf|: {compare(ours_feats, k)}")
        else:
            checks.append(f"Earshot dump shape {ours_feats.shape} ≠ knf {k.shape}: not compared")
    elif ours is not None:
        checks.append(f"|Earshot − knf|: {dump_note}")
    else:
        checks.append(f"|Earshot − knf|: not measured, Earshot missing ({why_missing})")

    load_after = os.getloadavg()[0]
    ours_median = ours["median_seconds"] if ours is not None else None
    lines = [
        "| tool | median s | min–max s | × real time | peer / Earshot | frames × bins |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        ratio = "—" if ours_median is None or r["key"] == "earshot" else f"{r['median'] / ours_median:.2f}"
        if r["key"] == "earshot":
            ratio = "1.00"
        spread = f"{min(r['times']):.3f}–{max(r['times']):.3f}" if r["times"] else "—"
        lines.append(f"| {r['tool']} | {r['median']:.3f} | {spread} | {audio_seconds / r['median']:.0f}× | {ratio} | "
                     f"{r['shape'][0]} × {r['shape'][1]} |")
    if ours is None:
        lines.append(f"| Earshot (earshot-bench) | missing | — | — | — | {why_missing} |")

    v = versions()
    cmd = " ".join(["Scripts/bench/features.sh", shlex.join(sys.argv[1:])]).strip()
    blas = next((r.get("blas_core") for r in rows if r.get("blas_core")), None)
    block = "\n".join([
        BEGIN,
        "## Front end: 80-bin log-mel filterbank",
        "",
        f"- Date: {datetime.date.today().isoformat()}",
        f"- Machine: {machine()}; every tool on one thread (`torch.set_num_threads(1)`, "
        "`OMP_NUM_THREADS=MKL_NUM_THREADS=OPENBLAS_NUM_THREADS=1`); 1-minute load average "
        f"{load_before:.2f} before, {load_after:.2f} after (other work on the machine slows every tool alike)",
        f"- Audio: {audio_seconds:g} s of 16 kHz mono int16 speech (espeak-ng reading the Zen of Python in "
        f"{len(VOICES)} voices, sox-resampled, tiled), samples already in memory as float32",
        f"- Median of {args.repeats} runs after one warm-up; Earshot times itself inside `earshot-bench` "
        f"(`earshot-bench features <wav> --repeats {args.repeats}`, its `median_seconds`"
        + (f", {ours['threads']} thread(s)" if ours is not None and "threads" in ours else "")
        + (f", BLAS core {blas}" if blas else "") + ")",
        "- Settings: Kaldi defaults (povey window, 25 ms / 10 ms, pre-emphasis 0.97, DC removal, 20 Hz–Nyquist, "
        "snip_edges) with 80 bins and dither 0; librosa: `melspectrogram(n_fft=512, hop_length=160, "
        "win_length=400, n_mels=80, power=2)` then `log` (not Kaldi-compatible; speed only)",
        "- Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()),
        f"- Reproduce: `{cmd}`",
        "",
        *lines,
        "",
        "Correctness on the same audio:",
        "",
        *[f"- {c}" for c in checks],
        END,
    ])
    print("\n".join(lines))
    for c in checks:
        print(c)

    if args.write:
        write_block(block, BEGIN, END)
        print(f"updated {BENCHMARKS_MD.relative_to(REPO)}", file=sys.stderr)


if __name__ == "__main__":
    main()
