"""Queries run in worker processes, so a runaway query can be stopped: a worker that passes the time limit is killed
and replaced while the others keep answering. Neither engine can cancel a running query, and a Python thread cannot
be stopped, so a process is the unit of cancellation.

Each worker loads the graph once (N-Triples bytes from the parent), or opens a store on disk read-only (its folder
from the parent, ``smakg serve --store``), then answers jobs from a pipe: a query with the
formats the client accepts, an entity description, or a search by name. The parent never parses SPARQL; the worker
screens every query (updates, SERVICE, FROM refused) before an engine sees it, and a worker gives up the network
when it starts (``smakg.sandbox``), so a query that got past the screen could still reach nothing.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import queue
import sys
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext
from pathlib import Path

from smakg.sandbox import deny_network
from smakg.web.answer import Answerer
from smakg.web.jobs import FindJob, PageJob, QueryJob, Reply, Settings, SiteJob, problem


def _worker(conn: Connection, data: bytes | Path, settings: Settings) -> None:
    """A worker process: give up the network, load the graph, signal ready, answer jobs until the pipe closes."""
    no_guard = deny_network()  # before anything else: from here on this process can open no network socket
    _limit_memory(settings.worker_memory_mb)
    answerer = Answerer(data, settings)
    conn.send(("ready", len(answerer.engine), no_guard))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        conn.send(answerer.answer(job))


def _limit_memory(megabytes: int) -> None:
    """Bound this process's address space, so a query that needs more fails (MemoryError in Python, an abort in
    an engine's native code) in this worker instead of pushing the machine into swap."""
    if megabytes <= 0:
        return
    try:
        import resource
    except ImportError:  # not on Windows
        return
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


class Worker:
    def __init__(self, ctx: SpawnContext, data: bytes | Path, settings: Settings) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, data, settings), daemon=True, name="smakg-worker")
        self.process.start()
        child.close()
        self.no_guard: str | None = None

    def wait_ready(self, timeout: float) -> int:
        if not self.conn.poll(timeout):
            self.kill()
            raise RuntimeError(f"a query worker did not start within {timeout:.0f} s")
        triples: int  # the worker sends ("ready", the number of triples it loaded, why it kept the network or None)
        tag, triples, self.no_guard = self.conn.recv()
        assert tag == "ready"
        return triples

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of worker processes; ``run`` hands a job to an idle one and waits at most ``time_limit``."""

    def __init__(self, data: bytes | Path, settings: Settings, *, size: int = 2, time_limit: float = 5.0,
                 start_timeout: float = 60.0) -> None:
        self.data = data
        self.settings = settings
        self.size = size
        self.time_limit = time_limit
        self.start_timeout = start_timeout
        self.ctx = mp.get_context("spawn")
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.triples = 0
        self.stopped_queries = 0
        self.no_guard: str | None = None  # why the workers keep network access, or None: they have none
        self.crashed_workers = 0
        self.refused_repeats = 0
        self._failures = 0  # workers lost in a row (crash or time limit) since the last answer: the back-off
        self._crashers: dict[str, None] = {}  # digests of jobs that killed a worker (oldest first, at most 256)
        self._restarts: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._closed = False
        self._lock = threading.Lock()
        self._all: set[Worker] = set()

    @property
    def live(self) -> int:
        """Workers started and not retired (busy, idle, or starting after a replacement)."""
        with self._lock:
            return len(self._all)

    def start(self) -> None:
        workers = [self._spawn() for _ in range(self.size)]
        for worker in workers:
            self.triples = worker.wait_ready(self.start_timeout)
            self.no_guard = worker.no_guard
            self.idle.put(worker)

    def _spawn(self) -> Worker:
        with self._lock:
            return self._spawn_locked()

    def _spawn_locked(self) -> Worker:
        worker = Worker(self.ctx, self.data, self.settings)
        self._all.add(worker)
        return worker

    def _retire(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _replace(self, worker: Worker) -> None:
        """Kill a worker now; start its successor in the background so the caller can answer at once. When
        workers are lost one after another, each successor waits longer first (0.25 s doubling up to 8 s), so a
        stream of crashing requests cannot keep the machine busy starting workers."""
        self._retire(worker)
        if self._closed:
            return
        with self._lock:
            delay = min(0.25 * 2 ** self._failures, 8.0) if self._failures else 0.0
            self._failures += 1

        def start() -> None:
            if self._stopping.wait(delay):  # the pool closed during the back-off: start nothing
                return
            try:
                with self._lock:  # close() takes the same lock: a worker starts before it, or never
                    if self._closed:
                        return
                    fresh = self._spawn_locked()
                fresh.wait_ready(self.start_timeout)
            except Exception as exc:  # reported; the pool shrinks instead of the server dying
                print(f"smakg serve: could not restart a query worker: {exc}", file=sys.stderr, flush=True)
                return
            if self._stopping.is_set():  # closed while the worker started
                self._retire(fresh)
            else:
                self.idle.put(fresh)

        thread = threading.Thread(target=start, daemon=True, name="smakg-respawn")
        with self._lock:
            self._restarts = [t for t in self._restarts if t.is_alive()] + [thread]
        thread.start()

    @staticmethod
    def _digest(job: object) -> str:
        return hashlib.sha256(repr(job).encode("utf-8")).hexdigest()

    def _remember_crash(self, job: object) -> None:
        with self._lock:
            self._crashers[self._digest(job)] = None
            while len(self._crashers) > 256:
                del self._crashers[next(iter(self._crashers))]

    def run(self, job: QueryJob | PageJob | FindJob | SiteJob) -> Reply:
        if self._digest(job) in self._crashers:  # the same request killed a worker before: it is not run again
            self.refused_repeats += 1
            return problem(400, "this request made a query worker crash before, so it is not run again; change "
                                "the query (a smaller or simpler one)")
        try:
            worker = self.idle.get(timeout=self.time_limit)
        except queue.Empty:
            return problem(503, f"all {self.size} query workers stayed busy for {self.time_limit:g} s; "
                                "try again shortly", **{"Retry-After": "1"})
        started = time.monotonic()
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.time_limit):
                self.stopped_queries += 1
                self._replace(worker)
                return problem(503, f"the query was stopped after the time limit of {self.time_limit:g} s "
                                    f"(it ran {time.monotonic() - started:.1f} s); narrow it (bind a subject, "
                                    "avoid unbounded property paths over every node, add LIMIT) and try again")
            reply: Reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self.crashed_workers += 1
            self._remember_crash(job)
            self._replace(worker)
            return problem(503, f"the query worker failed ({type(exc).__name__}: the query may have needed more "
                                "memory than a worker has); it is being restarted; a smaller query may work",
                           **{"Retry-After": "1"})
        with self._lock:
            self._failures = 0
        if reply.retire:
            self._replace(worker)
        else:
            self.idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker, and every restart still waiting or starting, before returning (so a store folder
        the workers read can be released safely afterwards)."""
        with self._lock:
            self._closed = True
            restarts = list(self._restarts)
        self._stopping.set()
        for thread in restarts:
            thread.join(self.start_timeout + 5)
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)
