"""The example producer and consumer of docker/compose.yaml (examples/compose/), run here as node programs
against a real eddy that creates the compose file's stream at start-up (--init-streams): what the producer
puts, the consumer prints, in order per shard. The same files and pinned packages as in the images
(scripts/install-deps.sh --test runs npm ci in examples/compose)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict

import pytest
import yaml

from eddy_e2e import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples" / "compose"
RECORDS = 40


@pytest.fixture(scope="module")
def compose_stream() -> tuple[str, str]:
    """The stream the compose file creates, as (name, the EDDY_INIT_STREAMS value)."""
    services = yaml.safe_load((REPO_ROOT / "docker" / "compose.yaml").read_text())["services"]
    init_streams = services["eddy"]["environment"]["EDDY_INIT_STREAMS"]
    return services["producer"]["environment"]["STREAM_NAME"], init_streams


def lines(text: str, tag: str) -> list[tuple[str, str, str]]:
    """(shard id, sequence number, data) of each `tag` line the examples print."""
    out = []
    for line in text.splitlines():
        fields = line.split("\t")
        if fields[0] == tag:
            assert len(fields) == 4, line
            out.append(tuple(fields[1:]))
    return out


def test_consumer_prints_what_the_producer_puts(eddy_factory, compose_stream):
    node = shutil.which("node")
    assert node, "node is missing: scripts/install-deps.sh --test installs it"
    assert (EXAMPLES / "node_modules").is_dir(), "examples/compose/node_modules: run scripts/install-deps.sh --test"
    stream, init_streams = compose_stream
    eddy = eddy_factory("--init-streams", init_streams)

    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=eddy.endpoint, STREAM_NAME=stream, AWS_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="local", AWS_SECRET_ACCESS_KEY="local", NODE_NO_WARNINGS="1")
    # The consumer starts first and reads from TRIM_HORIZON while the producer writes.
    consumer = subprocess.Popen([node, "consumer.mjs", "--count", str(RECORDS), "--poll-ms", "50"], cwd=EXAMPLES,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        producer = subprocess.run([node, "producer.mjs", "--count", str(RECORDS), "--interval-ms", "5"],
                                  cwd=EXAMPLES, env=env, capture_output=True, text=True, timeout=60)
        assert producer.returncode == 0, producer.stderr
        got_out, got_err = consumer.communicate(timeout=60)
    finally:
        if consumer.poll() is None:
            consumer.kill()
            consumer.communicate()
    assert consumer.returncode == 0, got_err

    put, got = lines(producer.stdout, "put"), lines(got_out, "got")
    assert len(put) == RECORDS
    assert sorted(got) == sorted(put), "the consumer prints every record the producer put, and nothing else"
    per_shard_put, per_shard_got = defaultdict(list), defaultdict(list)
    for shard, seq, data in put:
        per_shard_put[shard].append((seq, data))
    for shard, seq, data in got:
        per_shard_got[shard].append((seq, data))
    assert per_shard_got == per_shard_put, "in the order they were put, per shard"
    shards = int((next(s for s in init_streams.split(",") if s.split(":")[0] == stream).split(":") + ["1"])[1])
    assert len(per_shard_put) == min(shards, 16), "16 partition keys over the stream's shards reach each of them"
