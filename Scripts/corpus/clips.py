"""Making the planned clips: one clip from its job (synthesis or conversion, a WORLD speaker change, then the
augmentation), and the jobs of a plan in parallel, in order, until a set has its hours. Each clip's file name is
a hash of how it is made (plan.py): a clip that exists is never made again.
"""

import concurrent.futures
import os
import shutil
import tempfile

from augmentation import augment
from commands import sox
from synthesis import synthesize
from wav16 import wav_duration

MAX_SYNTH_SECONDS = 15.0        # synthetic clips longer than this are left out (real ones are all kept)


def ctc_fits(text, duration, step_seconds=0.03, fastest_speed=1.1):
    """Whether CTC can align `text` to `duration` seconds of audio at the model's 30 ms steps, even sped up
    by the trainer's largest speed factor: one step per character, one more between repeated letters."""
    need = len(text) + sum(1 for a, b in zip(text, text[1:]) if a == b)
    return need <= int(duration / fastest_speed / step_seconds)


def run_job(job, out, tmp_root):
    """Makes one clip (skipped when it exists). Returns (duration or None, error or None, made now)."""
    final = os.path.join(out, job["path"])
    if os.path.exists(final):
        return wav_duration(final), None, False
    os.makedirs(os.path.dirname(final), exist_ok=True)
    tmp = tempfile.mkdtemp(dir=tmp_root)
    try:
        if job["source"] == "synthetic":
            raw = os.path.join(tmp, "raw.wav")
            synthesize(job["voice"], job["params"], job["say"], raw, tmp)
            if "shift" in job["params"]:
                shifted = os.path.join(tmp, "shifted.wav")
                sox(raw, shifted, "pitch", str(job["params"]["shift"]))
                raw = shifted
            clean = os.path.join(tmp, "clean16.wav")
            sox(raw, "-c", "1", "-b", "16", "-e", "signed-integer", clean, "rate", "-v", "16000")
        elif "convert" in job:                  # a real clip of another package, as 16-bit mono 16 kHz
            clean = os.path.join(tmp, "real16.wav")
            sox(job["convert"], "-c", "1", "-b", "16", "-e", "signed-integer", clean, "rate", "-v", "16000")
        else:                                   # an augmented copy of a real clip
            clean = os.path.join(out, job["from"])
        if "world" in job.get("params", {}):    # another speaker: F0 and formants moved (neural_voices.py)
            import neural_voices
            speaker = os.path.join(tmp, "world16.wav")
            neural_voices.world_resynthesize(clean, speaker, *job["params"]["world"])
            clean = speaker
        augment(clean, final, job["aug"], os.path.join(out, "noise"), tmp)
        return wav_duration(final), None, True
    except Exception as e:                       # reported and counted by the caller
        for p in (final, final + ".part"):
            if os.path.exists(p):
                os.remove(p)
        return None, str(e), True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class ClipMaker:
    """Makes planned clips in `jobs` processes, in plan order; keeps the clips that failed and counts those it
    made (or tried to); times each set as a stage of `build_log`."""

    def __init__(self, out, jobs, build_log):
        self.out = out
        self.tmp_root = os.path.join(out, "tmp")
        self.build_log = build_log
        self.failures = []           # (path, error)
        self.made_now = 0
        self.executor = concurrent.futures.ProcessPoolExecutor(max_workers=max(1, jobs))

    def run_jobs(self, jobs):
        """(duration or None, error or None, made now) of each job, in order."""
        results = list(self.executor.map(run_job, jobs, [self.out] * len(jobs), [self.tmp_root] * len(jobs)))
        self.made_now += sum(1 for r in results if r[2])
        return results

    def take(self, plan, target_s, name):
        """Makes the plan's clips in order until the kept ones (≤ MAX_SYNTH_SECONDS) reach target_s.
        The prefix kept depends only on the plan and on the clips' durations: deterministic."""
        with self.build_log.stage(name):
            kept, total, i = [], 0.0, 0
            while total < target_s and i < len(plan):
                avg = total / len(kept) if kept else 3.5
                n = max(4, min(400, int((target_s - total) / avg * 1.05) + 1))   # not tied to --jobs
                chunk = plan[i:i + n]
                for job, (dur, err, _) in zip(chunk, self.run_jobs(chunk)):
                    if total >= target_s:
                        break
                    if err is not None:
                        self.failures.append((job["path"], err))
                        continue
                    if job["source"] == "synthetic" and (dur > MAX_SYNTH_SECONDS or not ctc_fits(job["text"], dur)):
                        continue
                    kept.append(dict(job, duration=dur))
                    total += dur
                i += len(chunk)
                self.build_log.log(f"{name}: {total / 60:.1f} / {target_s / 60:.1f} min, {len(kept)} clips")
        if total < target_s * 0.99:
            self.build_log.log(f"warning: {name} ran out of sentences at {total / 60:.1f} min")
        return kept

    def make_all(self, jobs, name):
        """Makes every job; returns those made, each with its duration."""
        with self.build_log.stage(name):
            kept = []
            for job, (dur, err, _) in zip(jobs, self.run_jobs(jobs)):
                if err is not None:
                    self.failures.append((job["path"], err))
                else:
                    kept.append(dict(job, duration=dur))
        return kept

    def shutdown(self):
        self.executor.shutdown()
