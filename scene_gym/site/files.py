"""Reading artifacts named by an untrusted database or submission: only regular files inside one folder, never
through a symbolic link, of bounded size and of the expected kind.

A path is joined to the folder it is relative to (the database's folder, a submission folder), normalised
without following links, and refused when it leaves the confining folder (``..``, an absolute path elsewhere),
when any component below that folder is a symbolic link, when it is not a regular file (a FIFO, a device, a
folder), when it is larger than the limit, or when its first bytes are not the expected signature. The final
open uses ``O_NOFOLLOW``, so a link swapped in after the check is not followed either.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GLB_MAGIC = b"glTF"
JPEG_MAGIC = b"\xff\xd8\xff"


def confined_path(name: object, root: Path, base: Path) -> Path | None:
    """The file ``name`` names (relative names against the folder ``root``) when it lies inside ``base`` with
    no symbolic link from ``base`` down to it; else None. ``base`` itself may be reached through links (it is
    resolved once). Nothing is read."""
    if not isinstance(name, str) or not name or "\0" in name or len(name) > 4096:
        return None
    try:
        base_real = Path(os.path.realpath(base))
        joined = Path(name) if os.path.isabs(name) else Path(os.path.realpath(root)) / name
        full = Path(os.path.normpath(joined))
        rel = full.relative_to(base_real)
    except (OSError, ValueError):
        return None
    if not rel.parts:
        return None
    here = base_real
    for part in rel.parts:
        here = here / part
        try:
            if stat.S_ISLNK(os.lstat(here).st_mode):
                return None
        except OSError:
            return None
    return full


def read_confined(
    name: object, root: Path, base: Path, max_bytes: int, magic: bytes | tuple[bytes, ...] = b""
) -> bytes | None:
    """The bytes of the file ``name`` names (see :func:`confined_path`) when it is a regular file of at most
    ``max_bytes`` bytes starting with ``magic`` (one of them, for a tuple); else None."""
    path = confined_path(name, root, base)
    if path is None:
        return None
    try:
        # O_NOFOLLOW: a link swapped in after the check is not followed; O_NONBLOCK: a FIFO does not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as f:
        data = f.read(max_bytes + 1)
    magics = magic if isinstance(magic, tuple) else (magic,)
    if len(data) > max_bytes or not any(data.startswith(m) for m in magics):
        return None
    return data
