"""`treatykg serve` in a child process for tests: on 127.0.0.1, a free port, a given project."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from projects import cli_env

# the NATO/CMC library question through the API: the 23 NATO states bound by the CMC
NATO_CMC = "/api/alliance-members-bound?alliance=nato&treaty=cmc&asOf=2026-11-22"


@dataclass
class Server:
    process: subprocess.Popen
    url: str  # http://127.0.0.1:PORT/
    log: list[str] = field(default_factory=list)

    @property
    def port(self) -> int:
        return urlsplit(self.url).port

    def request(self, method: str, path: str, body: bytes | str | None = None,
                headers: dict[str, str] | None = None,
                timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
        """One HTTP request on a fresh connection: status, headers (lower-case names), body."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return (response.status, {k.lower(): v for k, v in response.getheaders()},
                    response.read())
        finally:
            connection.close()

    def workers(self) -> list[int]:
        """The pids of this server's worker processes."""
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid and b"treatykg.worker" in cmdline:
                out.append(int(entry.name))
        return sorted(out)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(root: Path, *options: str, timeout: float = 60) -> Server:
    """Start `treatykg serve --port 0 OPTIONS...` on the project at `root`; wait until it
    answers and return it. The caller stops it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "treatykg.cli", "serve", "--port", "0", "--no-build", *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=cli_env(root))
    lines: list[str] = []
    url: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if not url and " at http://" in line:
                url.append(line.split(" at ", 1)[1].split(" ", 1)[0])
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.1):
        if time.monotonic() > deadline:
            process.kill()
            raise RuntimeError("treatykg serve did not start:\n" + "\n".join(lines))
    if not url:
        process.wait()
        raise RuntimeError("treatykg serve stopped:\n" + "\n".join(lines))
    return Server(process, url[0], lines)
