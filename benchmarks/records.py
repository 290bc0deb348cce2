"""Records at city scale: profile read, unit member list, accent-insensitive search and login,
with N concurrent clients against a running `sotay serve`, on SQLite and on PostgreSQL.

    python benchmarks/records.py                      # 100k members, 5k units, 1M audit rows
    python benchmarks/records.py --members 5000 --units 300 --audit 20000 --seconds 3   # smoke

Prints one table per backend: p50/p95/p99 latency (ms) and requests/s, next to a baseline
(`GET /healthz`, the framework and database floor) measured by the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.config import DBSettings, JobsSettings, Settings  # noqa: E402
from app.core.db import Database  # noqa: E402
from app.core.migrate import upgrade  # noqa: E402
from app.core.text import fold  # noqa: E402
from benchmarks import wrk_load  # noqa: E402
from benchmarks.records_data import BENCH_PASSWORD, SURNAMES, build  # noqa: E402

Request = Callable[[httpx.AsyncClient, random.Random], Awaitable[httpx.Response]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-embedded-worker",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


# uvicorn closes a keep-alive connection after 5 s idle (timeout_keep_alive) and httpx keeps one
# for 5 s (keepalive_expiry): a request sent on a connection the client last used just under
# 5 s ago (its clock starts when it has read the response, after the server's) can reach a
# server that has just closed it. It fails with "Server disconnected without sending a
# response" or a ReadError and never reaches the application. Saturated clients do leave some
# pooled connections idle that long (httpx reuses the first free connection in its list), so
# about one request in a few thousand failed so. The clients here drop idle connections well
# before the server would.
KEEPALIVE_S = 2.0


def client_limits(clients: int) -> httpx.Limits:
    return httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=KEEPALIVE_S
    )


async def load(
    base: str, make: Request, clients: int, seconds: float, seed: int, think_ms: float = 0.0
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    limits = client_limits(clients)

    async def worker(i: int, client: httpx.AsyncClient) -> None:
        nonlocal errors
        rng = random.Random(seed * 1000 + i)
        if think_ms:
            # People do not all click at the same instant: each client starts at a random point
            # of its first think time, or the first wave of `clients` requests arrives at once.
            await asyncio.sleep(rng.uniform(0, think_ms) / 1000.0)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                resp = await make(client, rng)
                ok = resp.status_code < 400
            except httpx.HTTPError:
                ok = False
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += 0 if ok else 1
            if think_ms:
                # A person reads the page before the next click: exponential think time.
                await asyncio.sleep(rng.expovariate(1000.0 / think_ms))

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(i, client) for i in range(clients)))
        elapsed = time.perf_counter() - t0
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {
        "n": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "mean": statistics.fmean(latencies) if latencies else 0.0,
        "errors": errors,
    }


Pool = list[tuple[str, str, str]]  # (method, path with query, form body)


def scenarios(data: dict[str, Any]) -> dict[str, Pool]:
    """Request pools per scenario; each request picks one at random."""
    rng = random.Random(7)
    members = rng.sample(data["member_ids"], min(2000, len(data["member_ids"])))
    cells = rng.sample(data["cells"], min(2000, len(data["cells"])))
    queries = [fold(s) for s in SURNAMES] + ["nguyen van", "tran thi", "le minh", "pham quoc"]
    return {
        "baseline GET /healthz": [("GET", "/healthz", "")],
        "profile read": [("GET", f"/api/v1/members/{m}", "") for m in members],
        "unit member list (50)": [
            ("GET", f"/api/v1/members?unit_id={c}&page=1&page_size=50", "") for c in cells
        ],
        "accent-insensitive search": [
            ("GET", f"/api/v1/members?q={quote(q)}&page=1&page_size=50", "") for q in queries
        ],
        "login (argon2id)": [
            ("POST", "/api/v1/auth/token", f"username={u}&password={BENCH_PASSWORD}")
            for u in data["staff"]
        ],
    }


def python_request(pool: Pool, auth: str) -> Request:
    async def make(c: httpx.AsyncClient, rng: random.Random) -> httpx.Response:
        method, path, body = rng.choice(pool)
        if method == "POST":
            return await c.post(
                path, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
        return await c.get(path, headers={"Authorization": auth})

    return make


def measure(
    base: str, pool: Pool, auth: str, clients: int, seconds: float, think_ms: float = 0.0
) -> dict[str, Any]:
    """Saturated runs use wrk when installed: the Python client saturates before the server."""
    if not think_ms and wrk_load.available():
        return wrk_load.run(base, pool, auth=auth, clients=clients, seconds=seconds)
    return asyncio.run(
        load(base, python_request(pool, auth), clients, seconds, seed=3, think_ms=think_ms)
    )


def run_backend(name: str, db_url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    data_dir = Path(tempfile.mkdtemp(prefix=f"sotay-bench-{name}-"))
    if db_url:
        from tests.conftest import recreate_pg_database

        recreate_pg_database(db_url)
    settings = Settings(
        data_dir=data_dir, db=DBSettings(url=db_url), jobs=JobsSettings(embedded_worker=False)
    )
    settings.ensure_dirs()
    db = Database(settings)
    upgrade(db.engine)
    t0 = time.perf_counter()
    data = build(
        db, units=args.units, members=args.members, audit_rows=args.audit, clients=args.clients
    )
    build_s = time.perf_counter() - t0
    db.dispose()
    print(f"[{name}] data set built in {build_s:.1f} s", file=sys.stderr)

    env = {
        **os.environ,
        "SOTAY_DATA_DIR": str(data_dir),
        "SOTAY_DB__URL": db_url,
        "SOTAY_JOBS__EMBEDDED_WORKER": "false",
        "SOTAY_AUTH__SOURCE_FREE_FAILURES": "1000000",
    }
    port = free_port()
    server = start_server(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        tok = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "bench-admin", "password": BENCH_PASSWORD},
        ).json()
        auth = f"Bearer {tok['access_token']}"
        rows = []
        for label, pool in scenarios(data).items():
            measure(base, pool, auth, min(args.clients, 5), 1.0)  # warm-up
            res = measure(base, pool, auth, args.clients, args.seconds)
            rows.append({"backend": name, "scenario": label, "mode": "saturated", **res})
            print(
                f"[{name}] {label}: p95 {res['p95']:.1f} ms, {res['rps']:.0f} req/s",
                file=sys.stderr,
            )
            if args.think_ms and not label.startswith("login"):
                res = measure(base, pool, auth, args.clients, args.seconds, args.think_ms)
                mode = f"think {args.think_ms:.0f} ms"
                rows.append({"backend": name, "scenario": label, "mode": mode, **res})
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def print_table(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    print(
        f"\nrecords benchmark: {args.members:,} members, {args.units:,} units, {args.audit:,} audit rows; "
        f"{args.clients} concurrent clients, {args.seconds:.0f} s per scenario, "
        f"{args.workers} server workers, {os.cpu_count()} cores\n"
    )
    head = (
        f"| {'backend':<10} | {'scenario':<27} | {'clients':<15} | {'req':>6} | {'req/s':>7} | {'p50 ms':>7} | "
        f"{'p95 ms':>7} | {'p99 ms':>7} | {'errors':>6} | {'p95 vs baseline':>15} |"
    )
    print(head)
    print("|" + "|".join("-" * (len(c)) for c in head.split("|")[1:-1]) + "|")
    baseline: dict[str, float] = {}
    for r in sorted(rows, key=lambda r: (r["backend"], r["mode"] != "saturated", r["mode"])):
        key = f"{r['backend']}/{r['mode']}"
        if r["scenario"].startswith("baseline"):
            baseline[key] = r["p95"]
        ratio = r["p95"] / baseline[key] if baseline.get(key) else 0
        print(
            f"| {r['backend']:<10} | {r['scenario']:<27} | {r['mode']:<15} | {r['n']:>6} | {r['rps']:>7.0f} | "
            f"{r['p50']:>7.1f} | {r['p95']:>7.1f} | {r['p99']:>7.1f} | {r['errors']:>6} | "
            f"{ratio:>14.1f}x |"
        )


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    p.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/sotay_bench")
    p.add_argument("--members", type=int, default=100_000)
    p.add_argument("--units", type=int, default=5_000)
    p.add_argument("--audit", type=int, default=1_000_000)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument(
        "--think-ms",
        type=float,
        default=1000.0,
        help="also run each read scenario with this mean think time per client (0: skip)",
    )
    args = p.parse_args()
    rows: list[dict[str, Any]] = []
    if args.backend in ("sqlite", "both"):
        rows += run_backend("sqlite", "", args)
    if args.backend in ("postgres", "both"):
        rows += run_backend("postgres", args.pg_url, args)
    print_table(rows, args)


if __name__ == "__main__":
    main()
