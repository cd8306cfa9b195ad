"""The synthesizers, one function per voice family: espeak-ng, flite, festival (Debian packages) and the neural
voices Piper and Kokoro (neural_voices.py). Each reads one sentence with the drawn parameters (draws.py) into a
WAV at its own rate.
"""

import os

from commands import run
from voices import ESPEAK_VARIANTS

ESPEAK_VARIANTS_DIR = "/usr/lib/x86_64-linux-gnu/espeak-ng-data/voices/!v"
FESTIVAL_VOICE_FUNCTIONS = {
    "kal": "voice_kal_diphone",
    "ked": "voice_ked_diphone",
    "us-slt-hts": "voice_cmu_us_slt_arctic_hts",
}


def check_espeak_variants():
    """Exits when an espeak-ng variant of voices.ESPEAK_VARIANTS is not installed."""
    missing = [v for v in ESPEAK_VARIANTS if not os.path.exists(os.path.join(ESPEAK_VARIANTS_DIR, v))]
    if missing:
        raise SystemExit(f"espeak-ng variants not installed: {missing}")


def espeak(name, params, text_file, raw_path):
    run(["espeak-ng", "-v", name, "-s", str(params["rate"]), "-p", str(params["pitch"]),
         "-g", str(params["gap"]), "-w", raw_path, "-f", text_file])


def flite(name, params, text_file, raw_path):
    cmd = ["flite", "-voice", name, "--setf", f"duration_stretch={params['stretch']}"]
    if "f0" in params:
        cmd += ["--setf", f"int_f0_target_mean={params['f0']}"]
    run(cmd + ["-f", text_file, "-o", raw_path])


def festival(name, params, text_file, raw_path):
    evals = ["-eval", f"({FESTIVAL_VOICE_FUNCTIONS[name]})"]
    if "stretch" in params:
        evals += ["-eval", f"(Parameter.set 'Duration_Stretch {params['stretch']})"]
    if "f0" in params:
        evals += ["-eval", "(set! int_lr_params '((target_f0_mean %s) (target_f0_std %s) "
                           "(model_f0_mean 170) (model_f0_std 34)))" % (params["f0"], params["f0std"])]
    run(["text2wave", *evals, text_file, "-o", raw_path])


def synthesize(voice, params, say, raw_path, tmp):
    """Runs the voice's synthesizer on `say`; writes its own WAV (own rate) to raw_path."""
    engine, name = voice.split(":", 1)
    text_file = os.path.join(tmp, "text.txt")
    with open(text_file, "w") as f:
        f.write(say + "\n")
    if engine == "espeak":
        espeak(name, params, text_file, raw_path)
    elif engine == "flite":
        flite(name, params, text_file, raw_path)
    elif engine == "festival":
        festival(name, params, text_file, raw_path)
    elif engine == "piper":
        import neural_voices
        neural_voices.piper_synthesize(say, params, raw_path)
    elif engine == "kokoro":
        import neural_voices
        neural_voices.kokoro_synthesize(say, name, params, raw_path)
    else:
        raise ValueError(voice)
    if not os.path.exists(raw_path) or os.path.getsize(raw_path) < 1000:
        raise RuntimeError(f"{voice} produced no audio for {say!r}")
