"""Checks of the container files, for machines without a Docker engine (CI has none).

* docker/compose.yaml passes ``docker-compose config`` and refers to files that exist, with the services wired
  to each other (health-gated start, the endpoint, the stream the broker creates).
* docker/Dockerfile and examples/compose/Dockerfile pass the dockerfile-utils linter (pinned by
  tests/lint/package-lock.json) without a warning.
* docker/Dockerfile builds with the scripts the README and CI run, runs as a non-root user, and its health check
  and entrypoint work: both are run here against a real eddy laid out as in the image.
* ``scripts/install-deps.sh --runtime`` installs a package for every shared library the built binary loads.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml  # PyYAML: a dependency of the AWS CLI and of docker-compose

from eddy_e2e import EDDY_BIN, READY_LINE, REPO_ROOT, make_client

COMPOSE_FILE = REPO_ROOT / "docker" / "compose.yaml"
DOCKERFILE = REPO_ROOT / "docker" / "Dockerfile"
EXAMPLES_DOCKERFILE = REPO_ROOT / "examples" / "compose" / "Dockerfile"
LINTER = REPO_ROOT / "tests" / "lint" / "node_modules" / ".bin" / "dockerfile-utils"


# -- a small Dockerfile reader ------------------------------------------------------------------------------


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per instruction, with continuation lines joined and comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        out.append((keyword.upper(), args.strip()))
    assert not pending, f"{path}: the last instruction ends with a line continuation"
    return out


def stages(path: Path) -> list[list[tuple[str, str]]]:
    """The instructions split per build stage, each stage starting with its FROM."""
    result: list[list[tuple[str, str]]] = []
    for ins in instructions(path):
        if ins[0] == "FROM":
            result.append([])
        assert result, f"{path}: an instruction before the first FROM"
        result[-1].append(ins)
    return result


def exec_form(args: str) -> list[str]:
    """CMD/ENTRYPOINT arguments as a list (the JSON exec form, or the shell form run by /bin/sh -c)."""
    args = re.sub(r"^(--\S+\s+)*", "", args) if not args.startswith("[") else args
    if args.startswith("CMD "):
        args = args[4:].strip()
    return json.loads(args) if args.startswith("[") else ["/bin/sh", "-c", args]


def final_stage_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in stage:
        if keyword == "ENV":
            for item in shlex.split(args):
                key, _, value = item.partition("=")
                env[key] = value
    return env


# -- docker-compose ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    """docker/compose.yaml as docker-compose resolves it (paths made absolute, anchors expanded)."""
    exe = shutil.which("docker-compose")
    assert exe, "docker-compose is missing: scripts/install-deps.sh --test installs it"
    out = subprocess.run([exe, "-f", str(COMPOSE_FILE), "config"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, f"docker-compose config failed:\n{out.stderr}"
    return yaml.safe_load(out.stdout)


def test_compose_builds_the_broker_from_the_dockerfile_with_a_named_data_volume(compose):
    eddy = compose["services"]["eddy"]
    context = Path(eddy["build"]["context"])
    assert context.resolve() == REPO_ROOT.resolve(), "the image is built from the repository root"
    assert (context / eddy["build"]["dockerfile"]).resolve() == DOCKERFILE.resolve()
    mounts = {v.split(":")[1]: v.split(":")[0] for v in eddy["volumes"]}
    assert "/data" in mounts, "the broker keeps its data in a volume"
    assert mounts["/data"] in compose["volumes"], "a named volume, declared at the top level"
    assert ("VOLUME", '["/data"]') in stages(DOCKERFILE)[-1]
    assert eddy["environment"].get("EDDY_INIT_STREAMS"), "the stack creates its streams at start-up"


@pytest.mark.parametrize("service", ["producer", "consumer"])
def test_compose_examples_wait_for_a_healthy_broker_and_use_its_stream(compose, service):
    svc = compose["services"][service]
    context = Path(svc["build"]["context"])
    assert (context / "Dockerfile").is_file()
    assert (context / "package-lock.json").is_file(), "the example's dependencies are pinned"
    script = svc["command"][1]
    assert svc["command"][0] == "node" and (context / script).is_file(), f"{service} runs {svc['command']}"
    assert svc["depends_on"] == {"eddy": {"condition": "service_healthy"}}

    env = svc["environment"]
    url = urlparse(env["AWS_ENDPOINT_URL"])
    assert url.hostname == "eddy", "the endpoint names the broker's service"
    assert url.port == int(final_stage_env(stages(DOCKERFILE)[-1])["EDDY_PORT"])
    init_streams = compose["services"]["eddy"]["environment"]["EDDY_INIT_STREAMS"]
    assert env["STREAM_NAME"] in [s.split(":")[0] for s in init_streams.split(",")], \
        "the examples use a stream the broker creates at start-up"


# -- the linter ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("dockerfile", [DOCKERFILE, EXAMPLES_DOCKERFILE], ids=["eddy", "examples"])
def test_dockerfile_passes_the_linter_without_warnings(dockerfile):
    assert LINTER.exists(), f"{LINTER} is missing: scripts/install-deps.sh --test installs it"
    out = subprocess.run([str(LINTER), "lint", "--json", str(dockerfile)], capture_output=True, text=True,
                         timeout=60)
    diagnostics = json.loads(out.stdout or "null")
    assert diagnostics == [], f"dockerfile-utils lint {dockerfile}:\n{json.dumps(diagnostics, indent=1)}"


def test_the_linter_catches_a_broken_dockerfile(tmp_path):
    """So that an empty report above means something."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian:12-slim\nHEALTHCHECK --start-period=5s --bogus=1 CMD true\nEXPOSE http\n")
    out = subprocess.run([str(LINTER), "lint", "--json", str(bad)], capture_output=True, text=True, timeout=60)
    messages = [d["message"] for d in json.loads(out.stdout)]
    assert len(messages) == 2, messages  # the unknown flag and the port, not --start-period


