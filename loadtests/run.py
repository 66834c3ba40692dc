"""Run Locust headless against a hub: standalone, or a master and N workers on this machine.

Locust runs in child processes (it monkey-patches the standard library with gevent, which must
not happen in the caller). Each writes its log to ``out/locust*.log``; the master (or the
standalone process) writes ``stats.csv``-style files under the ``out/locust`` prefix and the
HTML report. The run ends when the profile's shape says so; a hard deadline of the duration plus
a minute stops anything that hangs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loadtests.profiles import Profile

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass(frozen=True)
class LoadRun:
    host: str
    profile: Profile
    out: Path
    html: Path
    workers: int = 0
    seed: int = 7

    @property
    def csv_prefix(self) -> Path:
        return self.out / "locust"

    @property
    def stats_csv(self) -> Path:
        return self.out / "locust_stats.csv"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_locust(run: LoadRun, tick: Callable[[float], None] | None = None) -> int:
    """Run the load; returns Locust's exit code (the gates are judged by the caller)."""
    run.out.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "CROSSDOCK_LOAD_PROFILE": run.profile.name,
        "CROSSDOCK_LOAD_USERS": str(run.profile.users),
        "CROSSDOCK_LOAD_SPAWN_RATE": str(run.profile.spawn_rate),
        "CROSSDOCK_LOAD_DURATION": str(run.profile.duration),
        "CROSSDOCK_LOAD_SEED": str(run.seed),
        "PYTHONUNBUFFERED": "1",
    }
    base = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--loglevel", "WARNING"]
    report = ["--headless", "--host", run.host, "--csv", str(run.csv_prefix)]
    report += ["--html", str(run.html), "--only-summary"]
    children: list[subprocess.Popen[bytes]] = []
    logs = []

    def spawn(name: str, argv: list[str]) -> subprocess.Popen[bytes]:
        log = (run.out / f"{name}.log").open("wb")
        logs.append(log)
        child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env)
        children.append(child)
        return child

    if run.workers:
        port = _free_port()
        master = spawn(
            "locust-master",
            [
                *base,
                *report,
                "--master",
                "--master-bind-host",
                "127.0.0.1",
                "--master-bind-port",
                str(port),
                "--expect-workers",
                str(run.workers),
            ],
        )
        for n in range(run.workers):
            spawn(
                f"locust-worker-{n + 1}",
                [*base, "--worker", "--master-host", "127.0.0.1", "--master-port", str(port)],
            )
    else:
        master = spawn("locust", [*base, *report])
    deadline = time.monotonic() + run.profile.duration + 60
    started = time.monotonic()
    try:
        while master.poll() is None:
            if time.monotonic() > deadline:
                master.terminate()
                master.wait(15)
                break
            if tick is not None:
                tick(time.monotonic() - started)
            time.sleep(0.5)
        for child in children[1:]:
            child.wait(30)
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(5)
        for log in logs:
            log.close()
    return int(master.returncode or 0)
