"""`earshot serve` under load, on loopback, bounded in time (BENCHMARKS.md, "Speech server"):

- streams: N WebSocket clients (Vosk's protocol) each stream the asterisk test clips back to back at real-time
  pace (8 kHz 16-bit PCM in 100 ms messages, answers read as they come) for `--stream-seconds`. Word latency
  as Scripts/bench/stream_latency.py measures it for `earshot stream`: for each word of a result, the time its
  position in the utterance first shows that word (in a partial or the result) minus the time the message
  holding its last sample was sent. N grows (1, 2, 4, 8, …) until the 95th percentile passes 800 ms or errors
  appear; the largest N within 800 ms is the figure.
- uploads: `--uploads` (100) concurrent POST /v1/audio/transcriptions of the sample clips (Audio/*.wav, in turn):
  wall time, requests and audio seconds per second, latency p50/p95/p99, statuses.
- soak: `--soak-seconds` (600) of streaming sessions opening and closing (`--soak-clients` at a time, each a
  clip sent as fast as answered, then eof and close), with an upload every few sessions: the server's resident
  memory (VmRSS) and open file descriptors at the start (after 30 s of the same load) and the end, each sampled
  idle, `--soak-settle-seconds` after the last session (hummingbird-websocket's 30 s ping timer, cancelled when a
  stream closes, keeps its memory until it would have fired), VmRSS every minute under load with its trend (a
  least-squares line through the samples from the second minute on, MiB per minute), and every error.

Starts `.build/release/earshot serve` (build it with `swift build -c release --traits Server`) on a free port
with `--workers 2`, in the serve venv (~/.cache/earshot/serve-venv: websockets, as pinned for test_clients.py).

    python3 Scripts/bench/serve_load.py [--only streams|uploads|soak] [--stream-seconds 30] [--soak-seconds 600]
"""

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Scripts" / "fixtures"))
import venv_bootstrap  # noqa: E402

PINS = ROOT / "Scripts" / "serve" / "requirements.txt"
VENV = Path(os.environ.get("EARSHOT_SERVE_VENV", str(Path.home() / ".cache/earshot/serve-venv"))).expanduser()
CORPUS = Path(os.environ.get("EARSHOT_CORPUS", str(Path.home() / ".cache/earshot/corpus")))
RATE, PIECE = 8000, 800  # 100 ms messages of 8 kHz samples


def percentile(values, q):
    return sorted(values)[int(q * (len(values) - 1))] if values else float("nan")


class Server:
    def __init__(self, earshot, extra):
        self.process = subprocess.Popen([str(earshot), "serve", "--port", "0", "--workers", "2", *extra], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.log = []
        threading.Thread(target=lambda: [self.log.append(line) for line in self.process.stderr], daemon=True).start()
        deadline = time.time() + 120
        self.port = None
        while self.port is None and time.time() < deadline:
            for line in list(self.log):
                match = re.search(r"port=(\d+)", line)
                if match and "listening" in line:
                    self.port = int(match.group(1))
            time.sleep(0.1)
        if self.port is None:
            self.process.kill()
            raise RuntimeError("earshot serve did not start:\n" + "".join(self.log))

    def rss_and_fds(self):
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
        return rss, len(os.listdir(f"/proc/{self.process.pid}/fd"))

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=60)


def load_clips(count):
    manifest = CORPUS / "asterisk_test.jsonl"
    entries = [json.loads(line) for line in manifest.read_text().splitlines() if line.strip()][:count]
    clips = []
    for entry in entries:
        with wave.open(str(manifest.parent / entry["audio_filepath"]), "rb") as wav:
            assert wav.getframerate() == RATE and wav.getnchannels() == 1 and wav.getsampwidth() == 2
            clips.append(wav.readframes(wav.getnframes()))
    return clips


