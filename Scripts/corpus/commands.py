"""The external commands of the recipe: one run, its errors reported; sox with the recipe's fixed flags."""

import subprocess


def run(cmd, **kw):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {r.returncode}: {r.stderr.decode(errors='replace')[-500:]}")
    return r


def sox(*args):
    # -R: repeatable (dither and noise generators seeded with a fixed number); -G: lower the gain rather
    # than clip; -V1: errors only.
    return run(["sox", "-R", "-G", "-V1", *args])
