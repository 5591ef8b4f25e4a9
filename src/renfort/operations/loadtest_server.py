"""The server under load and the machine's clocks: gunicorn (2 workers, DEBUG off) and a task
worker started on the loopback for a run, and the CPU time each side used."""

from __future__ import annotations

import http.client
import os
import platform
import resource
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# As production runs by default (config/gunicorn.py): two sync workers per core, plus one.
WORKERS = 2 * (os.cpu_count() or 1) + 1
START_S = 180  # collecting the static files comes first


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(base: dict[str, str]) -> dict[str, str]:
    """Production settings on the loopback: DEBUG off, a throwaway key, and the client's
    ``X-Forwarded-Proto`` trusted as a TLS-terminating proxy's would be."""
    env = dict(base)
    env.update(
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(40),
        RENFORT_TRUSTED_PROXIES="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        WEB_CONCURRENCY=str(WORKERS),
        DJANGO_SETTINGS_MODULE="renfort.config.settings",
    )
    return env


def server_command(port: int) -> tuple[list[str], str]:
    """``renfort serve --production``: static files collected, then gunicorn with the
    project's settings (renfort/config/gunicorn.py), ``WORKERS`` sync workers."""
    cmd = [sys.executable, "-m", "renfort.cli", "serve", "--production", f"127.0.0.1:{port}"]
    return cmd, f"`renfort serve --production` (gunicorn, {WORKERS} sync workers, DEBUG off)"


@dataclass
class Servers:
    """The processes of a run, stopped by their own ids."""

    port: int
    description: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)

    def pids(self) -> list[int]:
        """The processes started for the run (gunicorn's master, the task worker)."""
        return [process.pid for process in self.processes]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]


def start_servers(log_dir: Path, *, worker: bool = True, port: int | None = None) -> Servers:
    """Start gunicorn (and a task worker: pages queue background work, as in production) and
    wait until the sign-in page answers."""
    port = port or free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    env = server_env(dict(os.environ))
    env["STATIC_ROOT"] = str(log_dir / "static")  # collected for the run, beside its logs
    cmd, description = server_command(port)
    servers = Servers(port, description)
    with (log_dir / "server.log").open("ab") as log:
        servers.processes.append(subprocess.Popen(cmd, env=env, stdout=log, stderr=log))
    if worker:
        with (log_dir / "worker.log").open("ab") as log:
            servers.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "renfort.cli", "worker"],
                    env=env,
                    stdout=log,
                    stderr=log,
                )
            )
        servers.description += "; one task worker (`renfort worker`)"
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if servers.processes[0].poll() is not None:
            servers.stop()
            raise RuntimeError(f"The server stopped at start: see {log_dir / 'server.log'}.")
        if _answers(port):
            return servers
        time.sleep(0.3)
    servers.stop()
    raise RuntimeError(
        f"The server did not answer within {START_S} s: see {log_dir / 'server.log'}."
    )


def _answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "https"})
        ok = conn.getresponse().status == 200
        conn.close()
        return ok
    except OSError:
        return False


# --- CPU clocks ------------------------------------------------------------------------------


def own_cpu_s() -> float:
    """CPU seconds this process (the load generator, every thread) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def processes_cpu_s(pids: list[int]) -> float:
    """CPU seconds used so far by ``pids`` and their descendants, those that ended included (a
    process's waited-for children count in its own clock: gunicorn replaces its workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), counted from the state.
        total += sum(int(x) for x in fields[11:15]) / ticks
        total += processes_cpu_s(_children(pid))
    return total


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot (from /proc/stat)."""
    try:
        first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0, 0.0
    values = [int(x) for x in first[:8]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


def machine() -> dict[str, str | int]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count() or 1, "cpu": cpu, "python": platform.python_version()}


@dataclass
class Clocks:
    """CPU clocks read at the start of a measured window."""

    pids: list[int]
    wall: float = field(default_factory=time.monotonic)
    own: float = field(default_factory=own_cpu_s)
    server: float = 0.0
    busy: tuple[float, float] = field(default_factory=machine_busy)

    def __post_init__(self) -> None:
        self.server = processes_cpu_s(self.pids)

    def shares(self) -> dict[str, float]:
        """Each side's share of the machine (all its cores) since the start."""
        wall = max(time.monotonic() - self.wall, 1e-9)
        capacity = wall * (os.cpu_count() or 1)
        busy, total = machine_busy()
        machine_share = (busy - self.busy[0]) / max(total - self.busy[1], 1e-9)
        return {
            "generator": round((own_cpu_s() - self.own) / capacity, 4),
            "server": round((processes_cpu_s(self.pids) - self.server) / capacity, 4),
            "machine": round(machine_share, 4),
        }