async def paced_client(port, clips, seconds, offset):
    """One real-time stream for `seconds`; returns its word latencies."""
    import websockets
    pcm = b"".join(clips[offset:] + clips[:offset])
    while len(pcm) < seconds * RATE * 2:
        pcm += pcm
    pcm = pcm[:int(seconds * RATE * 2)]
    pieces = [pcm[i:i + 2 * PIECE] for i in range(0, len(pcm), 2 * PIECE)]
    sent, answers = [], []
    async with websockets.connect(f"ws://127.0.0.1:{port}", max_size=None) as ws:
        await ws.send('{"config": {"sample_rate": %d}}' % RATE)

        async def reader():
            for _ in range(len(pieces) + 1):
                answers.append((time.monotonic(), json.loads(await ws.recv())))
        reading = asyncio.create_task(reader())
        start = time.monotonic()
        for i, piece in enumerate(pieces):
            await asyncio.sleep(max(0.0, start + i * PIECE / RATE - time.monotonic()))
            sent.append(time.monotonic())
            await ws.send(piece)
        await ws.send('{"eof" : 1}')
        await reading
    return word_latencies(answers, sent)


def word_latencies(answers, sent):
    """Per result word: first answer showing that word at its position in the utterance − send time of its piece."""
    latencies, utterance = [], []
    for arrived, answer in answers:
        if "partial" in answer:
            utterance.append((arrived, answer["partial"].split()))
            continue
        words = answer.get("result", [])
        seen = utterance + [(arrived, answer.get("text", "").split())]
        for k, word in enumerate(words):
            first = next((t for t, text in seen if len(text) > k and text[k] == word["word"]), arrived)
            piece = min(int(word["end"] * RATE) // PIECE, len(sent) - 1)
            latencies.append(first - sent[piece])
        utterance = []
    return latencies


async def stream_level(port, clips, n, seconds):
    results = await asyncio.gather(*[paced_client(port, clips, seconds, (7 * i) % len(clips)) for i in range(n)],
                                   return_exceptions=True)
    latencies = [x for r in results if not isinstance(r, Exception) for x in r]
    errors = [repr(r) for r in results if isinstance(r, Exception)]
    return latencies, errors


def streams(server, clips, seconds, limit):
    rows, best, n = [], 0, 1
    while n <= limit:
        latencies, errors = asyncio.run(stream_level(server.port, clips, n, seconds))
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        rows.append((n, len(latencies), p50, p95, len(errors)))
        print(f"streams N={n}: {len(latencies)} words, latency median {1000 * p50:.0f} ms, p95 {1000 * p95:.0f} ms, "
              f"errors {len(errors)} {errors[:2]}", flush=True)
        if errors or not p95 <= 0.8:
            break
        best = n
        n = n * 2 if n < 16 else n + 8
    return rows, best


def upload_clip(port, path):
    """POSTs one clip (multipart built here: standard library only); its latency and HTTP status."""
    boundary = f"earshot-bench-{random.getrandbits(64):x}"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            f"Content-Type: audio/wav\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/audio/transcriptions", data=body, method="POST",
                                     headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    start = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return time.monotonic() - start, status


def uploads(server, count):
    paths = sorted((ROOT / "Audio").glob("*.wav"))
    durations = {}
    for path in paths:
        with wave.open(str(path), "rb") as wav:
            durations[path] = wav.getnframes() / wav.getframerate()
    chosen = [paths[i % len(paths)] for i in range(count)]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=count) as pool:
        results = list(pool.map(lambda p: upload_clip(server.port, p), chosen))
    wall = time.monotonic() - start
    latencies = [t for t, status in results if status == 200]
    statuses = {}
    for _, status in results:
        statuses[status] = statuses.get(status, 0) + 1
    audio = sum(durations[p] for p, (_, s) in zip(chosen, results) if s == 200)
    row = dict(count=count, wall=wall, per_second=len(latencies) / wall, audio_per_second=audio / wall,
               p50=percentile(latencies, 0.5), p95=percentile(latencies, 0.95), p99=percentile(latencies, 0.99),
               statuses=statuses)
    print(f"uploads: {row}", flush=True)
    return row


async def soak_client(port, clips, deadline, counters, upload_every=20):
    import websockets
    while time.monotonic() < deadline:
        clip = random.choice(clips)
        try:
            async with websockets.connect(f"ws://127.0.0.1:{port}") as ws:
                await ws.send('{"config": {"sample_rate": %d}}' % RATE)
                for i in range(0, len(clip), 8000):
                    await ws.send(clip[i:i + 8000])
                    json.loads(await ws.recv())
                await ws.send('{"eof" : 1}')
                json.loads(await ws.recv())
            counters["sessions"] += 1
        except Exception as error:  # noqa: BLE001 - every failure is counted and shown
            counters["errors"].append(repr(error))
        if upload_every and counters["sessions"] % upload_every == 0:
            loop = asyncio.get_running_loop()
            _, status = await loop.run_in_executor(None, upload_clip, port, ROOT / "Audio" / "earshot-espeak-16k.wav")
            counters["uploads"] += 1
            if status != 200:
                counters["errors"].append(f"upload status {status}")


