"""Operating the binary: settings from a YAML file, EDDY_* variables and flags (flag > env > file >
default), --print-config, start-up streams and consumers, --ready-file and JSON log lines. Each setting
is checked through what a client sees, not only through what eddy prints."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request

import pytest

from eddy_e2e import EDDY_BIN, EddyProcess, make_client


def run_eddy(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Runs eddy to completion: --print-config, or a start that must fail."""
    import os
    return subprocess.run([EDDY_BIN, *args], env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=30)


def shard_limit(p: EddyProcess) -> int:
    return make_client(p.endpoint).describe_limits()["ShardLimit"]


def test_flag_beats_env_beats_file_beats_default(tmp_path, eddy_factory):
    cfg = tmp_path / "eddy.yaml"
    cfg.write_text("# a dev stack's settings\nshard-limit: 11\nmax-connections: 50\n")
    assert shard_limit(eddy_factory()) == 500
    assert shard_limit(eddy_factory(env={"EDDY_CONFIG": str(cfg)})) == 11
    assert shard_limit(eddy_factory(env={"EDDY_CONFIG": str(cfg), "EDDY_SHARD_LIMIT": "12"})) == 12
    assert shard_limit(eddy_factory("--shard-limit", "13", env={"EDDY_CONFIG": str(cfg),
                                                                "EDDY_SHARD_LIMIT": "12"})) == 13
    # The flag names the file over the variable.
    other = tmp_path / "other.yaml"
    other.write_text("shard_limit: 14\n")
    assert shard_limit(eddy_factory("--config", str(other), env={"EDDY_CONFIG": str(cfg)})) == 14


def test_print_config_shows_each_value_and_its_source(tmp_path):
    cfg = tmp_path / "eddy.yaml"
    cfg.write_text("shard-limit: 11\nregion: eu-west-1\ninit-streams:\n  - orders:4\n  - {name: clicks, mode: on-demand}\n")
    r = run_eddy("--print-config", "--shard-limit", "13", env={"EDDY_CONFIG": str(cfg), "EDDY_REGION": "ap-south-1"})
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "shard-limit: 13  # flag --shard-limit" in lines
    assert 'region: "ap-south-1"  # env EDDY_REGION' in lines
    assert 'init-streams: "orders:4,clicks::on-demand"  # file line 3' in lines
    assert 'host: "127.0.0.1"  # default' in lines
    assert f"# config: {cfg}  # env EDDY_CONFIG" in lines
    # What it prints is a file eddy takes back, to the same effect.
    again = tmp_path / "again.yaml"
    again.write_text(r.stdout)
    r2 = run_eddy("--print-config", "--config", str(again))
    assert r2.returncode == 0, r2.stderr
    strip = lambda text: [l.split("  #")[0] for l in text.splitlines() if not l.startswith("#")]
    assert strip(r2.stdout) == strip(r.stdout)


@pytest.mark.parametrize("args, env, file_text, message", [
    ([], {}, "port: 80\nprot: 81\n", "line 2: unknown key 'prot' (the keys are the flags of --help)"),
    ([], {}, "sync: sometimes\n", "line 1: 'sync' expects always or none, got 'sometimes'"),
    ([], {}, "port: [1, 2]\n", "line 1: 'port' expects a single value"),
    ([], {}, "init-streams: orders:0\n", "line 1: 'init-streams' expects a shard count from 1 to 100000 for orders, got '0'"),
    ([], {"EDDY_MAX_CONNECTIONS": "lots"}, None,
     "eddy: environment variable EDDY_MAX_CONNECTIONS expects an integer from 1 to 1000000, got 'lots'"),
    (["--init-consumers", "orders"], {}, None,
     "eddy: flag --init-consumers expects stream:consumer (names of a-z A-Z 0-9 _ . -), got 'orders'"),
    ([], {"EDDY_TLS_KEY": "/k.pem"}, None,
     "eddy: tls-cert and tls-key go together, but only tls-key is set (env EDDY_TLS_KEY)"),
])
def test_bad_settings_stop_eddy_naming_the_key(tmp_path, args, env, file_text, message):
    env = dict(env)
    if file_text is not None:
        cfg = tmp_path / "eddy.yaml"
        cfg.write_text(file_text)
        env["EDDY_CONFIG"] = str(cfg)
        message = f"eddy: config file {cfg} {message}"
    r = run_eddy("--in-memory", "--port", "0", *args, env=env)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == message + "\n"


