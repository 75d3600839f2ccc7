"""Removing ended runs' folders off the caller's path.

On some disks removing a folder costs far more than making one (ext4 mounted with ``discard`` trims
each freed block as it goes: 5-50 ms for a run's handful of files on the project's machine). A run's
result is ready before that: its folder is renamed out of the way at once (so its paths are gone when
the result is read) and removed by one daemon thread. Whatever is still queued is removed on moto's
reset and at exit (``registry``).
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from pathlib import Path

_pending: queue.SimpleQueue[Path] = queue.SimpleQueue()
_lock = threading.Lock()
_remover: threading.Thread | None = None
_removing = threading.Lock()  # held while the thread removes one folder


def remove_later(folder: Path) -> None:
    """Move ``folder`` aside now and remove it soon; removed at once where it cannot be moved."""
    global _remover
    target = folder.with_name(f"moto-glue-ended-{folder.name}")
    try:
        os.rename(folder, target)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _pending.put(target)
    with _lock:
        if _remover is None or not _remover.is_alive():
            _remover = threading.Thread(target=_remove_forever, name="moto-glue-run-folders", daemon=True)
            _remover.start()


def _remove_forever() -> None:
    while True:
        folder = _pending.get()
        with _removing:
            shutil.rmtree(folder, ignore_errors=True)


def remove_pending() -> None:
    """Remove every folder still queued, now, and wait for the one being removed (moto's reset, exit)."""
    while True:
        try:
            folder = _pending.get_nowait()
        except queue.Empty:
            break
        shutil.rmtree(folder, ignore_errors=True)
    with _removing:
        pass
