"""Helpers for the Python end-to-end tests: real eddy processes driven over HTTP.

An eddy process prints exactly one line on stdout, ``eddy listening on http://HOST:PORT``; the fixtures
start it with ``--port 0`` and wait for that line (no sleeps). Logs go to a file per process so a failing
test can show them. SIGTERM must drain and exit 0, which every fixture asserts on teardown.

The binary comes from the environment variable EDDY_BIN, defaulting to <repo>/build/bin/eddy.
EDDY_TEST_SLOWDOWN (default 1) multiplies the fixtures' timeouts, for a sanitized eddy (scripts/sanitize.sh).
"""

from __future__ import annotations

import os
import random
import re
import selectors
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Callable, Optional

import boto3
import pytest
from botocore.config import Config

REPO_ROOT = Path(__file__).resolve().parents[3]
EDDY_BIN = os.environ.get("EDDY_BIN", str(REPO_ROOT / "build" / "bin" / "eddy"))

DEFAULT_ACCOUNT = "000000000000"
DEFAULT_REGION = "us-east-1"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "x"

READY_LINE = re.compile(r"^eddy listening on (http://(\S+):(\d+))$")
# A sanitized build runs several times slower: its timeouts stretch, the checks stay the same.
SLOWDOWN = float(os.environ.get("EDDY_TEST_SLOWDOWN", "1"))
START_TIMEOUT_S = 15.0 * SLOWDOWN
STOP_TIMEOUT_S = 15.0 * SLOWDOWN


class EddyProcess:
    """One eddy process. ``start()`` returns once the ready line has been read."""

    def __init__(self, *args: str, data_dir: Optional[os.PathLike] = None, log_dir: Optional[os.PathLike] = None,
                 env: Optional[dict] = None, preexec: Optional[Callable[[], None]] = None):
        self.args = list(args)
        self.preexec = preexec  # run in the child before eddy starts (e.g. to set its resource limits)
        self.env = {**os.environ, **env} if env else None
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self._log_dir = Path(log_dir) if log_dir is not None else Path(tempfile.mkdtemp(prefix="eddy-log-"))
        self.proc: Optional[subprocess.Popen] = None
        self.endpoint: Optional[str] = None
        self.port: Optional[int] = None
        self.log_path: Optional[Path] = None
        self._starts = 0

    # -- lifecycle ---------------------------------------------------------------------------------

    def command(self) -> list[str]:
        cmd = [EDDY_BIN, "--port", "0"]
        if self.data_dir is not None:
            cmd += ["--data-dir", str(self.data_dir)]
        elif "--in-memory" not in self.args:
            cmd.append("--in-memory")
        return cmd + self.args

    def start(self) -> "EddyProcess":
        assert self.proc is None or self.proc.poll() is not None, "already running"
        if not os.access(EDDY_BIN, os.X_OK):
            pytest.fail(f"eddy binary not found or not executable: {EDDY_BIN} (set EDDY_BIN)")
        self._starts += 1
        self.log_path = self._log_dir / f"eddy-{os.getpid()}-{id(self)}-{self._starts}.log"
        log = open(self.log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                self.command(), stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL, env=self.env,
                preexec_fn=self.preexec,
            )
        finally:
            log.close()
        line = self._read_ready_line()
        m = READY_LINE.match(line)
        if not m:
            self._abort(f"unexpected first stdout line {line!r}")
        self.endpoint = m.group(1)
        self.port = int(m.group(3))
        return self

    def _read_ready_line(self) -> str:
        """Reads stdout up to the first newline, waiting on the pipe rather than sleeping."""
        assert self.proc and self.proc.stdout
        fd = self.proc.stdout.fileno()
        buf = b""
        sel = selectors.DefaultSelector()
        sel.register(fd, selectors.EVENT_READ)
        try:
            while b"\n" not in buf:
                if not sel.select(timeout=START_TIMEOUT_S):
                    self._abort(f"no ready line within {START_TIMEOUT_S}s")
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.proc.wait(timeout=5)
                    self._abort(f"exited with {self.proc.returncode} before printing the ready line")
                buf += chunk
        finally:
            sel.close()
        first, _, rest = buf.partition(b"\n")
        # Exactly one line is promised; anything more so far is a contract break.
        assert rest == b"", f"eddy printed more than one line on stdout: {buf!r}"
        return first.decode()

    def _abort(self, why: str) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        pytest.fail(f"eddy {self.command()}: {why}\n--- log ---\n{self.logs()}")

    def logs(self) -> str:
        try:
            return self.log_path.read_text(errors="replace") if self.log_path else ""
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Sends `sig` and waits; returns the exit code (negative for death by signal)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail(f"eddy did not exit within {STOP_TIMEOUT_S}s of signal {sig}\n{self.logs()}")
        rest = self.proc.stdout.read() if self.proc.stdout else b""
        if self.proc.stdout:
            self.proc.stdout.close()
        assert rest == b"", f"eddy printed more than one line on stdout: {rest!r}"
        return rc

    def terminate_ok(self) -> None:
        """SIGTERM, and the process must drain and exit 0."""
        rc = self.stop(signal.SIGTERM)
        assert rc == 0, f"eddy exited with {rc} after SIGTERM\n--- log ---\n{self.logs()}"

    def kill9(self) -> int:
        return self.stop(signal.SIGKILL)



