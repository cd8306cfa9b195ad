"""The real speech: the Asterisk prompts of the project's fixed split (asterisk_train.tsv, asterisk_test.tsv),
fetched from the Debian packages. The train rows are split again into train and valid clips (seeded); each
kept clip is stored as shipped (8 kHz) and as a 16 kHz copy; the test rows only as shipped, for evaluation.
"""

import csv
import gzip
import json
import os
import random
import shutil
import subprocess
import tempfile
from collections import namedtuple

from clips import ctc_fits
from commands import run, sox
from digests import sha256_file
from wav16 import wav_duration

ASTERISK_DIR = "usr/share/asterisk/sounds/en_US_f_Allison/"
ASTERISK_TEXT = "usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz"
ASTERISK_PACKAGES = ["asterisk-core-sounds-en-wav", "asterisk-core-sounds-en"]
ASTERISK_VERSION = "1.6.1-1"    # the version the project's split was made from (Debian 12)

# The stage's result: the rows of asterisk_test.tsv; the train, valid and test rows whose clips the corpus has;
# the package paths of the train/valid rows left out; what is known of the packages.
AsteriskSplit = namedtuple("AsteriskSplit", "test_rows train valid test left_out packages")


def asterisk_split(out, data_dir, seed, valid_fraction, sizes, log):
    """The stage: reads the fixed split and checks it shares no file; draws the valid clips from the train rows;
    fetches the packages' clips; leaves out the rows whose transcript cannot fit their audio; makes the 16 kHz
    copies. `sizes`: a small build takes the first few rows of each (sizes.n_real_train, n_real_valid, n_test)."""
    train_rows = read_tsv(os.path.join(data_dir, "asterisk_train.tsv"))
    test_rows = read_tsv(os.path.join(data_dir, "asterisk_test.tsv"))
    if {r["package_path"] for r in test_rows} & {r["package_path"] for r in train_rows}:
        raise SystemExit("HELD-OUT CHECK FAILED: asterisk_train.tsv and asterisk_test.tsv share files")
    real_train, real_valid = train_and_valid_rows(train_rows, seed, valid_fraction, sizes)
    test_sel = test_selection(test_rows, seed, sizes.n_test)
    packages = fetch_asterisk(out, needed_files(real_train, real_valid, test_rows), log)
    for name, info in sorted(packages.items()):
        if info["version"] != ASTERISK_VERSION:
            log(f"warning: {name} is version {info['version']}, the split was made from {ASTERISK_VERSION}")
    missing, differ = check_package_transcripts(out, real_train + real_valid + test_sel)
    if missing or differ:
        log(f"note: {len(missing)} rows not in the package's transcript file, {len(differ)} whose raw "
            f"transcript differs from it: {(missing + differ)[:5]}")
    left_out = leave_out_unfit_rows(out, real_train, real_valid)
    if left_out:
        log(f"left out {len(left_out)} Asterisk rows whose transcript cannot fit the audio: {left_out}")
    make_16k_copies(out, real_train, real_valid)
    return AsteriskSplit(test_rows, real_train, real_valid, test_sel, left_out, packages)


def transcripts(rows):
    """The normalised transcripts of TSV rows."""
    return {r["normalized_transcript"] for r in rows}


def train_and_valid_rows(train_rows, seed, valid_fraction, sizes):
    """(train, valid) rows: the first `valid_fraction` of the seeded shuffle of asterisk_train.tsv are the
    validation clips, the rest the training clips; a small build takes the first few of each, so that its clips
    are a subset of the full build's (same folder: reused)."""
    rng = random.Random(f"{seed}:asterisk")
    order = sorted(range(len(train_rows)), key=lambda i: train_rows[i]["package_path"])
    rng.shuffle(order)
    n_valid = max(1, round(valid_fraction * len(order)))
    valid_idx = sorted(order[:n_valid][:sizes.n_real_valid])
    train_idx = sorted(order[n_valid:][:sizes.n_real_train])
    return [train_rows[i] for i in train_idx], [train_rows[i] for i in valid_idx]


def test_selection(test_rows, seed, n_test):
    """The test rows of asterisk_test.jsonl, by package path: all, or a seeded sample of `n_test`."""
    test_sel = sorted(test_rows, key=lambda r: r["package_path"])
    if n_test is not None:
        test_sel = random.Random(f"{seed}:asterisk-test").sample(test_sel, n_test)
        test_sel.sort(key=lambda r: r["package_path"])
    return test_sel


def real_dest(split, r, rate="8k"):
    """Where a row's clip is stored under the output folder."""
    return f"asterisk/{split}/{rate}/{asterisk_name(r['package_path'])}"


