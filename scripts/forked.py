"""Run a function in a forked copy of this process, for work that splits cleanly across CPU cores (rendering one
language while the parent renders the other; reading and checking every other record file). The child inherits
everything in memory, so nothing is sent to it; its result comes back pickled through a pipe.

Reads and writes: nothing itself. Only where os.fork exists (Linux, macOS); callers fall back to running in-process.
"""

from __future__ import annotations

import os
import pickle
import threading
import traceback
from typing import Any, Callable

AVAILABLE = hasattr(os, "fork")


def safe_to_fork() -> bool:
    """Forking copies only the calling thread: with other threads running (`mkdocs serve` has its web server) a
    lock one of them holds could stay locked in the child forever, so fork only a single-threaded process."""
    return AVAILABLE and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


# Below this many items (records, files) a fork costs more than it saves.
WORTH_IT = 300


def each(items: list, fn: Callable[..., Any], split: int = 2) -> list:
    """[fn(*item) for item in items], with every other item done in a forked child when split is 2 (the caller has
    checked safe_to_fork); the results come back in the items' order either way."""
    if split < 2 or len(items) < 2:
        return [fn(*item) for item in items]
    theirs = start(lambda: [fn(*item) for item in items[1::2]])
    mine = [fn(*item) for item in items[0::2]]
    out = [None] * len(items)
    out[0::2], out[1::2] = mine, theirs()
    return out


def start(fn: Callable[[], Any]) -> Callable[[], Any]:
    """Start fn() in a forked child; return a function that waits for the child and returns fn's result (or raises
    the child's exception; a RuntimeError with its traceback if it cannot be sent)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup handlers
        os.close(read)
        try:
            payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent, which raises it
            try:  # the exception itself, so that the parent reports it as it would its own (scripts/guard.py)
                payload = pickle.dumps((False, exc))
            except Exception:  # noqa: BLE001 - not picklable: its traceback as text
                payload = pickle.dumps((False, RuntimeError(f"in the forked process:\n{traceback.format_exc()}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write)

    def result() -> Any:
        with os.fdopen(read, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        if not payload:
            raise RuntimeError("the forked process ended without a result")
        ok, value = pickle.loads(payload)
        if not ok:
            raise value
        return value

    return result