# -- the Dockerfile's content --------------------------------------------------------------------------------


def test_dockerfile_builds_with_the_readme_scripts_in_debian_12():
    build, runtime = stages(DOCKERFILE)
    for stage in (build, runtime):
        assert stage[0][1].split()[0] == "debian:12-slim", stage[0]
    build_runs = [args for keyword, args in build if keyword == "RUN"]
    assert any(re.search(r"(^|\s)scripts/install-deps\.sh(\s*$|\s*&&)", r) for r in build_runs), build_runs
    assert any(re.search(r"(^|\s)scripts/build\.sh\b", r) for r in build_runs), build_runs
    runtime_runs = [args for keyword, args in runtime if keyword == "RUN"]
    assert any("scripts/install-deps.sh --runtime" in r for r in runtime_runs), runtime_runs
    alias = build[0][1].split()[-1]
    assert any(k == "COPY" and f"--from={alias}" in a for k, a in runtime), "the binary comes from the build stage"
    assert not any(k == "RUN" and "build.sh" in a for k, a in runtime), "nothing is compiled in the runtime stage"


def test_every_script_the_dockerfile_names_exists_and_is_executable():
    text = DOCKERFILE.read_text()
    named = set(re.findall(r"scripts/[\w.-]+\.sh", text))
    assert {"scripts/install-deps.sh", "scripts/build.sh", "scripts/start.sh"} <= named
    for rel in named:
        assert os.access(REPO_ROOT / rel, os.X_OK), f"{rel} is named in {DOCKERFILE} but not an executable file"


def test_dockerfile_runs_as_a_non_root_user():
    runtime = stages(DOCKERFILE)[-1]
    users = [args for keyword, args in runtime if keyword == "USER"]
    assert users, "the runtime stage sets USER"
    assert users[-1].split(":")[0] not in ("root", "0")
    last_user = max(i for i, (k, _) in enumerate(runtime) if k == "USER")
    assert not any(k == "RUN" for k, _ in runtime[last_user:]), "no RUN after USER needs root"


