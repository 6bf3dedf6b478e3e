"""The query workers' pool on its own: a lost worker is replaced with back-off, and closing the pool stops every
worker, including one whose restart was waiting or starting (so nothing reads a store folder after the server
released it)."""

from __future__ import annotations

import multiprocessing
import time

from smakg.web.conneg import FIND_FORMATS
from smakg.web.jobs import FindJob, Settings
from smakg.web.workers import WorkerPool

DATA = b'<http://example.org/s> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'


def alive() -> list[str]:
    return [p.name for p in multiprocessing.active_children() if p.name == "smakg-worker"]


def test_closing_the_pool_stops_a_restart_in_progress() -> None:
    pool = WorkerPool(DATA, Settings(), size=1, time_limit=5)
    pool.start()
    assert len(alive()) == 1
    for _ in range(3):  # lose the worker three times: the third restart waits 0.5 s (back-off)
        worker = pool.idle.get(timeout=30)
        pool._replace(worker)
        if _ < 2:
            deadline = time.monotonic() + 30
            while pool.idle.qsize() == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
    pool.close()  # while the last restart is waiting
    time.sleep(1.0)
    assert alive() == [], "a worker started after the pool was closed"
    assert pool.live == 0


def test_a_replaced_worker_answers() -> None:
    pool = WorkerPool(DATA, Settings(), size=1, time_limit=5)
    pool.start()
    try:
        pool._replace(pool.idle.get(timeout=30))
        reply = pool.run(FindJob("x", FIND_FORMATS[0]))
        assert reply.status == 200, reply.body
    finally:
        pool.close()
    assert alive() == []
