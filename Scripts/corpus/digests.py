"""SHA-256 digests: of a file (manifests, Debian packages), and of a WAV's samples (clips compared by content)."""

import hashlib

from wav16 import read_pcm


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def audio_digest(path):
    """SHA-256 of a WAV's samples (header ignored), to compare clips by content."""
    return hashlib.sha256(read_pcm(path)[1]).hexdigest()