def test_dockerfile_health_check_asks_for_health():
    checks = [args for keyword, args in stages(DOCKERFILE)[-1] if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "/health" in " ".join(exec_form(checks[0]))


def healthcheck_command() -> list[str]:
    (check,) = [args for keyword, args in stages(DOCKERFILE)[-1] if keyword == "HEALTHCHECK"]
    return exec_form(check[check.index("CMD"):])


def test_image_entrypoint_and_health_check_work_against_a_real_eddy(tmp_path):
    """start.sh and the HEALTHCHECK command, run as the image runs them: start.sh copied alone (install-deps.sh
    and build.sh must not be needed), the image's ENV with EDDY_BIN pointing at the built binary, port 0 in
    place of 4567 and a temporary data dir in place of /data, and the compose file's EDDY_INIT_STREAMS."""
    runtime = stages(DOCKERFILE)[-1]
    env = final_stage_env(runtime)
    (entrypoint,) = [exec_form(a) for k, a in runtime if k == "ENTRYPOINT"]
    assert entrypoint[0].endswith("scripts/start.sh")
    image_root = tmp_path / "opt" / "eddy"
    (image_root / "scripts").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "scripts" / "start.sh", image_root / "scripts" / "start.sh")

    compose_env = yaml.safe_load(COMPOSE_FILE.read_text())["services"]["eddy"]["environment"]
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("EDDY_")}
    run_env.update(env)
    run_env.update({k: str(v) for k, v in compose_env.items()})
    ready_file = tmp_path / "ready"
    run_env.update(EDDY_BIN=EDDY_BIN, EDDY_HOST="127.0.0.1", EDDY_PORT="0", EDDY_DATA_DIR=str(tmp_path / "data"),
                   EDDY_READY_FILE=str(ready_file))
    (tmp_path / "data").mkdir()
    log = tmp_path / "eddy.log"
    with open(log, "wb") as err:
        proc = subprocess.Popen([str(image_root / "scripts" / "start.sh")], env=run_env, stdout=subprocess.PIPE,
                                stderr=err, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while not ready_file.exists():
            assert proc.poll() is None, f"start.sh exited {proc.returncode}:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no ready file within 15 s:\n{log.read_text()}"
            time.sleep(0.005)
        endpoint = ready_file.read_text().split()[0]
        m = READY_LINE.match(proc.stdout.readline().decode().strip())
        assert m and m.group(1) == endpoint, "start.sh's stdout is eddy's: one line naming the endpoint"
        port = m.group(3)
        check = subprocess.run(healthcheck_command(), env={**run_env, "EDDY_PORT": port}, timeout=10)
        assert check.returncode == 0, "the HEALTHCHECK command fails against a healthy eddy"

        kinesis = make_client(m.group(1))
        for spec in compose_env["EDDY_INIT_STREAMS"].split(","):
            name, shards = (spec.split(":") + ["1"])[:2]
            summary = kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]
            assert summary["OpenShardCount"] == int(shards), summary
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=15)
    assert rc == 0, log.read_text()
    closed = subprocess.run(healthcheck_command(), env={**run_env, "EDDY_PORT": port}, timeout=10,
                            stderr=subprocess.DEVNULL)
    assert closed.returncode != 0, "the HEALTHCHECK command passes with nothing listening"


# -- install-deps.sh --runtime -------------------------------------------------------------------------------


def runtime_packages() -> set[str]:
    text = (REPO_ROOT / "scripts" / "install-deps.sh").read_text()
    m = re.search(r"^runtime_pkgs=\((.*?)\)", text, re.S | re.M)
    assert m, "scripts/install-deps.sh has no runtime_pkgs=( ... ) list"
    return set(m.group(1).split())


def owning_package(lib: str) -> str:
    """The Debian package that ships `lib`, tried as given and resolved (Debian 12 merges /lib into /usr/lib)."""
    real = os.path.realpath(lib)
    candidates = {lib, real}
    for path in list(candidates):
        candidates.add(path[4:] if path.startswith("/usr/") else "/usr" + path)
    for path in sorted(candidates):
        out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.split(":")[0]
    raise AssertionError(f"no Debian package ships {lib}")


def test_runtime_packages_cover_every_library_the_binary_loads():
    assert shutil.which("ldd") and shutil.which("dpkg"), "needs ldd and dpkg (Debian)"
    out = subprocess.run(["ldd", EDDY_BIN], capture_output=True, text=True, check=True).stdout
    assert "not found" not in out, out
    libs = re.findall(r"=> (/\S+)", out) + re.findall(r"^\s*(/\S+ld-linux\S*)", out, re.M)
    assert libs, out
    needed = {owning_package(lib): lib for lib in libs}
    missing = {pkg: lib for pkg, lib in needed.items() if pkg not in runtime_packages()}
    assert not missing, f"add these to runtime_pkgs in scripts/install-deps.sh: {missing}"
