"""prometheus-client's multiprocess mode for ``parley serve``: one private directory per server run.

gunicorn forks worker processes, each with its own counters. In multiprocess mode every process writes
its metrics to files in ``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any worker adds them all up. The
variable must be set before ``prometheus_client`` is first imported (it picks its storage at import),
so this module does not import it at the top. The directory is fresh for each run (stale files from an
earlier run would add old counts), live gauges of a worker that exits are dropped by gunicorn's
``child_exit`` hook, and the directory is removed when the server stops.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


@contextmanager
def private_multiprocess_dir() -> Iterator[str]:
    """Point ``PROMETHEUS_MULTIPROC_DIR`` at a new temporary directory while the block runs."""
    owner = os.getpid()
    previous = os.environ.get(VARIABLE)
    path = tempfile.mkdtemp(prefix="parley-metrics-")
    os.environ[VARIABLE] = path
    try:
        yield path
    finally:
        # gunicorn's workers are forks of this process and leave through the same stack: only the
        # process that made the directory removes it.
        if os.getpid() == owner:
            shutil.rmtree(path, ignore_errors=True)
            if previous is None:
                os.environ.pop(VARIABLE, None)
            else:
                os.environ[VARIABLE] = previous


def child_exit(_server: Any, worker: Any) -> None:
    """gunicorn's ``child_exit`` hook: a dead worker's live gauges (connections in use) stop counting."""
    if os.environ.get(VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