def test_init_streams_and_consumers_exist_and_are_active_before_ready(tmp_path, eddy_factory):
    data = tmp_path / "data"
    # Long CREATING delays for ordinary calls: start-up streams must not wait for them.
    args = ("--init-streams", "orders:4,clicks:2:on-demand", "--init-consumers", "orders:analytics",
            "--create-stream-ms", "60000", "--create-consumer-ms", "60000")
    p = eddy_factory(*args, data_dir=data)
    k = make_client(p.endpoint)
    # The first call after the ready line already sees them.
    orders = k.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]
    assert (orders["StreamStatus"], orders["OpenShardCount"]) == ("ACTIVE", 4)
    assert orders["StreamModeDetails"]["StreamMode"] == "PROVISIONED"
    clicks = k.describe_stream_summary(StreamName="clicks")["StreamDescriptionSummary"]
    assert (clicks["StreamStatus"], clicks["OpenShardCount"]) == ("ACTIVE", 2)
    assert clicks["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"
    consumer = k.describe_stream_consumer(StreamARN=orders["StreamARN"], ConsumerName="analytics")
    assert consumer["ConsumerDescription"]["ConsumerStatus"] == "ACTIVE"
    with urllib.request.urlopen(p.endpoint + "/ready", timeout=5) as r:
        assert r.status == 200
    seq = k.put_record(StreamName="orders", Data=b"kept", PartitionKey="a")["SequenceNumber"]
    consumer_arn = consumer["ConsumerDescription"]["ConsumerARN"]
    p.terminate_ok()

    # Idempotent: a restart keeps the streams, their records and the consumer as they were.
    p = eddy_factory(*args, data_dir=data)
    k = make_client(p.endpoint)
    assert k.describe_stream_summary(StreamName="orders")["StreamDescriptionSummary"]["OpenShardCount"] == 4
    found = []
    for shard in k.list_shards(StreamName="orders")["Shards"]:
        it = k.get_shard_iterator(StreamName="orders", ShardId=shard["ShardId"],
                                  ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        found += [r["SequenceNumber"] for r in k.get_records(ShardIterator=it)["Records"]]
    assert found == [seq]
    again = k.describe_stream_consumer(StreamARN=orders["StreamARN"], ConsumerName="analytics")
    assert again["ConsumerDescription"]["ConsumerARN"] == consumer_arn
    p.terminate_ok()

    # A different shard count for an existing stream is reported, not applied.
    p = eddy_factory("--init-streams", "orders:8", data_dir=data)
    assert make_client(p.endpoint).describe_stream_summary(StreamName="orders")[
        "StreamDescriptionSummary"]["OpenShardCount"] == 4
    p.terminate_ok()
    assert "init stream orders exists with 4 open shards (provisioned); left as it is" in p.logs()


@pytest.mark.parametrize("args, message", [
    (["--shard-limit", "3", "--init-streams", "big:4"],
     "cannot create init stream big: This request would exceed the shard limit for the account 000000000000"),
    (["--init-consumers", "nowhere:app"], "cannot register init consumer app: Stream nowhere under account"),
])
def test_init_streams_that_cannot_be_made_stop_eddy(args, message):
    r = run_eddy("--in-memory", "--port", "0", *args)
    assert r.returncode == 1
    assert r.stdout == ""
    assert message in r.stderr


def test_ready_file_holds_the_endpoint_while_ready(tmp_path, eddy_factory):
    ready = tmp_path / "sub" / "eddy.ready"
    ready.parent.mkdir()
    p = eddy_factory("--ready-file", str(ready))
    assert ready.read_text() == p.endpoint + "\n"
    with urllib.request.urlopen(p.endpoint + "/ready", timeout=5) as r:
        assert r.status == 200
    # Nothing but the file itself is left in the folder (the temporary file was renamed).
    assert [f.name for f in ready.parent.iterdir()] == ["eddy.ready"]
    p.terminate_ok()
    assert not ready.exists()


def test_ready_file_lists_the_tls_endpoint_too(tmp_path):
    import os
    ready = tmp_path / "eddy.ready"
    proc = subprocess.Popen([EDDY_BIN, "--in-memory", "--port", "0", "--tls-port", "0", "--ready-file", str(ready)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    try:
        lines = [proc.stdout.readline().decode().strip() for _ in range(2)]
        assert ready.read_text().splitlines() == [l.removeprefix("eddy listening on ") for l in lines]
        assert ready.read_text().splitlines()[1].startswith("https://127.0.0.1:")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    assert not ready.exists()


def test_unwritable_ready_file_fails_the_start(tmp_path):
    r = run_eddy("--in-memory", "--port", "0", "--ready-file", str(tmp_path / "no" / "such" / "dir" / "ready"))
    assert r.returncode == 1
    assert "cannot write --ready-file" in r.stderr


def test_json_log_lines(eddy_factory, stream_name):
    p = eddy_factory("--log-format", "json", "--log-level", "debug")
    k = make_client(p.endpoint)
    k.create_stream(StreamName=stream_name, ShardCount=1)
    with pytest.raises(k.exceptions.ResourceNotFoundException):
        k.describe_stream_summary(StreamName=stream_name + "-missing")
    p.terminate_ok()
    records = [json.loads(line) for line in p.logs().splitlines() if line.strip()]
    assert records, "no log lines"
    for r in records:
        assert set(r) == {"time", "level", "logger", "msg"}
        assert r["time"].endswith("Z")
    msgs = [r["msg"] for r in records]
    assert any(m.startswith("ready in ") for m in msgs)
    # One line per request at debug: the operation, the stream and the outcome.
    assert any("CreateStream" in m and stream_name in m and "200" in m for m in msgs), msgs
    assert any("DescribeStreamSummary" in m and "ResourceNotFoundException" in m for m in msgs), msgs


def test_configuration_reference_is_generated_from_the_option_table():
    from eddy_e2e import REPO_ROOT
    import os
    r = subprocess.run([str(REPO_ROOT / "scripts" / "gen-config-doc.sh"), "--check"], capture_output=True, text=True,
                       env={**os.environ, "EDDY_BIN": EDDY_BIN}, timeout=30)
    assert r.returncode == 0, r.stderr