def restart(p: EddyProcess) -> EddyProcess:
    """Starts a stopped instance again with the same flags (and data dir); the port may change."""
    assert not p.running
    return p.start()


def make_client(
    endpoint: str,
    region: str = DEFAULT_REGION,
    access_key: str = ACCESS_KEY,
    validate: bool = True,
    secret_key: str = SECRET_KEY,
    session_token: Optional[str] = None,
):
    """A boto3 Kinesis client for `endpoint`. No retries, so every error reaches the test as sent.

    validate=False turns off botocore's client-side parameter validation so bad input reaches eddy.
    secret_key / session_token matter only to an eddy started with --auth sigv4.
    """
    cfg = Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        parameter_validation=validate,
        connect_timeout=5,
        read_timeout=30 * SLOWDOWN,
    )
    return boto3.session.Session().client(
        "kinesis",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        aws_session_token=session_token,
        config=cfg,
    )


def unique_name(prefix: str = "e2e") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def fresh_account() -> str:
    """A random 12-digit account id (sent as the access key id) no other test uses, for clean listings."""
    while True:
        acct = "".join(random.choice("0123456789") for _ in range(12))
        if acct != DEFAULT_ACCOUNT:
            return acct


def arn_of(name: str, account: str = DEFAULT_ACCOUNT, region: str = DEFAULT_REGION) -> str:
    return f"arn:aws:kinesis:{region}:{account}:stream/{name}"


# ---- Kinesis facts -------------------------------------------------------------------------------

HASH_SPACE = 1 << 128


def expected_ranges(n: int) -> list[tuple[int, int]]:
    """AWS's even split: shard i of n covers [i*floor(2^128/n), (i+1)*floor(2^128/n)-1]; the last
    ends at 2^128-1."""
    size = HASH_SPACE // n
    out = []
    for i in range(n):
        start = i * size
        end = HASH_SPACE - 1 if i == n - 1 else (i + 1) * size - 1
        out.append((start, end))
    return out


def shard_id(i: int) -> str:
    return f"shardId-{i:012d}"


SEQUENCE_NUMBER = re.compile(r"^49\d{54}$")


def cli_environment(home: Path, **extra: str) -> dict:
    """An environment for the `aws` CLI that ignores the user's own AWS settings, config and credentials."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_PAGER": "",
        "AWS_DEFAULT_OUTPUT": "json",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_RETRY_MODE": "standard",
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "HOME": str(home),
    })
    env.update(extra)
    return env
