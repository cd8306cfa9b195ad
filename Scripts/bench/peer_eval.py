"""What the accuracy peers (Scripts/bench/pocketsphinx_eval.py, whisper_eval.py) share: their command line and
default manifests, running inside the peers' venv, reading NeMo manifests as 16 kHz 16-bit mono (converting with
sox), timing each clip's decoding, scoring with jiwer after Scripts/text_normalizer.py, the printed table and
the JSON's common parts. Each peer script keeps only how it loads and runs its recognizer.

Standard library only at import time (jiwer is imported when scoring): the scripts import this module before
they re-run themselves inside the peers' venv."""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Scripts" / "fixtures"))
sys.path.insert(0, str(REPO / "Scripts"))
import venv_bootstrap  # noqa: E402
import text_normalizer  # noqa: E402
import wav16  # noqa: E402

PINS = Path(__file__).resolve().with_name("peers_requirements.txt")
# The manifests of ${EARSHOT_CORPUS:-~/.cache/earshot/corpus} scored when none is named.
DEFAULT_MANIFESTS = ("asterisk_test.jsonl", "heldout_synthetic.jsonl")


def reexec_in_peers_venv(script: str) -> None:
    """Re-runs `script` inside ${EARSHOT_PEERS_VENV:-~/.cache/earshot/peers-venv}, pinned by
    peers_requirements.txt (returns when already there)."""
    venv_bootstrap.reexec_in_venv(script, requirements=PINS, venv=venv_bootstrap.peers_venv_dir())


