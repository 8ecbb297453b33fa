"""Stream consumers through boto3 (HTTP/1.1) and the AWS CLI."""
import json
import subprocess

import pytest
from botocore.exceptions import ClientError

from eddy_e2e import arn_of, cli_environment


def error_of(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def test_boto3_consumer_lifecycle(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=2)
    stream_arn = arn_of(stream_name)
    c = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")["Consumer"]
    assert c["ConsumerARN"].startswith(stream_arn + "/consumer/reader:")
    assert c["ConsumerStatus"] == "ACTIVE"
    d = kinesis.describe_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")["ConsumerDescription"]
    assert d["ConsumerARN"] == c["ConsumerARN"] and d["StreamARN"] == stream_arn
    assert d["ConsumerCreationTimestamp"] == c["ConsumerCreationTimestamp"]
    listed = kinesis.list_stream_consumers(StreamARN=stream_arn)["Consumers"]
    assert [x["ConsumerName"] for x in listed] == ["reader"]
    assert kinesis.describe_stream_summary(StreamName=stream_name)["StreamDescriptionSummary"]["ConsumerCount"] == 1

    with pytest.raises(ClientError) as e:
        kinesis.delete_stream(StreamName=stream_name)
    assert error_of(e)[0] == "ResourceInUseException"
    kinesis.deregister_stream_consumer(ConsumerARN=c["ConsumerARN"])
    with pytest.raises(ClientError) as e:
        kinesis.describe_stream_consumer(ConsumerARN=c["ConsumerARN"])
    assert error_of(e) == ("ResourceNotFoundException",
                           f"Consumer reader under stream {stream_name} and account 000000000000 not found.")
    kinesis.delete_stream(StreamName=stream_name)  # no consumers left: no EnforceConsumerDeletion needed


def test_boto3_consumer_validation_and_missing_stream(raw_kinesis, stream_name):
    with pytest.raises(ClientError) as e:
        raw_kinesis.register_stream_consumer(StreamARN=arn_of(stream_name), ConsumerName="bad name")
    assert error_of(e)[0] == "ValidationException"
    assert "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+" in error_of(e)[1]
    with pytest.raises(ClientError) as e:
        raw_kinesis.register_stream_consumer(StreamARN=arn_of(stream_name), ConsumerName="ok")
    assert error_of(e) == ("ResourceNotFoundException", f"Stream {stream_name} under account 000000000000 not found.")


def test_cli_registers_and_lists_consumers(endpoint, kinesis, stream_name, tmp_path, cli_installed):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1)
    env = cli_environment(tmp_path, AWS_ACCESS_KEY_ID="AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY="x")
    aws = ["aws", "--endpoint-url", endpoint, "kinesis"]
    reg = subprocess.run(aws + ["register-stream-consumer", "--stream-arn", arn_of(stream_name), "--consumer-name", "cli"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert reg.returncode == 0, reg.stderr
    arn = json.loads(reg.stdout)["Consumer"]["ConsumerARN"]
    out = subprocess.run(aws + ["list-stream-consumers", "--stream-arn", arn_of(stream_name)], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert [c["ConsumerARN"] for c in json.loads(out.stdout)["Consumers"]] == [arn]
