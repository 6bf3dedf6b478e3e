"""What a worker does with a job: screen and run a query, or describe an entity, and render the reply in the
negotiated format. Runs inside a worker process (see workers.py); plain functions, testable in-process."""

from __future__ import annotations

import traceback
from pathlib import Path

from smakg.errors import SmakgError
from smakg.kb.turtle import to_ntriples
from smakg.sparql.find import Index
from smakg.sparql.find import render as render_matches
from smakg.sparql.query import Engine, QueryError, RefusedQuery, graph_text, screen
from smakg.sparql.results import render_table
from smakg.web.conneg import GRAPH_FORMATS, TABLE_FORMATS
from smakg.web.html import SECURITY_HEADERS
from smakg.web.jobs import FindJob, PageJob, QueryJob, Reply, Settings, SiteJob, problem
from smakg.web.pages import describe, find_html, is_empty, query_error_html, results_html
from smakg.web.site import Site

TRUNCATED = "Smakg-Truncated"
FIND_LIMIT = 100  # the most matches one search answers with
FILE_CACHE = 2000  # site files a worker keeps once rendered (the whole site is about 1,000 files, a few MB)


class Answerer:
    def __init__(self, data: bytes | Path, settings: Settings) -> None:
        self.engine = Engine(data, settings.engine)
        self.settings = settings
        self._index: Index | None = None
        self._site: Site | None = None
        self._files: dict[str, tuple[str, bytes]] = {}  # rendered site files (the graph never changes in a worker)

    def answer(self, job: QueryJob | PageJob | FindJob | SiteJob) -> Reply:
        try:
            if isinstance(job, PageJob):
                return self.page(job)
            if isinstance(job, FindJob):
                return self.find(job)
            if isinstance(job, SiteJob):
                return self.site_file(job)
            return self.query(job)
        except RefusedQuery as exc:
            return self._query_problem(job, 403, str(exc))
        except (QueryError, SmakgError) as exc:
            return self._query_problem(job, 400, str(exc))
        except MemoryError:  # the worker's memory limit: this worker is retired after answering (its heap is spent)
            reply = problem(503, f"the query needed more memory than a query worker has "
                                 f"({self.settings.worker_memory_mb} MB); narrow it (bind a subject, add LIMIT, "
                                 "avoid GROUP_CONCAT over everything) and try again")
            reply.retire = True
            return reply
        except Exception as exc:  # one line for the client, the traceback for the server's log
            reply = problem(500, f"internal error: {type(exc).__name__}: {exc}")
            reply.log = traceback.format_exc()
            return reply

    @staticmethod
    def _query_problem(job: QueryJob | PageJob | FindJob | SiteJob, status: int, message: str) -> Reply:
        """A refused or broken query: for a browser (it asked for HTML), a page with the message and the query to
        fix; for a program, plain text."""
        if isinstance(job, QueryJob) and job.table_format is not None and job.table_format.name == "html":
            body = query_error_html(job.text, message).encode("utf-8")
            return Reply(status, "text/html; charset=utf-8", body, dict(SECURITY_HEADERS),
                         note=message.splitlines()[0][:200] if message else "")
        return problem(status, message)

    def site_file(self, job: SiteJob) -> Reply:
        """A file of the site (see web.site), the same bytes ``smakg site`` writes."""
        if self._site is None:  # built once per worker, at the first page
            self._site = Site(self.engine, self.settings.site)
        rendered = self._files.get(job.path) or self._site.render(job.path)
        if rendered is None:
            return problem(404, f"/{job.path}: no such page on this site")
        if len(self._files) < FILE_CACHE:
            self._files[job.path] = rendered
        media, body = rendered
        return Reply(200, media, body, {}, f"site {len(body)}B")

    def query(self, job: QueryJob) -> Reply:
        checked = screen(job.text, source="query")
        result = self.engine.run(checked, limit=self.settings.row_limit, max_bytes=self.settings.max_answer_bytes)
        fmt = job.graph_format if result.form == "graph" else job.table_format
        if fmt is None:
            offered = GRAPH_FORMATS if result.form == "graph" else TABLE_FORMATS
            kind = "a CONSTRUCT/DESCRIBE graph" if result.form == "graph" else "a SELECT/ASK result"
            return problem(406, f"the answer is {kind}, available as "
                                f"{', '.join(f.media_type for f in offered)}; the Accept header allows none")
        if result.form == "graph":
            body = graph_text(result.triples or "", fmt.name, context=self.settings.context)
        elif fmt.name == "html":
            body = results_html(result.variables, result.rows or [], result.truncated, job.text)
        else:
            body = render_table(result, fmt.name)
        headers = {}
        unit = {"graph": "triples", "table": "rows", "boolean": "boolean"}[result.form]
        note = f"{result.size()} {unit}"
        if result.truncated:
            things = "triples" if result.form == "graph" else "rows"
            if result.truncated_by == "bytes":
                kept = result.size()
                headers[TRUNCATED] = str(kept)
                headers["Warning"] = f'199 smakg "result truncated to the first {kept} {things}: the answer size ' \
                                     f'limit is {self.settings.max_answer_bytes} bytes"'
            else:
                headers[TRUNCATED] = str(self.settings.row_limit)
                headers["Warning"] = f'199 smakg "result truncated to the first {self.settings.row_limit} {things}"'
            note += f" truncated ({result.truncated_by})"
        return Reply(200, fmt.content_type, body.encode("utf-8"), headers, note)

    def page(self, job: PageJob) -> Reply:
        graph = describe(self.engine, job.iri)
        if is_empty(graph):
            return problem(404, f"{job.iri}: no such entity in this graph")
        body = graph_text(to_ntriples(graph), job.format.name, context=self.settings.context)
        return Reply(200, job.format.content_type, body.encode("utf-8"), {}, f"{len(graph)} triples")

    def find(self, job: FindJob) -> Reply:
        if self._index is None:  # read the names once per worker, at the first search
            self._index = Index(self.engine, self.settings.class_labels)
        matches = self._index.search(job.text, limit=FIND_LIMIT + 1)
        cut = len(matches) > FIND_LIMIT
        matches = matches[:FIND_LIMIT]
        if job.format.name == "html":
            body = find_html(job.text, matches, cut)
        else:
            body = render_matches(matches, "json", text=job.text)
        headers = {TRUNCATED: str(FIND_LIMIT)} if cut else {}
        return Reply(200, job.format.content_type, body.encode("utf-8"), headers, f"{len(matches)} matches")
