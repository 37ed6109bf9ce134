"""Real servers and a real load generator for the load benchmark: ``xianfeng run`` and the
bare app as separate uvicorn processes on free ports, driven by ``wrk`` (Debian package
``wrk``, installed by ``scripts/apt_deps.sh --bench``)."""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import ROOT, _xianfeng


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process (and its workers); ``base`` is its URL once ``start`` returned."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], health: str):
        self.name, self.command, self.env, self.health = name, command, env, health
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkstemp(prefix=f"xianfeng-{name}-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None

    @classmethod
    def project(cls, name: str, env: dict[str, str], workers: int = 1) -> "Server":
        return cls(name, _xianfeng() + ["run", "--workers", str(workers)], env, "/healthz")

    @classmethod
    def bare(cls, name: str, env: dict[str, str]) -> "Server":
        return cls(name, [sys.executable, "-m", "benchmarks.bare_app"], env, "/bare/healthz")

    def start(self, timeout: float = 120) -> "Server":
        with open(self.log, "w") as out:
            self.proc = subprocess.Popen(self.command + ["--host", "127.0.0.1", "--port", str(self.port)], cwd=ROOT,
                                         env={**self.env, "PYTHONUNBUFFERED": "1"}, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log.read_text('utf-8', 'replace')[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + self.health, timeout=2) as r:
                    if json.load(r).get("status") == "ok":
                        return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} not healthy after {timeout}s:\n{self.log.read_text('utf-8', 'replace')[-3000:]}")

    def cpu_seconds(self) -> float:
        """CPU time the server process (every thread of it) has used so far. Other processes'
        load barely moves it, unlike requests per second on a shared machine."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.unlink(missing_ok=True)

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def login(self, username: str, password: str) -> str:
        request = urllib.request.Request(self.base + "/api/mp/v1/auth/login", method="POST",
                                         data=json.dumps({"username": username, "password": password}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.load(r)["token"]

    def get_json(self, path: str, token: str):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return json.load(r)


@dataclass
class WrkResult:
    rps: float
    requests: int
    errors: int  # non-2xx/3xx answers and socket errors


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed: run `bash scripts/apt_deps.sh --bench` (make bench does)")
    return path


def wrk(url: str, connections: int, seconds: float, token: str | None = None, script: Path | None = None) -> WrkResult:
    command = [wrk_path(), "-t", "1", "-c", str(connections), "-d", f"{max(1, round(seconds))}s", "--timeout", "10s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return WrkResult(rps, requests, errors)


def login_script(usernames: list[str], password: str) -> Path:
    """A wrk script that logs in as each of ``usernames`` in turn (one account per attempt in
    flight, so the failed-login counter of none of them fills up)."""
    users = ", ".join(json.dumps(u) for u in usernames)
    body = '{"username":"\' .. users[(counter % #users) + 1] .. \'","password":' + json.dumps(password) + '}'
    text = (f"local users = {{{users}}}\nlocal counter = 0\n"
            "request = function()\n  counter = counter + 1\n"
            f"  return wrk.format(\"POST\", \"/api/mp/v1/auth/login\", {{[\"Content-Type\"] = \"application/json\"}}, '{body}')\n"
            "end\n")
    fd, path = tempfile.mkstemp(prefix="xianfeng-login-", suffix=".lua")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return Path(path)
