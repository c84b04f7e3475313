"""What a file given to a command is, told from its first 64 KB without parsing it.

Why a module of its own: ``show`` (which leaves targets JSON aside in a folder) and
:mod:`.targets_doc` (which reads 绩效目标表 files) both ask it, and ``targets_doc`` also uses
``show``'s table reading — the shared question lives here so neither imports the other back.
"""

from __future__ import annotations

import re
from pathlib import Path

_KIND_RE = re.compile(rb'"kind"\s*:\s*"targets"')
SNIFF_BYTES = 64 * 1024


def head(path: str) -> bytes:
    """The first :data:`SNIFF_BYTES` of ``path``; empty for standard input, a folder or an unreadable file."""
    p = Path(path)
    if path == "-" or not p.is_file():
        return b""
    try:
        with p.open("rb") as fh:
            return fh.read(SNIFF_BYTES)
    except OSError:
        return b""


def is_targets_json(path: str) -> bool:
    """Whether ``path`` is targets JSON: ``"kind": "targets"`` in its first 64 KB."""
    return head_is_targets_json(head(path))


def head_is_targets_json(start: bytes) -> bool:
    """Whether a file's first bytes (:func:`head`) are those of targets JSON — for a caller that
    asks more of them than this, without reading them again."""
    return start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and _KIND_RE.search(start) is not None
