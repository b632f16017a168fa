"""A throwaway PostgreSQL 15 cluster in a temporary folder: started for one bench run, stopped
and deleted after it. PostgreSQL refuses to run as root, so as root the cluster belongs to the
`postgres` user that the Debian package creates."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

BIN_FOLDERS = ("/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin")

# A bench server, not a production one: no durability, no background work that would
# disturb timings, one process per query so that times compare with serial plans.
SETTINGS = {
    "shared_buffers": "4GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "1GB",
    "effective_cache_size": "16GB",
    "max_parallel_workers_per_gather": "0",
    "jit": "off",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_wal_size": "8GB",
    "autovacuum": "off",
    "listen_addresses": "''",
}


class ClusterError(RuntimeError):
    pass


def _program(name: str) -> str:
    for folder in BIN_FOLDERS:
        path = Path(folder) / name
        if path.exists():
            return str(path)
    raise ClusterError(f"{name} not found in {', '.join(BIN_FOLDERS)}: install PostgreSQL 15 (postgresql-15)")


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True, check=False)
    if done.returncode:
        raise ClusterError(f"{' '.join(command[:2])} failed: {(done.stderr or done.stdout).strip()[-500:]}")


@contextmanager
def cluster(settings: dict[str, str] | None = None, password: str | None = None):
    """Yield a libpq connection string for a fresh, empty cluster; stop and delete it after.
    With a password, connections over TCP must give it; the yielded local socket needs none."""
    folder = Path(tempfile.mkdtemp(prefix="sqladvise-bench-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    options = {**SETTINGS, **(settings or {}), "port": str(port), "unix_socket_directories": f"'{sockets}'"}
    started = False
    try:
        auth = ["--auth=trust"]
        if password is not None:
            secret = folder / "password"
            secret.write_text(password)
            if os.geteuid() == 0:
                shutil.chown(secret, "postgres")
            auth = ["--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={secret}"]
        _run([_program("initdb"), "-D", str(data), "-U", "postgres", *auth, "-E", "UTF8", "--locale=C"])
        with open(data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in options.items())
        _run([_program("pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-w", "start"])
        started = True
        yield f"host={sockets} port={port} user=postgres dbname=postgres"
    finally:
        if started:
            _run([_program("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)
