"""Fixtures for the Python end-to-end tests (helpers live in eddy_e2e.py).

* ``eddy``: one shared in-memory eddy for the session, started on port 0; SIGTERM at the end must exit 0.
* ``eddy_factory``: extra instances with their own flags or ``data_dir`` (restart tests, small limits,
  state-transition delays); each still running at teardown must also exit 0 on SIGTERM.
* ``kinesis`` / ``raw_kinesis`` / ``client_factory``: boto3 clients (dummy credentials, us-east-1).
* ``stream_name``: a fresh name per test, so tests never depend on each other.
"""

from __future__ import annotations

import shutil

import os
import signal
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

from eddy_e2e import ACCESS_KEY, DEFAULT_REGION, EddyProcess, make_client, unique_name


@pytest.fixture(scope="session")
def eddy_log_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("eddy-logs")


@pytest.fixture(scope="session")
def eddy(eddy_log_dir) -> Iterator[EddyProcess]:
    """The shared in-memory instance most tests use."""
    p = EddyProcess("--in-memory", log_dir=eddy_log_dir).start()
    yield p
    p.terminate_ok()


@pytest.fixture(scope="session")
def endpoint(eddy) -> str:
    return eddy.endpoint


@pytest.fixture
def eddy_factory(eddy_log_dir) -> Iterator[Callable[..., EddyProcess]]:
    """Starts extra instances: ``eddy_factory('--shard-limit', '5')`` or ``eddy_factory(data_dir=path)``.

    Instances still running at teardown get SIGTERM and must exit 0.
    """
    started: list[EddyProcess] = []

    def make(*args: str, data_dir: Optional[os.PathLike] = None, env: Optional[dict] = None) -> EddyProcess:
        p = EddyProcess(*args, data_dir=data_dir, log_dir=eddy_log_dir, env=env).start()
        started.append(p)
        return p

    yield make
    failures = []
    for p in started:
        if p.running:
            rc = p.stop(signal.SIGTERM)
            if rc != 0:
                failures.append(f"{p.command()} exited {rc}\n{p.logs()}")
    assert not failures, "\n".join(failures)


@pytest.fixture
def client_factory(endpoint) -> Callable[..., object]:
    """``client_factory(region=..., access_key=..., validate=..., endpoint_url=...)``."""

    def make(region: str = DEFAULT_REGION, access_key: str = ACCESS_KEY, validate: bool = True,
             endpoint_url: Optional[str] = None):
        return make_client(endpoint_url or endpoint, region=region, access_key=access_key, validate=validate)

    return make


@pytest.fixture
def kinesis(client_factory):
    """A client for the default account (000000000000) in us-east-1."""
    return client_factory()


@pytest.fixture
def raw_kinesis(client_factory):
    """Like ``kinesis``, with client-side validation off so invalid input reaches eddy."""
    return client_factory(validate=False)


@pytest.fixture
def stream_name() -> str:
    return unique_name()


@pytest.fixture
def cli_installed():
    """The CLI tests check real behaviour; a missing CLI is a broken install, not a reason to skip."""
    assert shutil.which("aws"), "the aws CLI is missing: scripts/install-deps.sh --test installs it"
