"""Drives wrk (C, low overhead) with a Lua script that picks random requests and reports
percentiles as JSON; the Python client saturates long before the server does."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

LUA = r"""
local reqs = {}
local think = tonumber(os.getenv("WRK_THINK_MS") or "0")
math.randomseed(os.time())
function init(args)
  for line in io.lines(os.getenv("WRK_REQUESTS")) do
    local method, path, body = line:match("^(%S+)\t(%S+)\t?(.*)$")
    local headers = {}
    if os.getenv("WRK_AUTH") ~= "" and method == "GET" then headers["Authorization"] = os.getenv("WRK_AUTH") end
    if method == "POST" then headers["Content-Type"] = "application/x-www-form-urlencoded" end
    table.insert(reqs, wrk.format(method, path, headers, body ~= "" and body or nil))
  end
end
function request() return reqs[math.random(#reqs)] end
function delay()
  if think <= 0 then return 0 end
  return math.floor(-math.log(1 - math.random()) * think)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"n": %d, "seconds": %f, "p50": %f, "p95": %f, "p99": %f, "mean": %f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    base: str,
    requests: list[tuple[str, str, str]],
    *,
    auth: str,
    clients: int,
    seconds: float,
    think_ms: float = 0.0,
) -> dict[str, Any]:
    """requests: (method, path, form body) triples; one is picked at random per request."""
    tmp = Path(tempfile.mkdtemp(prefix="sotay-wrk-"))
    (tmp / "load.lua").write_text(LUA)
    (tmp / "requests.tsv").write_text("\n".join("\t".join(r) for r in requests) + "\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "WRK_REQUESTS": str(tmp / "requests.tsv"),
        "WRK_AUTH": auth,
        "WRK_THINK_MS": str(think_ms),
    }
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "-s",
            str(tmp / "load.lua"),
            base,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    res = json.loads(out.strip().splitlines()[-1])
    res["rps"] = res["n"] / res["seconds"]
    return res
