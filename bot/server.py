"""Runs the WSGI app under gunicorn from code, so `parley serve` and the Procfile share one stack.

gunicorn with threaded workers: a mature pre-fork server that restarts crashed workers, and threads
suit Bolt, which hands listener work to its own thread pool right after the 3-second ack.
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.app.base import BaseApplication

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 8


class ParleyServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, host: str, port: int, workers: int | None = None, threads: int | None = None) -> None:
        self.options: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": workers or int(os.environ.get("WEB_CONCURRENCY", DEFAULT_WORKERS)),
            "worker_class": "gthread",
            "threads": threads or DEFAULT_THREADS,
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
        }
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # metrics: drop an exited worker's live gauges
            from bot.metrics_dir import child_exit

            self.options["child_exit"] = child_exit
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Built inside each worker, after fork: database pools must not be shared across processes.
        from bot.web import wsgi_from_env

        return wsgi_from_env()
