"""Votes, document distribution and read receipts at city scale, over HTTP against a running
`sotay serve` (2 workers), on PostgreSQL and SQLite.

    python benchmarks/meetings.py                 # 5k units, 100k members, 300 voters, 2k readers
    python benchmarks/meetings.py --quick         # smoke run: seconds
    python benchmarks/meetings.py --backend postgres --voters 300 --clients 50

Scenarios, each next to a baseline measured by the same run on the same server:
  1. 300 members of one cell cast a secret ballot, then an open vote, all at once (a burst of
     one request per voter, `--clients` in flight): ballots/s and latency, against the same burst
     of `GET /healthz`. Then the chair closes both (seals the ballot chain); checks that exactly
     one ballot per voter exists, `verify_ballots` passes, and a second cast is refused.
  2. Publishing one document to the whole city (one subtree row) and one to every cell (one
     explicit row per cell): seconds to notify and notifications/s; checks that the count
     equals the number of live members.
  3. Read receipts: every reader marks the city document read once (inserts), then random
     repeats (no-ops) for `--seconds`; against plain `GET /documents/{id}` by the same readers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.config import DBSettings, JobsSettings, Settings  # noqa: E402
from app.core.db import Database  # noqa: E402
from app.core.migrate import upgrade  # noqa: E402
from app.documents.models import DocumentRead  # noqa: E402
from app.notifications.models import Notification  # noqa: E402
from app.votes import service_ballots as ballots  # noqa: E402
from app.votes.models import Ballot, OpenChoice, VoteParticipation  # noqa: E402
from benchmarks.meetings_data import build  # noqa: E402
from benchmarks.records import client_limits, load  # noqa: E402

Call = tuple[str, str, str, Any]  # (method, path, bearer token, JSON body or None)

# Every wait is bounded: a stuck server fails the scenario instead of hanging the run.
LIMIT_S = 300.0


class Stuck(RuntimeError):
    """A scenario ran past LIMIT_S; the rest of that backend is skipped."""


class Failures:
    """The first few failed requests of one scenario, so that an error count can be explained:
    the status and body of a response, or the client's exception (a timeout, a dropped
    connection), with the wall-clock time to find it in the server log."""

    KEEP = 5

    def __init__(self) -> None:
        self.samples: list[str] = []

    def response(self, method: str, path: str, resp: httpx.Response) -> None:
        self._keep(method, path, f"{resp.status_code} {resp.text[:300]!r}")

    def exception(self, method: str, path: str, exc: BaseException) -> None:
        self._keep(method, path, f"{type(exc).__name__}: {exc!r}")

    def _keep(self, method: str, path: str, what: str) -> None:
        if len(self.samples) < self.KEEP:
            now = time.strftime("%H:%M:%S")
            self.samples.append(f"{now} {method} {path}: {what}")


def _stats(latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    latencies = sorted(latencies)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {
        "n": len(latencies),
        "wall": elapsed,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "errors": errors,
    }


async def _burst(
    base: str, calls: list[Call], clients: int, ok: int
) -> tuple[dict[str, Any], list[Any]]:
    """Send every call exactly once, `clients` in flight; latency is from send to response."""
    failures = Failures()
    latencies: list[float] = []
    bodies: list[Any] = []
    errors = 0
    gate = asyncio.Semaphore(clients)
    limits = client_limits(clients)

    async def one(client: httpx.AsyncClient, call: Call) -> None:
        nonlocal errors
        method, path, token, body = call
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with gate:
            t0 = time.perf_counter()
            try:
                resp = await client.request(method, path, headers=headers, json=body)
                good = resp.status_code == ok
                if good and resp.headers.get("content-type", "").startswith("application/json"):
                    bodies.append(resp.json())
                elif not good:
                    failures.response(method, path, resp)
            except httpx.HTTPError as exc:
                failures.exception(method, path, exc)
                good = False
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += 0 if good else 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=LIMIT_S) as client:
        t0 = time.perf_counter()
        tasks = [asyncio.ensure_future(one(client, c)) for c in calls]
        _done, pending = await asyncio.wait(tasks, timeout=LIMIT_S)
        for t in pending:
            t.cancel()
        elapsed = time.perf_counter() - t0
    res = _stats(latencies, elapsed, errors + len(pending))
    res["unfinished"] = len(pending)
    res["failures"] = failures.samples
    return res, bodies


def burst(
    base: str, calls: list[Call], clients: int, ok: int = 200
) -> tuple[dict[str, Any], list[Any]]:
    res, bodies = asyncio.run(_burst(base, calls, clients, ok))
    if res["unfinished"]:
        method, path = calls[0][0], calls[0][1]
        raise Stuck(
            f"{method} {path}: {res['unfinished']} of {len(calls)} unanswered after {LIMIT_S:.0f} s"
        )
    return res, bodies


def loop(
    base: str, method: str, path: str, tokens: list[str], clients: int, seconds: float
) -> dict[str, Any]:
    """Saturated: `clients` loop for `seconds`, each request as a random one of `tokens`."""
    failures = Failures()

    async def make(c: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
        auth = {"Authorization": f"Bearer {rng.choice(tokens)}"}
        try:
            resp = await c.request(method, path, headers=auth)
        except httpx.HTTPError as exc:
            failures.exception(method, path, exc)
            raise
        if resp.status_code >= 400:  # what `load` counts as an error
            failures.response(method, path, resp)
        return resp

    res = asyncio.run(load(base, make, clients, seconds, seed=5))
    res["wall"] = seconds
    res["failures"] = failures.samples
    return res


def call(
    base: str, method: str, path: str, token: str, body: Any = None, ok: int = 200
) -> tuple[Any, float]:
    """One request with a long timeout (publishing to 100k members is one request); (json, s)."""
    t0 = time.perf_counter()
    resp = httpx.request(
        method,
        base + path,
        headers={"Authorization": f"Bearer {token}"},
        json=body,
        timeout=LIMIT_S,
    )
    elapsed = time.perf_counter() - t0
    if resp.status_code != ok:
        raise RuntimeError(f"{method} {path}: {resp.status_code} {resp.text[:300]}")
    return resp.json(), elapsed


def _single(n: int, seconds: float) -> dict[str, Any]:
    """A one-request operation that does `n` things: the rate is things per second."""
    ms = seconds * 1000
    return {
        "n": n,
        "wall": seconds,
        "rps": n / seconds if seconds else 0.0,
        "p50": ms,
        "p95": ms,
        "p99": ms,
        "errors": 0,
    }


def votes(
    base: str, db: Database, data: dict[str, Any], args: argparse.Namespace
) -> list[dict[str, Any]]:
    chair, voters = data["chair_token"], data["voter_tokens"]
    n, c = len(voters), args.clients
    rows: list[dict[str, Any]] = []
    ids: dict[str, Any] = {}
    n_items = 2
    for kind in ("secret", "open"):
        vote, _ = call(
            base,
            "POST",
            "/api/v1/votes",
            chair,
            {
                "unit_id": data["vote_cell"],
                "title": f"Biểu quyết {kind}",
                "kind": kind,
                "items": [f"Nội dung {i}" for i in range(1, n_items + 1)],
            },
            ok=201,
        )
        call(base, "POST", f"/api/v1/votes/{vote['id']}/open", chair)
        ids[kind] = vote["id"]
        ids[f"{kind}_items"] = [i["id"] for i in vote["items"]]

    base_calls: list[Call] = [("GET", "/healthz", "", None)] * n
    burst(base, base_calls[: min(n, 20)], min(c, 5))  # warm-up
    res, _ = burst(base, base_calls, c)
    rows.append({"scenario": "baseline: GET /healthz burst", "clients": c, "base": "votes", **res})
    rng = random.Random(11)
    for kind in ("secret", "open"):
        vid, items = ids[kind], ids[f"{kind}_items"]
        calls: list[Call] = [
            (
                "POST",
                f"/api/v1/votes/{vid}/ballots",
                t,
                {
                    "answers": [
                        {"item_id": i, "choice": rng.choice(["agree", "agree", "disagree"])}
                        for i in items
                    ]
                },
            )
            for t in voters
        ]
        res, _ = burst(base, calls, c, ok=201)
        rows.append(
            {"scenario": f"{kind} vote: {n} casts at once", "clients": c, "base": "votes", **res}
        )
        # A second cast by the same members must be refused (409), never counted twice.
        dup, _ = burst(base, calls[:5], 5, ok=409)
        _, close_s = call(base, "POST", f"/api/v1/votes/{vid}/close", chair)
        rows.append(
            {
                "scenario": f"{kind} vote: close (tally, seal)",
                "clients": 1,
                "base": "",
                **_single(n, close_s),
            }
        )
        verify, _ = call(base, "GET", f"/api/v1/votes/{vid}/verify", chair)
        with db.session() as s:
            voted = s.scalar(select(func.count()).where(VoteParticipation.vote_id == vid))
            if kind == "secret":
                stored = s.scalar(select(func.count()).where(Ballot.vote_id == vid))
                chk = ballots.verify_ballots(s, vote_id=vid)
                good = stored == voted == n and chk.ok and chk.checked == n and verify["ok"]
                detail = f"{stored} ballots, verify {'ok' if chk.ok else chk.reason}"
            else:
                stored = s.scalar(select(func.count()).where(OpenChoice.vote_id == vid))
                good = voted == n and stored == n * len(items)
                detail = f"{voted} voters, {stored} choices"
        good = good and dup["errors"] == 0
        detail += ", recast 409" if dup["errors"] == 0 else f", {dup['errors']}/5 recasts not 409"
        rows[-2]["check"] = ("ok: " if good else "FAIL: ") + detail
    return rows


def distribution(base: str, db: Database, data: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    live = data["live_members"]
    cases = [
        ("doc_city", "publish: city subtree (1 row)"),
        ("doc_cells", f"publish: {len(data['cells']):,} explicit cells"),
    ]
    for key, label in cases:
        doc = data[key]
        out, secs = call(base, "POST", f"/api/v1/documents/{doc}/publish", data["admin_token"])
        with db.session() as s:
            stored = s.scalar(
                select(func.count()).where(
                    Notification.kind == "document.published",
                    Notification.link == f"/documents/{doc}",
                )
            )
        good = stored == live == out["recipients"]
        check = f"{'ok' if good else 'FAIL'}: {stored:,} notified, {live:,} live members"
        rows.append(
            {
                "scenario": label,
                "clients": 1,
                "base": "",
                "check": check,
                **_single(stored or 0, secs),
            }
        )
    return rows


def read_receipts(
    base: str, db: Database, data: dict[str, Any], args: argparse.Namespace
) -> list[dict[str, Any]]:
    doc, readers, c = data["doc_city"], data["reader_tokens"], args.clients
    rows: list[dict[str, Any]] = []
    gets: list[Call] = [("GET", f"/api/v1/documents/{doc}", t, None) for t in readers]
    burst(base, gets[: min(len(gets), 20)], min(c, 5))  # warm-up
    res, _ = burst(base, gets, c)
    rows.append({"scenario": "baseline: GET document burst", "clients": c, "base": "reads", **res})
    marks: list[Call] = [("POST", f"/api/v1/documents/{doc}/read", t, None) for t in readers]
    res, bodies = burst(base, marks, c)
    with db.session() as s:
        stored = s.scalar(select(func.count()).where(DocumentRead.document_id == doc))
    firsts = sum(1 for b in bodies if b.get("first"))
    good = stored == firsts == len(readers)
    rows.append(
        {
            "scenario": f"first read: {len(readers):,} inserts",
            "clients": c,
            "base": "reads",
            "check": f"{'ok' if good else 'FAIL'}: {stored:,} receipts, {firsts:,} first",
            **res,
        }
    )
    res = loop(base, "GET", f"/api/v1/documents/{doc}", readers, c, args.seconds)
    rows.append({"scenario": "baseline: GET document loop", "clients": c, "base": "loop", **res})
    res = loop(base, "POST", f"/api/v1/documents/{doc}/read", readers, c, args.seconds)
    with db.session() as s:
        again = s.scalar(select(func.count()).where(DocumentRead.document_id == doc))
    check = f"{'ok' if again == stored else 'FAIL'}: still {again:,} receipts"
    rows.append(
        {
            "scenario": "repeat read (no-op) loop",
            "clients": c,
            "base": "loop",
            "check": check,
            **res,
        }
    )
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    """`sotay serve` in its own process group, so that stuck workers can be killed with it; its
    output (tracebacks, access log) goes to `log`."""
    cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers), "--no-embedded-worker"]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Graceful stop, then SIGKILL to the whole group (workers blocked in the database too)."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


_ACCESS = re.compile(r'" ([1-5])\d\d( |$)')  # uvicorn's access line: '"GET /x HTTP/1.1" 503 ...'
_ROUTINE = ("Started server process", "Waiting for application", "Application startup",
            "Uvicorn running", "Started parent process", "Shutting down", "Finished server",
            "Waiting for background", "Waiting for connections", "Stopping parent process",
            "Application shutdown")  # fmt: skip


def server_problems(log: Path, start: int, limit: int = 40) -> list[str]:
    """What the server wrote after byte `start`, less routine start/stop messages and the access
    log of 1xx-4xx answers: tracebacks and warnings, then the first few 5xx answers."""
    with log.open("rb") as f:
        f.seek(start)
        lines = f.read().decode("utf-8", "replace").splitlines()
    other: list[str] = []
    failed: list[str] = []
    for line in lines:
        access = _ACCESS.search(line)
        if access is None:
            if not any(r in line for r in _ROUTINE):
                other.append(line)
        elif access.group(1) == "5":
            failed.append(line)
    out = other[:limit] + failed[:5]
    if len(failed) > 5:
        out.append(f"... and {len(failed) - 5} more 5xx answers")
    return out


def report_failures(name: str, rows: list[dict[str, Any]], log: Path, start: int) -> None:
    """Print the failed requests each scenario sampled, then what the server logged meanwhile."""
    failed = [r for r in rows if r.get("errors") or r.get("failures")]
    for r in failed:
        print(f"[{name}] {r['scenario']}: {r.get('errors', 0)} error(s); first:", file=sys.stderr)
        for line in r.get("failures") or []:
            print(f"    {line}", file=sys.stderr)
    problems = server_problems(log, start) if failed else []
    if problems:
        print(f"[{name}] server log meanwhile ({log}):", file=sys.stderr)
        for line in problems:
            print(f"    {line}", file=sys.stderr)


def run_backend(
    name: str, db_url: str, parts: list[str], args: argparse.Namespace
) -> list[dict[str, Any]]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"sotay-bench-meetings-{name}-"))
    if db_url:
        from tests.conftest import recreate_pg_database

        recreate_pg_database(db_url)
    settings = Settings(
        data_dir=data_dir, db=DBSettings(url=db_url), jobs=JobsSettings(embedded_worker=False)
    )
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine, "heads")
    t0 = time.perf_counter()
    data = build(
        db, units=args.units, members=args.members, voters=args.voters, readers=args.readers
    )
    print(f"[{name}] data set built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    env = {
        **os.environ,
        "SOTAY_DATA_DIR": str(data_dir),
        "SOTAY_DB__URL": db_url,
        "SOTAY_JOBS__EMBEDDED_WORKER": "false",
    }
    port = free_port()
    log = data_dir / "server.log"
    server = start_server(env, port, args.workers, log)
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, Any]] = []
    try:
        for part in parts:
            t1 = time.perf_counter()
            first_row, log_start = len(rows), log.stat().st_size
            try:
                if part == "votes":
                    rows += votes(base, db, data, args)
                elif part == "distribution":
                    rows += distribution(base, db, data)
                else:
                    rows += read_receipts(base, db, data, args)
            except (Stuck, httpx.TimeoutException) as exc:
                print(f"[{name}] {part} stuck: {exc}", file=sys.stderr)
                rows.append({"scenario": f"{part}: STUCK", "base": "", "check": f"FAIL: {exc}"})
                break  # the server is wedged: later scenarios would measure nothing
            finally:
                report_failures(name, rows[first_row:], log, log_start)
            print(f"[{name}] {part} done in {time.perf_counter() - t1:.1f} s", file=sys.stderr)
    finally:
        stop_server(server)
        db.dispose()
    return [{"backend": name, **r} for r in rows]


def print_table(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nmeetings benchmark: {args.units:,} units, {args.members:,} members (+{args.voters} voters "
        f"in one cell), {args.readers:,} readers; {args.clients} clients in flight, "
        f"{args.seconds:.0f} s loops, {args.workers} server workers, {os.cpu_count()} cores\n"
    )
    head = (
        f"| {'backend':<8} | {'scenario':<34} | {'clients':>7} | {'n':>7} | {'wall s':>7} | "
        f"{'per s':>8} | {'p50 ms':>8} | {'p95 ms':>8} | {'p99 ms':>8} | {'errors':>6} | "
        f"{'p95 vs base':>11} | {'check':<45} |"
    )
    print(head)
    print("|" + "|".join("-" * len(c) for c in head.split("|")[1:-1]) + "|")
    baseline: dict[str, float] = {}
    blank = {"clients": 0, "n": 0, "wall": 0.0, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0}
    for r in ({**blank, "errors": 0, **r} for r in rows):
        key = f"{r['backend']}/{r['base']}"
        if r["scenario"].startswith("baseline"):
            baseline[key] = r["p95"]
        ratio = f"{r['p95'] / baseline[key]:.1f}x" if r["base"] and baseline.get(key) else "-"
        print(
            f"| {r['backend']:<8} | {r['scenario']:<34} | {r['clients']:>7} | {r['n']:>7,} | "
            f"{r['wall']:>7.2f} | {r['rps']:>8,.0f} | {r['p50']:>8.1f} | {r['p95']:>8.1f} | "
            f"{r['p99']:>8.1f} | {r['errors']:>6} | {ratio:>11} | {r.get('check', ''):<45} |"
        )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--backend",
        choices=["sqlite", "postgres", "both"],
        help="default: votes on postgres, distribution and read receipts on both",
    )
    p.add_argument(
        "--only", default="votes,distribution,reads", help="comma-separated scenarios to run"
    )
    p.add_argument(
        "--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/sotay_bench_meetings"
    )
    p.add_argument("--units", type=int, default=5_000)
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--voters", type=int, default=300, help="members of the voting cell")
    p.add_argument("--readers", type=int, default=2_000, help="members marking the document read")
    p.add_argument("--clients", type=int, default=50, help="requests in flight at once")
    p.add_argument("--seconds", type=float, default=10.0, help="length of each saturated loop")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--timeout", type=float, default=300.0, help="bound on any one wait (s)")
    p.add_argument("--quick", action="store_true", help="small smoke run (seconds)")
    args = p.parse_args()
    if args.quick:
        args.units, args.members, args.voters, args.readers = 200, 3_000, 40, 100
        args.clients, args.seconds, args.timeout = 10, 2.0, 60.0
    global LIMIT_S
    LIMIT_S = args.timeout
    # A SIGTERM (timeout, CI cancel) unwinds through the `finally` that kills the servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    plan: dict[str, list[str]] = {"postgres": [], "sqlite": []}
    for part in ("votes", "distribution", "reads"):
        if part not in only:
            continue
        backends = {"both": ["postgres", "sqlite"], None: ["postgres", "sqlite"]}.get(
            args.backend, [args.backend]
        )
        if args.backend is None and part == "votes":
            backends = ["postgres"]
        for b in backends:
            plan[b].append(part)
    rows: list[dict[str, Any]] = []
    if plan["postgres"]:
        rows += run_backend("postgres", args.pg_url, plan["postgres"], args)
    if plan["sqlite"]:
        rows += run_backend("sqlite", "", plan["sqlite"], args)
    print_table(rows, args)
    failed = [
        r
        for r in rows
        if r.get("check", "").startswith("FAIL")
        or (r.get("errors") and not r["scenario"].startswith("baseline"))
    ]
    if failed:
        sys.exit(f"{len(failed)} scenario(s) failed their checks")


if __name__ == "__main__":
    main()
