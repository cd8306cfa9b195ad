"""Writes the seed corpora of the server's fuzz targets (FUZZING.md) from what real clients send.

- `openai-request`: `POST /v1/audio/transcriptions` requests as the `openai` Python client and `curl -F` send
  them, captured by a small HTTP server on loopback that records each request's Content-Type and body and
  answers `{"text": ""}`. The audio is a 10 ms WAV written here, so each seed stays under 1 KB. A seed is the
  Content-Type header's value, a line break, then the body (the target's input layout).
- `vosk-message`: the messages of Vosk's example clients (alphacep/vosk-server, `websocket/test.py`,
  `test_words.py`, `test_alternatives.py` as they are written, and a `reset` between utterances), in the
  target's layout: a text message runs to the next NUL byte; byte 0x01, a length byte N and N bytes are a binary
  message.

Runs in the venv of Scripts/serve/test_clients.py (the same pins):

    python3 Scripts/fuzz/make_server_seeds.py
"""

import http.server
import io
import os
import subprocess
import sys
import tempfile
import threading
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

PINS = ROOT / "Scripts" / "serve" / "requirements.txt"
VENV = Path(os.environ.get("EARSHOT_SERVE_VENV", str(Path.home() / ".cache/earshot/serve-venv"))).expanduser()
CORPUS = ROOT / "Scripts" / "fuzz" / "Corpus"


def tiny_wav(rate=16000, frames=160):
    """A mono 16-bit WAV of `frames` samples of a ramp: a real file libsndfile reads, 44 + 2 × frames bytes."""
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(b"".join(((i * 97) % 4096 - 2048).to_bytes(2, "little", signed=True) for i in range(frames)))
    return out.getvalue()


class Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps each request's Content-Type and body in `captured`; answers as the server would, with a transcript."""

    captured = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Recorder.captured.append((self.headers.get("Content-Type", ""), body))
        answer = b'{"text": ""}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def capture_openai_requests(folder):
    """Sends the requests of test_clients.py (and curl's) to a recorder; returns {seed name: seed bytes}."""
    import openai
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    url = f"http://127.0.0.1:{port}/v1/audio/transcriptions"
    clip = Path(folder) / "clip.wav"
    clip.write_bytes(tiny_wav())
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="not-needed", max_retries=0)
    calls = [
        ("openai-json", {}),
        ("openai-text", {"response_format": "text"}),
        ("openai-srt", {"response_format": "srt"}),
        ("openai-verbose-prompt", {"response_format": "verbose_json", "timestamp_granularities": ["word", "segment"],
                                   "prompt": "quick brown fox, river bank"}),
        ("openai-language-temperature", {"language": "en", "temperature": 0.2}),
    ]
    names = []
    for name, options in calls:
        with open(clip, "rb") as audio:
            client.audio.transcriptions.create(model="whisper-1", file=audio, **options)
        names.append(name)
    for name, fields in (("curl-F", ["model=whisper-1"]),
                         ("curl-F-vtt-prompt", ["model=whisper-1", "response_format=vtt",
                                                "prompt=Earshot; Hummingbird; Vosk"])):
        command = ["curl", "-sS", "-o", "/dev/null", url, "-F", f"file=@{clip}"]
        for field in fields:
            command += ["-F", field]
        subprocess.run(command, check=True, timeout=60)
        names.append(name)
    server.shutdown()
    return {name: content_type.encode() + b"\n" + body
            for name, (content_type, body) in zip(names, Recorder.captured)}


def vosk_sessions():
    """The message sequences of Vosk's example clients: {seed name: seed bytes}."""
    pcm = tiny_wav(frames=2000)[44:]

    def binary(data):
        # Clients send 8000-byte messages; the layout holds up to 255 bytes, so odd-sized pieces stand in.
        pieces = [data[i:i + 255] for i in range(0, len(data), 255)]
        return b"".join(b"\x01" + bytes([len(piece)]) + piece for piece in pieces)

    def text(message):
        return message.encode() + b"\x00"

    words_config = ('{"config" : \n                    { "phrase_list" : ["zero one two three four five six seven '
                    'eight nine oh"],\n                      "sample_rate" : 16000.0,\n'
                    '                      "words" : 0}}')
    return {
        "test-py": text('{ "config" : { "sample_rate" : 8000 } }') + binary(pcm[:1001]) + text('{"eof" : 1}'),
        "test-words": text(words_config) + binary(pcm[:511]) + binary(pcm[511:1400]) + text('{"eof" : 1}'),
        "test-alternatives": text('{"config" : { "max_alternatives" : 20, "sample_rate" : 16000 } }')
        + binary(pcm[:320]) + text('{"eof" : 1}'),
        "reset-between": text('{ "config" : { "sample_rate" : 16000 } }') + binary(pcm[:300]) + text('{"reset" : 1}')
        + binary(pcm[300:601]) + text('{"eof" : 1}'),
        "eof-only": text('{"eof" : 1}'),
        "odd-pieces": binary(pcm[:3]) + binary(pcm[3:8]) + binary(pcm[8:9]) + text('{"eof" : 1}'),
    }


def write(target, seeds):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
        print(f"{folder / name}: {len(data)} bytes")


def main():
    venv_bootstrap.reexec_in_venv(__file__, requirements=PINS, venv=VENV)
    with tempfile.TemporaryDirectory() as folder:
        write("openai-request", capture_openai_requests(folder))
    write("vosk-message", vosk_sessions())


if __name__ == "__main__":
    main()
