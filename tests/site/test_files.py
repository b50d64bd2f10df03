"""Artifacts named by an untrusted database: only regular files inside the folder, never through a link."""

from __future__ import annotations

import os

from scene_gym.site.files import PNG_MAGIC, confined_path, read_confined


def test_confinement(tmp_path):
    base = tmp_path / "art"
    (base / "a").mkdir(parents=True)
    (base / "a" / "x.png").write_bytes(PNG_MAGIC + b"data")
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_MAGIC + b"secret")
    os.symlink(secret, base / "a" / "link.png")
    os.symlink(tmp_path, base / "dirlink")
    os.mkfifo(base / "a" / "fifo.png")
    assert read_confined("art/a/x.png", tmp_path, base, 100, PNG_MAGIC) == PNG_MAGIC + b"data"
    assert (
        read_confined(str(base / "a" / "x.png"), tmp_path, base, 100, PNG_MAGIC) is not None
    )  # absolute, inside
    for name in ("art/a/link.png", "art/dirlink/secret.png", "secret.png", "art/../secret.png", str(secret),
                 "art/a/fifo.png", "art/a", "art/a/missing.png", "", "art/a/x.png\0"):  # fmt: skip
        assert read_confined(name, tmp_path, base, 100, PNG_MAGIC) is None, name
    assert read_confined("art/a/x.png", tmp_path, base, 5, PNG_MAGIC) is None  # too large
    assert read_confined("art/a/x.png", tmp_path, base, 100, b"GIF8") is None  # not the expected kind
    assert confined_path("art/a/x.png", tmp_path, base) == base / "a" / "x.png"
    assert confined_path(None, tmp_path, base) is None