def slope_per_minute(samples):
    """The least-squares slope, MiB per minute, of (seconds, MiB) samples."""
    if len(samples) < 2:
        return float("nan")
    mean_t = sum(t for t, _ in samples) / len(samples)
    mean_r = sum(r for _, r in samples) / len(samples)
    spread = sum((t - mean_t) ** 2 for t, _ in samples)
    return 60 * sum((t - mean_t) * (r - mean_r) for t, r in samples) / spread if spread else float("nan")


def soak(server, clips, seconds, clients, upload_every, settle):
    # Warm-up: the same load for 30 s, then the same settling as at the end, so that both samples are taken idle
    # after the server's pools and caches have met this load.
    counters = dict(sessions=0, uploads=0, errors=[])

    async def warm_up():
        deadline = time.monotonic() + 30
        await asyncio.gather(*(soak_client(server.port, clips, deadline, counters, upload_every)
                               for _ in range(clients)))
    asyncio.run(warm_up())
    time.sleep(settle)
    start_rss, start_fds = server.rss_and_fds()
    samples = [(0, start_rss, start_fds)]
    counters = dict(sessions=0, uploads=0, errors=[])

    async def run():
        deadline = time.monotonic() + seconds
        tasks = [asyncio.create_task(soak_client(server.port, clips, deadline, counters, upload_every))
                 for _ in range(clients)]
        began = time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(min(60, seconds / 4))
            rss, fds = server.rss_and_fds()
            samples.append((time.monotonic() - began, rss, fds))
            print(f"soak {samples[-1][0]:.0f} s: RSS {rss:.1f} MiB, fds {fds}, sessions {counters['sessions']}, "
                  f"errors {len(counters['errors'])}", flush=True)
        await asyncio.gather(*tasks)
    asyncio.run(run())
    time.sleep(settle)
    end_rss, end_fds = server.rss_and_fds()
    under_load = [(t, r) for t, r, _ in samples[1:]]
    row = dict(seconds=seconds, clients=clients, sessions=counters["sessions"], uploads=counters["uploads"],
               errors=counters["errors"][:5], error_count=len(counters["errors"]), rss_start=start_rss,
               rss_end=end_rss, fds_start=start_fds, fds_end=end_fds, rss_max=max(s[1] for s in samples),
               rss_under_load=[round(r, 1) for _, r in under_load],
               rss_trend_mib_per_minute=slope_per_minute([(t, r) for t, r in under_load if t >= 60]))
    print(f"soak: {row}", flush=True)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--earshot", default=str(ROOT / ".build" / "release" / "earshot"))
    parser.add_argument("--only", choices=["streams", "uploads", "soak"])
    parser.add_argument("--clips", type=int, default=40)
    parser.add_argument("--stream-seconds", type=float, default=30)
    parser.add_argument("--max-clients", type=int, default=200)
    parser.add_argument("--uploads", type=int, default=100)
    parser.add_argument("--soak-seconds", type=float, default=600)
    parser.add_argument("--soak-clients", type=int, default=8)
    parser.add_argument("--soak-upload-every", type=int, default=20, help="an upload after every N sessions (0: none)")
    parser.add_argument("--soak-settle-seconds", type=float, default=35,
                        help="seconds after the last session before the end sample")
    args = parser.parse_args()
    clips = load_clips(args.clips)
    server = Server(args.earshot, ["--max-streams", "400", "--queue", "256", "--log-level", "notice"])
    report = {}
    try:
        if args.only in (None, "streams"):
            report["streams"] = streams(server, clips, args.stream_seconds, args.max_clients)
        if args.only in (None, "uploads"):
            report["uploads"] = uploads(server, args.uploads)
        if args.only in (None, "soak"):
            report["soak"] = soak(server, clips, args.soak_seconds, args.soak_clients, args.soak_upload_every,
                                  args.soak_settle_seconds)
    finally:
        report["exit_status"] = server.stop()
    print(json.dumps(report))


if __name__ == "__main__":
    venv_bootstrap.reexec_in_venv(__file__, requirements=PINS, venv=VENV)
    main()
