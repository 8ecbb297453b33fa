"""The ``aws kinesis`` command line against eddy (subprocess, ``--endpoint-url``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from eddy_e2e import cli_environment, DEFAULT_ACCOUNT, arn_of, expected_ranges, fresh_account, shard_id, unique_name

AWS = shutil.which("aws")

pytestmark = pytest.mark.usefixtures("cli_installed")


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    return cli_environment(tmp_path_factory.mktemp("aws-home"), AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
                           AWS_SECRET_ACCESS_KEY="x")


@pytest.fixture
def aws(endpoint, cli_env):
    """``aws('create-stream', '--stream-name', n, ...)`` -> CompletedProcess; ``check`` parses JSON stdout."""

    def run(*args: str, env_extra: dict | None = None, check: bool = True):
        env = dict(cli_env)
        env.update(env_extra or {})
        p = subprocess.run([AWS, "--endpoint-url", endpoint, "kinesis", *args],
                           capture_output=True, text=True, env=env, timeout=120)
        if check:
            assert p.returncode == 0, f"aws kinesis {' '.join(args)} -> {p.returncode}\n{p.stderr}"
            return json.loads(p.stdout) if p.stdout.strip() else {}
        return p

    return run


def test_cli_create_describe_summary_and_delete(aws):
    name = unique_name("cli")
    assert aws("create-stream", "--stream-name", name, "--shard-count", "3") == {}
    s = aws("describe-stream-summary", "--stream-name", name)["StreamDescriptionSummary"]
    assert s["StreamName"] == name
    assert s["StreamARN"] == arn_of(name)
    assert s["StreamStatus"] == "ACTIVE"
    assert s["OpenShardCount"] == 3
    assert s["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    assert s["RetentionPeriodHours"] == 24

    d = aws("describe-stream", "--stream-name", name)["StreamDescription"]
    assert [x["ShardId"] for x in d["Shards"]] == [shard_id(i) for i in range(3)]

    assert aws("delete-stream", "--stream-name", name) == {}
    p = aws("describe-stream-summary", "--stream-name", name, check=False)
    assert p.returncode in (254, 255), p
    assert "ResourceNotFoundException" in p.stderr


def test_cli_create_on_demand(aws):
    name = unique_name("cli")
    aws("create-stream", "--stream-name", name, "--stream-mode-details", "StreamMode=ON_DEMAND")
    s = aws("describe-stream-summary", "--stream-name", name)["StreamDescriptionSummary"]
    assert s["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"}
    assert s["OpenShardCount"] == 4


def test_cli_list_streams(aws):
    acct = fresh_account()
    env = {"AWS_ACCESS_KEY_ID": acct}
    names = sorted(unique_name("cli") for _ in range(3))
    for n in names:
        aws("create-stream", "--stream-name", n, "--shard-count", "1", env_extra=env)
    out = aws("list-streams", env_extra=env)
    assert out["StreamNames"] == names
    assert [s["StreamName"] for s in out["StreamSummaries"]] == names
    assert all(s["StreamARN"] == arn_of(s["StreamName"], acct) for s in out["StreamSummaries"])
    # The CLI's own pagination (Limit + NextToken under the hood) gathers every page.
    out = aws("list-streams", "--page-size", "1", env_extra=env)
    assert out["StreamNames"] == names
    # One page at a time.
    out = aws("list-streams", "--max-items", "2", env_extra=env)
    assert out["StreamNames"] == names[:2]
    assert out.get("NextToken")
    out2 = aws("list-streams", "--starting-token", out["NextToken"], env_extra=env)
    assert out2["StreamNames"] == names[2:]
    # Without the CLI's paging: the raw API answer.
    out = aws("list-streams", "--no-paginate", "--limit", "2", env_extra=env)
    assert out["StreamNames"] == names[:2]
    assert out["HasMoreStreams"] is True


def test_cli_list_shards(aws):
    name = unique_name("cli")
    aws("create-stream", "--stream-name", name, "--shard-count", "5")
    out = aws("list-shards", "--stream-name", name)
    assert [s["ShardId"] for s in out["Shards"]] == [shard_id(i) for i in range(5)]
    got = [(int(s["HashKeyRange"]["StartingHashKey"]), int(s["HashKeyRange"]["EndingHashKey"]))
           for s in out["Shards"]]
    assert got == expected_ranges(5)
    out = aws("list-shards", "--stream-name", name, "--exclusive-start-shard-id", shard_id(2))
    assert [s["ShardId"] for s in out["Shards"]] == [shard_id(3), shard_id(4)]
    out = aws("list-shards", "--stream-name", name, "--shard-filter", f"Type=AFTER_SHARD_ID,ShardId={shard_id(3)}")
    assert [s["ShardId"] for s in out["Shards"]] == [shard_id(4)]
    out = aws("list-shards", "--stream-arn", arn_of(name))
    assert len(out["Shards"]) == 5


def test_cli_list_shards_paging_by_hand(aws):
    name = unique_name("cli")
    aws("create-stream", "--stream-name", name, "--shard-count", "3")
    page = aws("list-shards", "--no-paginate", "--stream-name", name, "--max-results", "2")
    assert [s["ShardId"] for s in page["Shards"]] == [shard_id(0), shard_id(1)]
    token = page["NextToken"]
    page = aws("list-shards", "--no-paginate", "--next-token", token)
    assert [s["ShardId"] for s in page["Shards"]] == [shard_id(2)]
    assert "NextToken" not in page


def test_cli_describe_limits(aws):
    acct = fresh_account()
    env = {"AWS_ACCESS_KEY_ID": acct}
    out = aws("describe-limits", env_extra=env)
    assert out["ShardLimit"] == 500
    assert out["OpenShardCount"] == 0
    assert out["OnDemandStreamCount"] == 0
    assert out["OnDemandStreamCountLimit"] == 50
    aws("create-stream", "--stream-name", unique_name("cli"), "--shard-count", "6", env_extra=env)
    assert aws("describe-limits", env_extra=env)["OpenShardCount"] == 6


def test_cli_region_flag(aws):
    name = unique_name("cli")
    aws("create-stream", "--stream-name", name, "--shard-count", "1", "--region", "eu-west-1")
    s = aws("describe-stream-summary", "--stream-name", name, "--region", "eu-west-1")["StreamDescriptionSummary"]
    assert s["StreamARN"] == arn_of(name, region="eu-west-1")
    p = aws("describe-stream-summary", "--stream-name", name, check=False)
    assert p.returncode in (254, 255)


def test_cli_error_missing_stream(aws):
    name = unique_name("cli")
    p = aws("delete-stream", "--stream-name", name, check=False)
    assert p.returncode in (254, 255), (p.returncode, p.stderr)
    assert p.stdout == ""
    assert "ResourceNotFoundException" in p.stderr
    assert "DeleteStream" in p.stderr
    assert f"Stream {name} under account {DEFAULT_ACCOUNT} not found." in p.stderr


def test_cli_error_duplicate_stream(aws):
    name = unique_name("cli")
    aws("create-stream", "--stream-name", name, "--shard-count", "1")
    p = aws("create-stream", "--stream-name", name, "--shard-count", "1", check=False)
    assert p.returncode in (254, 255), (p.returncode, p.stderr)
    assert "ResourceInUseException" in p.stderr
    assert f"Stream {name} under account {DEFAULT_ACCOUNT} already exists." in p.stderr


def test_cli_error_list_shards_garbage_token(aws):
    p = aws("list-shards", "--no-paginate", "--next-token", "garbage", check=False)
    assert p.returncode in (254, 255), (p.returncode, p.stderr)
    assert "InvalidArgumentException" in p.stderr
    assert "Invalid NextToken." in p.stderr
