"""The server under test (gunicorn, production settings) and the load generator (wrk).

wrk runs in its own process with one thread: it is C, so on two shared cores it takes far
less CPU per request than a Python client would, and more of the machine is left to the
server. Each endpoint is described as a list of requests (method, path, token, body) that
a generated Lua script cycles through; its `done` hook prints the percentiles as JSON.
Without wrk (not installed) an asyncio + httpx client does the same, more slowly: the
report says which one ran.
"""

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.config import ROOT, VENV_BIN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


class Server:
    """gunicorn with the project's gunicorn.conf.py, bound to a loopback port."""

    def __init__(self, env: dict[str, str], port: int = 0, log_path: Path | None = None):
        self.env = env
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path or ROOT / "var" / "bench" / "gunicorn.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("a")
        self.process = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.port}",
                "social_media.wsgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base + "/bench/baseline/", timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.log_path}")
        # Wait until every worker has booted (each imports Django on its own).
        while len(self.workers()) < int(self.env.get("WEB_CONCURRENCY", "2")):
            time.sleep(0.2)
        return self

    def workers(self) -> list[int]:
        return children(self.process.pid) if self.process else []

    def worker_rss_mb(self) -> list[float]:
        return [rss_mb(pid) for pid in self.workers()]

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@dataclass
class Request:
    method: str
    path: str
    token: str | None = None
    body: str | None = None  # "{n}" is replaced by a per-request counter


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    errors: int
    generator: str
    extra: dict = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _lua_string(value: str) -> str:
    return json.dumps(value)  # JSON string literals are valid Lua string literals here


LUA = """
local reqs = {%(requests)s}
local n = 0
request = function()
  n = n + 1
  local r = reqs[(n %% #reqs) + 1]
  local headers = {}
  if r[3] ~= "" then headers["Authorization"] = "Token " .. r[3] end
  local body = nil
  if r[4] ~= "" then
    headers["Content-Type"] = "application/json"
    body = string.gsub(r[4], "{n}", tostring(n) .. "-" .. tostring(math.random(1, 1000000000)))
  end
  return wrk.format(r[1], r[2], headers, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p90_us": %%d, '
    .. '"p99_us": %%d, "mean_us": %%f, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def wrk_available() -> bool:
    if os.environ.get("BENCH_GENERATOR", "wrk") == "httpx":
        return False
    return shutil.which("wrk") is not None


def run_load(
    base: str, name: str, requests: list[Request], duration: float, connections: int
) -> Result:
    if wrk_available():
        return _run_wrk(base, name, requests, duration, connections)
    return asyncio.run(_run_httpx(base, name, requests, duration, connections))


def _run_wrk(base, name, requests, duration, connections) -> Result:
    entries = ", ".join(
        "{" + ", ".join(_lua_string(v or "") for v in (r.method, r.path, r.token, r.body)) + "}"
        for r in requests
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % {"requests": entries})
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base + requests[0].path,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    data = json.loads(line.removeprefix("RESULT "))
    return Result(
        name=name,
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        mean_ms=data["mean_us"] / 1000,
        errors=data["errors"],
        generator="wrk",
    )


async def _run_httpx(base, name, requests, duration, connections) -> Result:
    latencies: list[float] = []
    errors = 0
    counter = 0
    deadline = time.perf_counter() + duration

    async def worker(client):
        nonlocal errors, counter
        while time.perf_counter() < deadline:
            counter += 1
            r = requests[counter % len(requests)]
            headers = {"Authorization": f"Token {r.token}"} if r.token else {}
            body = r.body.replace("{n}", f"{counter}-{time.time_ns()}") if r.body else None
            if body:
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            try:
                response = await client.request(
                    r.method, base + r.path, headers=headers, content=body
                )
                if response.status_code >= 400:
                    errors += 1
            except httpx.HTTPError:
                errors += 1
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=10) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(q):
        return (
            latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else 0
        )

    return Result(
        name=name,
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=pct(0.5),
        p90_ms=pct(0.9),
        p99_ms=pct(0.99),
        mean_ms=sum(latencies) / len(latencies) * 1000 if latencies else 0,
        errors=errors,
        generator="httpx",
    )
