"""`earshot serve` driven by the clients people already have, as they use them:

- the `openai` Python client (`OpenAI(base_url=…/v1).audio.transcriptions.create`), every response format and
  an error (`BadRequestError` with OpenAI's fields);
- `curl -F` (multipart upload, as OpenAI's documentation shows);
- a WebSocket client written the way Vosk's example clients are (`websockets`: a WAV sent in 8000-byte
  messages after a config message, one answer read after each, then `{"eof" : 1}`).

Starts the server itself (`--earshot`, default .build/debug/earshot, built with `swift build --traits Server`)
on a free port, runs every check, stops it with SIGTERM and checks it exits 0. Runs in its own venv
(~/.cache/earshot/serve-venv, pins in requirements.txt beside this file), made on first use from PyPI.

    python3 Scripts/serve/test_clients.py [--earshot PATH]

Prints one line per check and closes with "N passed, N failed"; exits 1 when any failed.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

PINS = Path(__file__).resolve().with_name("requirements.txt")
VENV = Path(os.environ.get("EARSHOT_SERVE_VENV", str(Path.home() / ".cache/earshot/serve-venv"))).expanduser()
CLIP_8K = ROOT / "Audio" / "asterisk-vm-intro-8k.wav"
CLIP_16K = ROOT / "Audio" / "flite-slt-fox-16k.wav"


class Server:
    """`earshot serve --port 0` with its standard error collected; `port` is read from its "listening" log line."""

    def __init__(self, earshot):
        self.process = subprocess.Popen([str(earshot), "serve", "--port", "0"], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.port = self._wait_for_port()

    def _read(self):
        for line in self.process.stderr:
            self.log.append(line)

    def _wait_for_port(self):
        deadline = time.time() + 120
        while time.time() < deadline:
            for line in list(self.log):
                match = re.search(r"port=(\d+)", line)
                if match and "listening" in line:
                    return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("earshot serve did not start:\n" + "".join(self.log))

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print(f"ok   {name}")
        else:
            self.failed += 1
            print(f"FAIL {name} {detail}")


def openai_checks(checks, port):
    import openai
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="not-needed")
    with open(CLIP_16K, "rb") as audio:
        result = client.audio.transcriptions.create(model="whisper-1", file=audio)
    checks.check("openai json", isinstance(result.text, str) and len(result.text.split()) >= 5, repr(result))
    with open(CLIP_16K, "rb") as audio:
        text = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format="text")
    checks.check("openai text", isinstance(text, str) and text.strip() == result.text, repr(text))
    for fmt, start in (("srt", "1\n00:00:0"), ("vtt", "WEBVTT")):
        with open(CLIP_16K, "rb") as audio:
            subtitles = client.audio.transcriptions.create(model="whisper-1", file=audio, response_format=fmt)
        checks.check(f"openai {fmt}", isinstance(subtitles, str) and subtitles.startswith(start), repr(subtitles))
    with open(CLIP_16K, "rb") as audio:
        verbose = client.audio.transcriptions.create(
            model="whisper-1", file=audio, response_format="verbose_json",
            timestamp_granularities=["word", "segment"], prompt="quick brown fox, river bank")
    words = verbose.words or []
    checks.check("openai verbose_json words",
                 len(words) >= 5 and all(w.start <= w.end for w in words)
                 and " ".join(w.word for w in words) == verbose.text, repr(verbose))
    checks.check("openai verbose_json segments", bool(verbose.segments) and verbose.segments[0].start >= 0,
                 repr(verbose.segments))
    checks.check("openai verbose_json duration", abs(verbose.duration - 3.83) < 0.01, repr(verbose.duration))
    try:
        with open(CLIP_16K, "rb") as audio:
            client.audio.transcriptions.create(model="whisper-1", file=audio, language="fr")
        checks.check("openai error", False, "no error for language=fr")
    except openai.BadRequestError as error:
        checks.check("openai error", error.status_code == 400 and error.param == "language"
                     and error.type == "invalid_request_error", repr(error.body))


def curl_checks(checks, port):
    url = f"http://127.0.0.1:{port}/v1/audio/transcriptions"
    out = subprocess.run(["curl", "-sS", url, "-F", f"file=@{CLIP_8K}", "-F", "model=whisper-1"],
                         capture_output=True, text=True, timeout=60)
    body = json.loads(out.stdout) if out.returncode == 0 else {}
    checks.check("curl -F json", "message" in body.get("text", ""), out.stdout + out.stderr)
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", url,
                          "-H", "Content-Type: application/json", "-d", "{}"], capture_output=True, text=True)
    checks.check("curl wrong content type is 415", out.stdout == "415", out.stdout)


async def vosk_client(port, path):
    """Vosk's websocket/test.py, as it is written: config, 8000-byte messages, eof; the answers."""
    import websockets
    answers = []
    async with websockets.connect(f"ws://127.0.0.1:{port}") as websocket:
        wf = wave.open(str(path), "rb")
        await websocket.send('{ "config" : { "sample_rate" : %d } }' % (wf.getframerate()))
        buffer_size = 4000  # frames: 8000 bytes of 16-bit mono
        while True:
            data = wf.readframes(buffer_size)
            if len(data) == 0:
                break
            await websocket.send(data)
            answers.append(json.loads(await websocket.recv()))
        await websocket.send('{"eof" : 1}')
        answers.append(json.loads(await websocket.recv()))
    return answers


def websocket_checks(checks, port):
    for path in (CLIP_8K, CLIP_16K):
        answers = asyncio.run(vosk_client(port, path))
        with wave.open(str(path), "rb") as wf:
            messages = -(-wf.getnframes() // 4000)
        text = " ".join(a["text"] for a in answers if a.get("text"))
        checks.check(f"websocket {path.name}: one answer per message",
                     len(answers) == messages + 1 and all("partial" in a or "text" in a for a in answers),
                     repr(answers))
        words = [w for a in answers for w in a.get("result", [])]
        with wave.open(str(path), "rb") as wf:
            duration = wf.getnframes() / wf.getframerate()
        checks.check(f"websocket {path.name}: results with words",
                     len(text.split()) >= 3 and " ".join(w["word"] for w in words) == text
                     and all({"word", "start", "end", "conf"} <= set(w) for w in words)
                     and all(0 <= w["start"] <= w["end"] <= duration + 0.1 for w in words), repr(answers[-3:]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--earshot", default=str(ROOT / ".build" / "debug" / "earshot"))
    args = parser.parse_args()
    server = Server(args.earshot)
    checks = Checks()
    try:
        openai_checks(checks, server.port)
        curl_checks(checks, server.port)
        websocket_checks(checks, server.port)
    finally:
        status = server.stop()
    checks.check("SIGTERM: exit 0", status == 0, f"status {status}\n" + "".join(server.log[-20:]))
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    venv_bootstrap.reexec_in_venv(__file__, requirements=PINS, venv=VENV)
    sys.exit(main())