def needed_files(real_train, real_valid, test_rows):
    """Package path → destination of every clip the corpus stores (all the test rows: the held-out checks
    compare every test clip)."""
    needed = {}
    for split, rows in (("train", real_train), ("valid", real_valid), ("test", test_rows)):
        for r in rows:
            needed[r["package_path"]] = real_dest(split, r)
    return needed


def leave_out_unfit_rows(out, real_train, real_valid):
    """Removes from the train and valid rows those whose transcript cannot fit their audio (the two conference
    tones labelled "<beep ascending>" and "<beep decending>", 0.37 s, not speech: the trainer would skip them);
    returns their package paths."""
    left_out = []
    for rows in (real_train, real_valid):
        for r in list(rows):
            if not ctc_fits(r["normalized_transcript"], wav_duration(os.path.join(out, real_dest(
                    "train" if rows is real_train else "valid", r)))):
                rows.remove(r)
                left_out.append(r["package_path"])
    return left_out


def make_16k_copies(out, real_train, real_valid):
    """16 kHz copies of the train and valid clips (not of the test clips: evaluation uses the originals)."""
    for split, rows in (("train", real_train), ("valid", real_valid)):
        for r in rows:
            src, dst = os.path.join(out, real_dest(split, r)), os.path.join(out, real_dest(split, r, "16k"))
            if not os.path.exists(dst):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                sox(src, "-b", "16", dst + ".part.wav", "rate", "-v", "16000")
                os.replace(dst + ".part.wav", dst)


def read_tsv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        if set(r) != {"package_path", "raw_transcript", "normalized_transcript"}:
            raise SystemExit(f"{path}: unexpected columns {sorted(r)}")
    return rows


def asterisk_name(package_path):
    if not package_path.startswith(ASTERISK_DIR):
        raise SystemExit(f"unexpected Asterisk path {package_path}")
    return package_path[len(ASTERISK_DIR):]


def fetch_asterisk(out, needed, log):
    """Copies the needed package files (package_path → destination under out) out of the Debian packages,
    fetched with apt-get download into a temporary folder. Skipped when every destination exists. Returns
    what is known of the packages (versions, SHA-256 of the .deb files)."""
    info_path = os.path.join(out, "asterisk", "packages.json")
    if all(os.path.exists(os.path.join(out, d)) for d in needed.values()) and os.path.exists(info_path):
        with open(info_path) as f:
            return json.load(f)
    tmp = tempfile.mkdtemp(prefix="earshot-asterisk-", dir=os.path.join(out, "tmp"))
    try:
        log(f"fetching {', '.join(ASTERISK_PACKAGES)} with apt-get download")
        r = subprocess.run(["apt-get", "download", *ASTERISK_PACKAGES], cwd=tmp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise SystemExit("apt-get download failed (run 'apt-get update' first?):\n"
                             + r.stderr.decode(errors="replace"))
        info = {}
        tree = os.path.join(tmp, "x")
        for name in ASTERISK_PACKAGES:
            debs = [f for f in os.listdir(tmp) if f.startswith(name + "_") and f.endswith(".deb")]
            if len(debs) != 1:
                raise SystemExit(f"expected one {name}_*.deb, found {debs}")
            deb = os.path.join(tmp, debs[0])
            version = run(["dpkg-deb", "-f", deb, "Version"]).stdout.decode().strip()
            info[name] = {"file": debs[0], "version": version, "sha256": sha256_file(deb)}
            run(["dpkg-deb", "-x", deb, tree])
        for src, dst in needed.items():
            d = os.path.join(out, dst)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(os.path.join(tree, src), d + ".part")
            os.replace(d + ".part", d)
        shutil.copyfile(os.path.join(tree, ASTERISK_TEXT), os.path.join(out, "asterisk", "core-sounds-en.txt.gz"))
        with open(info_path + ".part", "w") as f:
            json.dump(info, f, indent=1, sort_keys=True)
        os.replace(info_path + ".part", info_path)
        return info
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_package_transcripts(out, rows):
    """Counts TSV rows whose raw_transcript differs from the package's transcript file (another package
    version would show up here)."""
    text = gzip.open(os.path.join(out, "asterisk", "core-sounds-en.txt.gz"), "rt", errors="replace").read()
    transcripts = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith((";", "#")):
            k, v = line.split(":", 1)
            transcripts[k.strip()] = v.strip()
    missing = [r["package_path"] for r in rows
               if transcripts.get(asterisk_name(r["package_path"])[:-4]) is None]
    differ = [r["package_path"] for r in rows
              if transcripts.get(asterisk_name(r["package_path"])[:-4]) not in (None, r["raw_transcript"])]
    return missing, differ
