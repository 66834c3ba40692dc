"""N hub processes on one PostgreSQL database, each driven by its own wrk: the scale-out curve.

``python -m loadtests.scaleout postgresql+psycopg://postgres@127.0.0.1:5432/test 1 2 3``
for each N: creates a fresh database on that server, migrates it, starts N ``crossdock serve
--system-latency zero`` processes on it, drives each with its own wrk (the connections split
between them; POST /v1/orders, the bench's order bodies, every wrk its own key prefix), and
drops the database. Prints one JSON line per N: summed req/s, the worst p99, answers by status,
CPU seconds of each hub process and of PostgreSQL's processes, and whether orders closed as
fast as they were accepted (the bench's backlog sampler). Needs wrk and a local server (the
PostgreSQL CPU is read from /proc); nothing is pinned, so the processes share every core.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from loadtests.bench import Backlog, _free_port, parse_wrk, server, wrk_script

# Counts answers by status; wrk gives every thread the same ids, so each wrk gets its own offset.
STATUS_LUA = """
local threads = {}
local setup_ids = setup
function setup(thread) setup_ids(thread); table.insert(threads, thread) end
codes = {}
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get('codes')) do io.write(string.format('status %d %d\\n', k, v)) end
  end
end
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pids(*pattern: str) -> list[int]:
    found = subprocess.run(["pgrep", *pattern], capture_output=True, text=True).stdout
    return [int(p) for p in found.split()]


def _cpu(pids: list[int]) -> dict[int, float]:
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = cpu_seconds(pid)
        except OSError:  # a backend that ended
            continue
    return seconds


def measure(server_url: str, processes: int, connections: int, duration: int) -> dict[str, Any]:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"crossdock_scaleout_{uuid.uuid4().hex[:8]}"
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        cli = [sys.executable, "-m", "crossdock.cli"]
        subprocess.run([*cli, "db", "upgrade", "--database-url", url], check=True)
        with tempfile.TemporaryDirectory() as where, ExitStack() as stack:
            work = Path(where)
            urls = []
            for i in range(processes):
                port = _free_port()
                argv = [*cli, "serve", "--port", str(port), "--database-url", url]
                argv += ["--system-latency", "zero", "--log-level", "warning"]
                urls.append(stack.enter_context(server(argv, port, work / f"hub{i}.log", None)))
            hubs = _pids("-f", f"serve.*{name}")
            postgres = _pids("-x", "postgres")
            hub_before, pg_before = _cpu(hubs), _cpu(postgres)
            each = max(1, connections // processes)
            runs: list[dict[str, Any]] = [{} for _ in urls]

            def drive(i: int) -> None:
                script = work / f"orders{i}.lua"
                ids = wrk_script("orders", 7).replace(
                    "local counter = 0", f"local counter = {1000 * (i + 1)}"
                )
                script.write_text(ids + STATUS_LUA)
                argv = ["wrk", "-t", "1", "-c", str(each), "-d", f"{duration}s", "--latency"]
                argv += ["--timeout", "10s", "-s", str(script), urls[i]]
                out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
                status = {k: int(v) for k, v in re.findall(r"^status (\d+) (\d+)", out, re.M)}
                runs[i] = {**parse_wrk(out), "status": status}

            with Backlog(url) as backlog:
                threads = [threading.Thread(target=drive, args=(i,)) for i in range(len(urls))]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            hub_cpu = [round(cpu_seconds(p) - hub_before[p], 1) for p in hubs]
            # backends the hubs opened during the run started from zero
            pg_after = _cpu(_pids("-x", "postgres"))
            pg_cpu = round(sum(s - pg_before.get(p, 0.0) for p, s in pg_after.items()), 1)
        return {
            "processes": processes,
            "connections": each * processes,
            "duration_s": duration,
            "rps": round(sum(r["rps"] for r in runs), 1),
            "per_process_rps": [r["rps"] for r in runs],
            "p99_ms": max(r["p99_ms"] for r in runs),
            "errors": sum(r["errors"] for r in runs),
            "status": [r["status"] for r in runs],
            "hub_cpu_s": hub_cpu,
            "postgres_cpu_s": pg_cpu,
            "backlog": backlog.verdict(each * processes),
            "load_average": round(os.getloadavg()[0], 1),
        }
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("server", help="postgresql+psycopg://USER@HOST:PORT/DB to create from")
    parser.add_argument("processes", nargs="+", type=int, help="hub processes, e.g. 1 2 3")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=15)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not on the PATH")
    for n in args.processes:
        print(json.dumps(measure(args.server, n, args.connections, args.duration)), flush=True)


if __name__ == "__main__":
    main()