def default_manifests() -> list:
    corpus = Path(os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus"))).expanduser()
    return [corpus / name for name in DEFAULT_MANIFESTS]


def parse_args(description: str, tool: str, add_arguments=None) -> argparse.Namespace:
    """The peers' common command line: [MANIFEST...] (default: DEFAULT_MANIFESTS of $EARSHOT_CORPUS), --json,
    --limit, --verbose, and whatever `add_arguments(parser)` adds. Exits when sox is missing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("manifests", nargs="*", type=Path,
                        help=f"NeMo manifests (default: {' and '.join(DEFAULT_MANIFESTS)} of "
                             "${EARSHOT_CORPUS:-~/.cache/earshot/corpus})")
    parser.add_argument("--json", type=Path, help="write the results (with per-clip hypotheses) here")
    parser.add_argument("--limit", type=int, default=0, help="first N clips of each manifest (0: all)")
    if add_arguments:
        add_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="print every reference and hypothesis")
    args = parser.parse_args()
    args.manifests = args.manifests or default_manifests()
    if not shutil.which("sox"):
        sys.exit(f"{tool}_eval: sox is needed to resample (apt-get install sox)")
    return args


# ------------------------------------------------------------------------------------------ audio

def read_pcm16k(path: Path, tmp: Path) -> tuple:
    """(16 kHz 16-bit mono PCM bytes, seconds spent converting)."""
    f = wav16.wav_format(path)
    if (f.rate, f.channels, f.sample_width) == (16000, 1, 2):
        return wav16.read_pcm(path)[1], 0.0
    out = tmp / (path.stem + ".16k.wav")
    t0 = time.perf_counter()
    subprocess.run(["sox", "-R", str(path), "-r", "16000", "-b", "16", "-c", "1", str(out)], check=True)
    spent = time.perf_counter() - t0
    pcm = wav16.read_pcm(out)[1]
    out.unlink()
    return pcm, spent


def dir_size(path: Path) -> int:
    """Bytes of the files under `path`: the model's size on disk."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


# ------------------------------------------------------------------------------------------ scoring

def evaluate(manifest: Path, transcribe, limit: int, verbose: bool, prepare=None,
             normalize=text_normalizer.normalize, show_raw: bool = False) -> dict:
    """Decodes the first `limit` clips (0: all) of `manifest` and scores them. Per clip: `prepare(pcm)` (not
    timed; default: the 16 kHz PCM bytes as they are), then `transcribe(prepared)` → raw text (timed), then
    `normalize(raw)`. Corpus-level `jiwer.wer` / `jiwer.cer`; S, D, I from `jiwer.process_words`."""
    import jiwer
    rows = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    refs, hyps, utterances = [], [], []
    audio_s = decode_s = convert_s = 0.0
    converted = 0
    with tempfile.TemporaryDirectory(prefix="earshot-peer-") as tmpdir:
        for i, row in enumerate(rows):
            path = manifest.parent / row["audio_filepath"]
            pcm, spent = read_pcm16k(path, Path(tmpdir))
            if spent:
                converted += 1
                convert_s += spent
            seconds = len(pcm) / 2 / 16000
            audio = prepare(pcm) if prepare else pcm
            t0 = time.perf_counter()
            raw = transcribe(audio)
            elapsed = time.perf_counter() - t0
            audio_s += seconds
            decode_s += elapsed
            ref = row["text"]
            norm = normalize(raw)
            refs.append(ref)
            hyps.append(norm)
            utterances.append({"audio_filepath": row["audio_filepath"], "seconds": round(seconds, 4),
                               "decode_seconds": round(elapsed, 4), "ref": ref, "hyp": norm, "raw_hyp": raw})
            if verbose:
                print(f"  [{i + 1}/{len(rows)}] {row['audio_filepath']}\n    ref: {ref}\n    hyp: {norm}"
                      + (f"\n    raw: {raw}" if show_raw else ""), file=sys.stderr)
    words = jiwer.process_words(refs, hyps)
    return {
        "manifest": str(manifest),
        "clips": len(rows),
        "clips_resampled": converted,
        "audio_seconds": round(audio_s, 3),
        "wer": jiwer.wer(refs, hyps),
        "cer": jiwer.cer(refs, hyps),
        "reference_words": sum(len(r.split()) for r in refs),
        "hits": words.hits,
        "substitutions": words.substitutions,
        "deletions": words.deletions,
        "insertions": words.insertions,
        "empty_hypotheses": sum(1 for h in hyps if not h),
        "decode_seconds": round(decode_s, 3),
        "rtf": decode_s / audio_s if audio_s else None,
        "resample_seconds_excluded": round(convert_s, 3),
        "utterances": utterances,
    }


def evaluate_all(args, transcribe, **options) -> list:
    """`evaluate` on each of `args.manifests`, with `args.limit` and `args.verbose`."""
    results = []
    for manifest in args.manifests:
        print(f"decoding {manifest} …", file=sys.stderr)
        results.append(evaluate(manifest.expanduser(), transcribe, args.limit, args.verbose, **options))
    return results


# ------------------------------------------------------------------------------------------ reporting

def versions(*packages: str) -> dict:
    """Installed versions of `packages`, then Python's and sox's."""
    from importlib import metadata
    found = {name: metadata.version(name) for name in packages}
    found.update(python=platform.python_version(),
                 sox=subprocess.run(["sox", "--version"], capture_output=True, text=True).stdout.strip())
    return found


def machine() -> dict:
    return {"cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count(), "nice": os.nice(0),
            "cpu_affinity": sorted(os.sched_getaffinity(0))}


def print_table(title: str, results: list) -> None:
    """`title`, then one row a manifest: clips, audio seconds, WER, CER, S, D, I, RTF."""
    header = (f"{'manifest':<26} {'clips':>5} {'audio s':>8} {'WER %':>6} {'CER %':>6} {'S':>5} {'D':>5} "
              f"{'I':>5} {'RTF':>6}")
    print(title)
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{Path(r['manifest']).name:<26} {r['clips']:>5} {r['audio_seconds']:>8.1f} {100 * r['wer']:>6.2f} "
              f"{100 * r['cer']:>6.2f} {r['substitutions']:>5} {r['deletions']:>5} {r['insertions']:>5} "
              f"{r['rtf']:>6.3f}")


def write_json(path, out: dict) -> None:
    """Writes `out` to `path` (when given; --json), indented one space."""
    if not path:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}", file=sys.stderr)
