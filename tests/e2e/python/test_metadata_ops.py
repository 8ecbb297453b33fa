"""Stream metadata operations through boto3 (HTTP/1.1): retention, tags (stream and ARN-based, on
streams and consumers), enhanced monitoring, encryption, resource policies, account settings, record
size, stream mode, warm throughput and the record distribution strategy.

Every success is checked by reading the state back, every documented error by its AWS type, HTTP
status and message; stored state must survive a restart, and --update-stream-ms must show UPDATING.
UpdateStreamRecordDistributionStrategy is newer than the installed botocore model, so it is sent as a
SigV4-signed request through botocore's own signer and HTTP session.
"""

from __future__ import annotations

import json
import time

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError
from botocore.httpsession import URLLib3Session

from eddy_e2e import ACCESS_KEY, DEFAULT_ACCOUNT, SECRET_KEY, arn_of, make_client, restart, shard_id, unique_name

ALL_METRICS = ["IncomingBytes", "OutgoingRecords", "IteratorAgeMilliseconds", "IncomingRecords",
               "ReadProvisionedThroughputExceeded", "WriteProvisionedThroughputExceeded", "OutgoingBytes"]
MIB = 1024 * 1024


def expect_error(fn, code: str, message: str | None = None, *, contains: str | None = None, **kwargs) -> str:
    with pytest.raises(ClientError) as e:
        fn(**kwargs)
    err = e.value.response["Error"]
    assert err["Code"] == code, err
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    if message is not None:
        assert err["Message"] == message
    if contains is not None:
        assert contains in err["Message"], err["Message"]
    return err["Message"]


def not_found(name: str) -> str:
    return f"Stream {name} under account {DEFAULT_ACCOUNT} not found."


def summary(c, name: str) -> dict:
    return c.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]


def raw_call(endpoint: str, op: str, payload: dict) -> tuple[int, dict]:
    """One SigV4-signed awsJson1.1 call for an operation the installed botocore model does not have."""
    req = AWSRequest(method="POST", url=endpoint + "/", data=json.dumps(payload).encode(),
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": f"Kinesis_20131202.{op}"})
    SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "kinesis", "us-east-1").add_auth(req)
    r = URLLib3Session().send(req.prepare())
    return r.status_code, json.loads(r.content or b"{}")


def wait_for_status(c, name: str, status: str, timeout_s: float = 5.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        s = summary(c, name)
        if s["StreamStatus"] == status:
            return s
        assert time.monotonic() < deadline, f"{name} stayed {s['StreamStatus']}"
        time.sleep(0.02)


# ---- retention -----------------------------------------------------------------------------------

def test_retention_moves_only_the_right_way(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    c.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=36)
    assert summary(c, stream_name)["RetentionPeriodHours"] == 36
    c.decrease_stream_retention_period(StreamARN=arn_of(stream_name), RetentionPeriodHours=24)
    assert summary(c, stream_name)["RetentionPeriodHours"] == 24
    c.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=8760)
    assert c.describe_stream(StreamName=stream_name)["StreamDescription"]["RetentionPeriodHours"] == 8760
    c.decrease_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=100)

    expect_error(c.decrease_stream_retention_period, "InvalidArgumentException",
                 f"Requested retention period (200 hours) for stream {stream_name} can not be longer than existing "
                 "retention period (100 hours). Use IncreaseRetentionPeriod API.",
                 StreamName=stream_name, RetentionPeriodHours=200)
    expect_error(c.increase_stream_retention_period, "InvalidArgumentException",
                 f"Requested retention period (48 hours) for stream {stream_name} can not be shorter than existing "
                 "retention period (100 hours). Use DecreaseRetentionPeriod API.",
                 StreamName=stream_name, RetentionPeriodHours=48)
    # Asking for the current value either way is allowed.
    c.increase_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=100)
    c.decrease_stream_retention_period(StreamName=stream_name, RetentionPeriodHours=100)
    expect_error(c.decrease_stream_retention_period, "InvalidArgumentException",
                 "Minimum allowed retention period is 24 hours. Requested retention period (1 hours) is too short.",
                 StreamName=stream_name, RetentionPeriodHours=1)
    expect_error(c.increase_stream_retention_period, "InvalidArgumentException",
                 "Maximum allowed retention period is 8760 hours. Requested retention period (100000 hours) is too "
                 "long.", StreamName=stream_name, RetentionPeriodHours=100000)
    expect_error(c.increase_stream_retention_period, "ResourceNotFoundException", not_found("nope"),
                 StreamName="nope", RetentionPeriodHours=48)
    expect_error(c.increase_stream_retention_period, "ValidationException",
                 "1 validation error detected: Value null at 'retentionPeriodHours' failed to satisfy constraint: "
                 "Member must not be null", StreamName=stream_name)
    assert summary(c, stream_name)["RetentionPeriodHours"] == 100


# ---- tags ----------------------------------------------------------------------------------------

def test_stream_tags_add_list_page_remove(kinesis, stream_name):
    kinesis.create_stream(StreamName=stream_name, ShardCount=1, Tags={"z": "last", "a": "first"})
    r = kinesis.list_tags_for_stream(StreamName=stream_name)
    assert r["Tags"] == [{"Key": "a", "Value": "first"}, {"Key": "z", "Value": "last"}]
    assert r["HasMoreTags"] is False
    kinesis.add_tags_to_stream(StreamName=stream_name, Tags={"m": "middle", "a": "changed", "empty": ""})
    page = kinesis.list_tags_for_stream(StreamName=stream_name, Limit=3)
    assert [t["Key"] for t in page["Tags"]] == ["a", "empty", "m"]
    assert page["Tags"][0]["Value"] == "changed"
    assert page["HasMoreTags"] is True
    rest = kinesis.list_tags_for_stream(StreamARN=arn_of(stream_name), ExclusiveStartTagKey="m")
    assert rest["Tags"] == [{"Key": "z", "Value": "last"}]
    assert rest["HasMoreTags"] is False
    kinesis.remove_tags_from_stream(StreamName=stream_name, TagKeys=["a", "absent"])
    assert [t["Key"] for t in kinesis.list_tags_for_stream(StreamName=stream_name)["Tags"]] == ["empty", "m", "z"]
    assert kinesis.list_tags_for_resource(ResourceARN=arn_of(stream_name))["Tags"] == \
        kinesis.list_tags_for_stream(StreamName=stream_name)["Tags"]


def test_stream_tag_rules(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    expect_error(c.add_tags_to_stream, "InvalidArgumentException",
                 "Some tags contain invalid characters. Valid characters: Unicode letters, digits, white space, "
                 "_ . / = + - % @ :.", StreamName=stream_name, Tags={"k": "a,b"})
    expect_error(c.add_tags_to_stream, "InvalidArgumentException",
                 f"Failed to add tags to stream {stream_name} under account {DEFAULT_ACCOUNT} because some tags "
                 "contained illegal characters. The allowed characters are Unicode letters, white-spaces, "
                 "'_',',','/','=','+','-','@',':'.", StreamName=stream_name, Tags={"100%": "v"})
    expect_error(c.add_tags_to_stream, "InvalidArgumentException",
                 f"Failed to add tags to stream {stream_name} under account {DEFAULT_ACCOUNT} because tag keys may "
                 "not start with the reserved prefix 'aws:'. Invalid key: AWS:team.",
                 StreamName=stream_name, Tags={"AWS:team": "v"})
    expect_error(c.add_tags_to_stream, "ValidationException",
                 "1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have "
                 "length greater than or equal to 1", StreamName=stream_name, Tags={})
    expect_error(c.remove_tags_from_stream, "ValidationException",
                 contains="at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to 50",
                 StreamName=stream_name, TagKeys=[f"k{i}" for i in range(51)])
    expect_error(c.list_tags_for_stream, "ValidationException",
                 "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have "
                 "value greater than or equal to 1", StreamName=stream_name, Limit=0)
    c.add_tags_to_stream(StreamName=stream_name, Tags={f"t{i:02}": "v" for i in range(50)})
    expect_error(c.add_tags_to_stream, "InvalidArgumentException",
                 f"Failed to add tags to stream {stream_name} under account {DEFAULT_ACCOUNT} because a given stream "
                 "cannot have more than 10 tags associated with it.", StreamName=stream_name, Tags={"one-more": "v"})
    c.add_tags_to_stream(StreamName=stream_name, Tags={"t00": "overwrite is fine"})
    tags = c.list_tags_for_stream(StreamName=stream_name)["Tags"]
    assert len(tags) == 50 and tags[0] == {"Key": "t00", "Value": "overwrite is fine"}
    expect_error(c.create_stream, "InvalidArgumentException",
                 contains="cannot have more than 10 tags associated with it.",
                 StreamName=unique_name(), ShardCount=1, Tags={f"k{i}": "v" for i in range(51)})
    expect_error(c.add_tags_to_stream, "ResourceNotFoundException", not_found("gone"), StreamName="gone",
                 Tags={"a": "b"})


def test_resource_tags_on_streams_and_consumers(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    consumer = c.register_stream_consumer(StreamARN=arn_of(stream_name), ConsumerName="app",
                                          Tags={"owner": "me"})["Consumer"]
    arn = consumer["ConsumerARN"]
    assert c.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "owner", "Value": "me"}]
    c.tag_resource(ResourceARN=arn, Tags={"env": "prod"})
    c.tag_resource(ResourceARN=arn_of(stream_name), Tags={"kind": "stream"})
    assert c.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "prod"},
                                                                 {"Key": "owner", "Value": "me"}]
    assert c.list_tags_for_stream(StreamName=stream_name)["Tags"] == [{"Key": "kind", "Value": "stream"}]
    c.untag_resource(ResourceARN=arn, TagKeys=["owner"])
    assert c.list_tags_for_resource(ResourceARN=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    c.untag_resource(ResourceARN=arn_of(stream_name), TagKeys=["kind"])
    assert c.list_tags_for_resource(ResourceARN=arn_of(stream_name))["Tags"] == []

    expect_error(c.tag_resource, "InvalidArgumentException",
                 f"Failed to add tags to consumer app of stream {stream_name} under account {DEFAULT_ACCOUNT} "
                 "because a given consumer cannot have more than 10 tags associated with it.",
                 ResourceARN=arn, Tags={f"k{i}": "v" for i in range(50)})
    expect_error(c.untag_resource, "InvalidArgumentException",
                 f"Failed to remove tags from consumer app of stream {stream_name} under account {DEFAULT_ACCOUNT} "
                 "because some tags contained illegal characters. The allowed characters are Unicode letters, "
                 "white-spaces, '_',',','/','=','+','-','@',':'.", ResourceARN=arn, TagKeys=["a%"])
    expect_error(c.tag_resource, "ResourceNotFoundException",
                 f"Consumer nobody under stream {stream_name} and account {DEFAULT_ACCOUNT} not found.",
                 ResourceARN=f"{arn_of(stream_name)}/consumer/nobody:1", Tags={"a": "b"})
    expect_error(c.list_tags_for_resource, "ResourceNotFoundException", not_found("absent"),
                 ResourceARN=arn_of("absent"))
    expect_error(c.list_tags_for_resource, "ValidationException",
                 contains="at 'resourceARN' failed to satisfy constraint: Member must satisfy regular expression "
                          "pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+",
                 ResourceARN="arn:aws:sqs:us-east-1:000000000000:queue")
    expect_error(c.register_stream_consumer, "InvalidArgumentException",
                 contains="some tags contained illegal characters", StreamARN=arn_of(stream_name),
                 ConsumerName="other", Tags={"a%": "b"})
    assert [x["ConsumerName"] for x in c.list_stream_consumers(StreamARN=arn_of(stream_name))["Consumers"]] == ["app"]


# ---- enhanced monitoring -------------------------------------------------------------------------

def test_enhanced_monitoring(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    r = c.enable_enhanced_monitoring(StreamName=stream_name, ShardLevelMetrics=["ALL"])
    assert r["StreamName"] == stream_name and r["StreamARN"] == arn_of(stream_name)
    assert r["CurrentShardLevelMetrics"] == [] and r["DesiredShardLevelMetrics"] == ALL_METRICS
    assert c.describe_stream(StreamName=stream_name)["StreamDescription"]["EnhancedMonitoring"] == \
        [{"ShardLevelMetrics": ALL_METRICS}]
    r = c.disable_enhanced_monitoring(StreamARN=arn_of(stream_name), ShardLevelMetrics=["OutgoingBytes", "IncomingBytes"])
    assert r["CurrentShardLevelMetrics"] == ALL_METRICS
    assert r["DesiredShardLevelMetrics"] == [m for m in ALL_METRICS if m not in ("OutgoingBytes", "IncomingBytes")]
    r = c.enable_enhanced_monitoring(StreamName=stream_name, ShardLevelMetrics=["IncomingBytes"])
    assert r["DesiredShardLevelMetrics"] == [m for m in ALL_METRICS if m != "OutgoingBytes"]
    assert summary(c, stream_name)["EnhancedMonitoring"] == [{"ShardLevelMetrics": r["DesiredShardLevelMetrics"]}]
    expect_error(c.enable_enhanced_monitoring, "ValidationException",
                 contains="at 'shardLevelMetrics' failed to satisfy constraint: Member must have length less than or "
                          "equal to 7", StreamName=stream_name, ShardLevelMetrics=["IncomingBytes"] * 8)
    expect_error(c.disable_enhanced_monitoring, "ResourceNotFoundException", not_found("nope"), StreamName="nope",
                 ShardLevelMetrics=["ALL"])


# ---- encryption ----------------------------------------------------------------------------------

def test_encryption_marks_records(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    assert "EncryptionType" not in c.put_record(StreamName=stream_name, Data=b"plain", PartitionKey="k")
    key = "arn:aws:kms:us-east-1:000000000000:key/12345678-1234-1234-1234-123456789012"
    c.start_stream_encryption(StreamName=stream_name, EncryptionType="KMS", KeyId=key)
    d = c.describe_stream(StreamName=stream_name)["StreamDescription"]
    assert d["EncryptionType"] == "KMS" and d["KeyId"] == key
    assert c.put_record(StreamName=stream_name, Data=b"secret", PartitionKey="k")["EncryptionType"] == "KMS"
    assert c.put_records(StreamName=stream_name, Records=[{"Data": b"s2", "PartitionKey": "k"}])["EncryptionType"] == "KMS"
    it = c.get_shard_iterator(StreamName=stream_name, ShardId=shard_id(0), ShardIteratorType="TRIM_HORIZON")
    records = c.get_records(ShardIterator=it["ShardIterator"])["Records"]
    assert [r["Data"] for r in records][-2:] == [b"secret", b"s2"]
    assert records[-1]["EncryptionType"] == "KMS"

    expect_error(c.stop_stream_encryption, "InvalidArgumentException",
                 "Invalid EncryptionType NONE for StopStreamEncryption. The only valid value is KMS.",
                 StreamName=stream_name, EncryptionType="NONE", KeyId=key)
    expect_error(c.start_stream_encryption, "ValidationException",
                 "1 validation error detected: Value 'AES' at 'encryptionType' failed to satisfy constraint: Member "
                 "must satisfy enum value set: [NONE, KMS]", StreamName=stream_name, EncryptionType="AES", KeyId=key)
    expect_error(c.start_stream_encryption, "ResourceNotFoundException", not_found("nope"), StreamName="nope",
                 EncryptionType="KMS", KeyId=key)
    c.stop_stream_encryption(StreamName=stream_name, EncryptionType="KMS", KeyId=key)
    s = summary(c, stream_name)
    assert s["EncryptionType"] == "NONE" and "KeyId" not in s
    assert "EncryptionType" not in c.put_record(StreamName=stream_name, Data=b"again", PartitionKey="k")


# ---- resource policies ---------------------------------------------------------------------------

def test_resource_policies(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    consumer_arn = c.register_stream_consumer(StreamARN=arn_of(stream_name), ConsumerName="c")["Consumer"]["ConsumerARN"]
    policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kinesis:GetRecords",
                                                                  "Principal": {"AWS": "123456789012"},
                                                                  "Resource": consumer_arn}]})
    assert c.get_resource_policy(ResourceARN=consumer_arn)["Policy"] == "{}"
    c.put_resource_policy(ResourceARN=consumer_arn, Policy=policy)
    assert c.get_resource_policy(ResourceARN=consumer_arn)["Policy"] == policy
    assert c.get_resource_policy(ResourceARN=arn_of(stream_name))["Policy"] == "{}"
    c.put_resource_policy(ResourceARN=arn_of(stream_name), Policy='{"Statement": []}')
    c.put_resource_policy(ResourceARN=arn_of(stream_name), Policy='{"Id": "replaced"}')
    assert c.get_resource_policy(ResourceARN=arn_of(stream_name))["Policy"] == '{"Id": "replaced"}'
    c.delete_resource_policy(ResourceARN=consumer_arn)
    assert c.get_resource_policy(ResourceARN=consumer_arn)["Policy"] == "{}"
    expect_error(c.delete_resource_policy, "ResourceNotFoundException",
                 f"No resource policy found for resource ARN {consumer_arn}", ResourceARN=consumer_arn)
    expect_error(c.put_resource_policy, "InvalidArgumentException",
                 f"Policy for {arn_of(stream_name)} is not a valid JSON policy document.",
                 ResourceARN=arn_of(stream_name), Policy="[1, 2]")
    expect_error(c.put_resource_policy, "ValidationException",
                 "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not "
                 "be null", ResourceARN=arn_of(stream_name))
    expect_error(c.get_resource_policy, "ResourceNotFoundException", not_found("missing"),
                 ResourceARN=arn_of("missing"))
    # Deregistering drops the consumer's policy with it: a new registration starts clean.
    c.put_resource_policy(ResourceARN=consumer_arn, Policy=policy)
    c.deregister_stream_consumer(ConsumerARN=consumer_arn)
    expect_error(c.get_resource_policy, "ResourceNotFoundException",
                 f"Consumer c under stream {stream_name} and account {DEFAULT_ACCOUNT} not found.",
                 ResourceARN=consumer_arn)


# ---- account settings and warm throughput -------------------------------------------------------

def test_account_settings_and_warm_throughput(eddy_factory):
    p = eddy_factory()
    c = make_client(p.endpoint, validate=False)
    name = unique_name("od")
    c.create_stream(StreamName=name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    commitment = c.describe_account_settings()["MinimumThroughputBillingCommitment"]
    assert commitment == {"Status": "DISABLED"}
    expect_error(c.update_stream_warm_throughput, "InvalidArgumentException",
                 f"Warm throughput requires MinimumThroughputBillingCommitment to be enabled for account "
                 f"{DEFAULT_ACCOUNT}.", StreamName=name, WarmThroughputMiBps=64)

    on = c.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
    on = on["MinimumThroughputBillingCommitment"]
    assert on["Status"] == "ENABLED"
    assert (on["EarliestAllowedEndAt"] - on["StartedAt"]).total_seconds() == 24 * 3600
    assert "EndedAt" not in on
    r = c.update_stream_warm_throughput(StreamARN=arn_of(name), WarmThroughputMiBps=64)
    assert r["StreamName"] == name and r["StreamARN"] == arn_of(name)
    assert r["WarmThroughput"] == {"TargetMiBps": 64, "CurrentMiBps": 64}
    assert summary(c, name)["WarmThroughput"] == {"TargetMiBps": 64, "CurrentMiBps": 64}
    expect_error(c.update_stream_warm_throughput, "LimitExceededException",
                 f"Requested warm throughput of 20000 MiBps for stream {name} under account {DEFAULT_ACCOUNT} exceeds "
                 "the limit of 10240 MiBps.", StreamName=name, WarmThroughputMiBps=20000)
    expect_error(c.update_stream_warm_throughput, "ValidationException",
                 "1 validation error detected: Value null at 'warmThroughputMiBps' failed to satisfy constraint: "
                 "Member must not be null", StreamName=name)
    prov = unique_name("prov")
    c.create_stream(StreamName=prov, ShardCount=1)
    expect_error(c.update_stream_warm_throughput, "InvalidArgumentException",
                 f"Warm throughput can only be configured for streams in ON_DEMAND mode. Stream {prov} under account "
                 f"{DEFAULT_ACCOUNT} is in PROVISIONED mode.", StreamName=prov, WarmThroughputMiBps=1)
    assert "WarmThroughput" not in summary(c, prov)

    off = c.update_account_settings(MinimumThroughputBillingCommitment={"Status": "DISABLED"})
    off = off["MinimumThroughputBillingCommitment"]
    assert off["Status"] == "ENABLED_UNTIL_EARLIEST_ALLOWED_END"
    assert off["EndedAt"] == on["EarliestAllowedEndAt"] and off["StartedAt"] == on["StartedAt"]
    expect_error(c.update_account_settings, "ValidationException",
                 "1 validation error detected: Value null at 'minimumThroughputBillingCommitment' failed to satisfy "
                 "constraint: Member must not be null")
    # Settings belong to one account and region.
    assert make_client(p.endpoint, region="eu-west-1").describe_account_settings()[
        "MinimumThroughputBillingCommitment"] == {"Status": "DISABLED"}


# ---- record size ---------------------------------------------------------------------------------

def test_update_max_record_size_admits_10_mib_records(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=1)
    big = bytes(range(256)) * (10 * MIB // 256 - 1)  # just under 10 MiB
    expect_error(c.put_record, "ValidationException",
                 f"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim={len(big)} cap={len(big)}]' "
                 "at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
                 StreamName=stream_name, Data=big, PartitionKey="k")
    c.update_max_record_size(StreamARN=arn_of(stream_name), MaxRecordSizeInKiB=10240)
    assert summary(c, stream_name)["MaxRecordSizeInKiB"] == 10240
    seq = c.put_record(StreamName=stream_name, Data=big, PartitionKey="k")["SequenceNumber"]
    r = c.put_records(StreamName=stream_name, Records=[{"Data": big[: 5 * MIB], "PartitionKey": "a"},
                                                       {"Data": big[: 4 * MIB], "PartitionKey": "b"}])
    assert r["FailedRecordCount"] == 0
    it = c.get_shard_iterator(StreamName=stream_name, ShardId=shard_id(0), ShardIteratorType="AT_SEQUENCE_NUMBER",
                              StartingSequenceNumber=seq)["ShardIterator"]
    got = c.get_records(ShardIterator=it, Limit=1)["Records"]
    assert got[0]["Data"] == big

    c.update_max_record_size(StreamARN=arn_of(stream_name), MaxRecordSizeInKiB=2048)
    expect_error(c.put_record, "ValidationException", contains="Member must have length less than or equal to 2097152",
                 StreamName=stream_name, Data=big[: 2 * MIB + 1], PartitionKey="k")
    expect_error(c.update_max_record_size, "ValidationException",
                 "1 validation error detected: Value '512' at 'maxRecordSizeInKiB' failed to satisfy constraint: "
                 "Member must have value greater than or equal to 1024",
                 StreamARN=arn_of(stream_name), MaxRecordSizeInKiB=512)
    # The model names no StreamName member here: a name alone does not say which stream.
    expect_error(c.update_max_record_size, "InvalidArgumentException",
                 "Either StreamName or StreamARN should be provided.", MaxRecordSizeInKiB=2048)
    expect_error(c.update_max_record_size, "ResourceNotFoundException", not_found("nope"),
                 StreamARN=arn_of("nope"), MaxRecordSizeInKiB=2048)


# ---- stream mode and record distribution ---------------------------------------------------------

def test_update_stream_mode(raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, ShardCount=3)
    c.update_stream_mode(StreamARN=arn_of(stream_name), StreamModeDetails={"StreamMode": "ON_DEMAND"})
    s = summary(c, stream_name)
    assert s["StreamModeDetails"] == {"StreamMode": "ON_DEMAND"} and s["OpenShardCount"] == 3
    expect_error(c.update_stream_mode, "InvalidArgumentException",
                 f"Stream {stream_name} under account {DEFAULT_ACCOUNT} is already in ON_DEMAND mode.",
                 StreamARN=arn_of(stream_name), StreamModeDetails={"StreamMode": "ON_DEMAND"})
    c.update_stream_mode(StreamARN=arn_of(stream_name), StreamModeDetails={"StreamMode": "PROVISIONED"})
    assert summary(c, stream_name)["StreamModeDetails"] == {"StreamMode": "PROVISIONED"}
    expect_error(c.update_stream_mode, "InvalidArgumentException",
                 contains="requires MinimumThroughputBillingCommitment to be enabled",
                 StreamARN=arn_of(stream_name), StreamModeDetails={"StreamMode": "ON_DEMAND"}, WarmThroughputMiBps=10)
    expect_error(c.update_stream_mode, "ValidationException",
                 "1 validation error detected: Value 'BURST' at 'streamModeDetails.streamMode' failed to satisfy "
                 "constraint: Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]",
                 StreamARN=arn_of(stream_name), StreamModeDetails={"StreamMode": "BURST"})
    expect_error(c.update_stream_mode, "ResourceNotFoundException", not_found("nope"),
                 StreamARN=arn_of("nope"), StreamModeDetails={"StreamMode": "ON_DEMAND"})


def test_on_demand_stream_limit_applies_to_mode_switches(eddy_factory):
    p = eddy_factory()
    c = make_client(p.endpoint, validate=False)
    # Fill the account's on-demand allowance (50), then switching one more stream is over it.
    for i in range(50):
        c.create_stream(StreamName=f"od-{i}", StreamModeDetails={"StreamMode": "ON_DEMAND"}, ShardCount=1)
    c.create_stream(StreamName="prov", ShardCount=1)
    expect_error(c.update_stream_mode, "LimitExceededException",
                 f"This request would exceed the on-demand stream count limit of 50 for the account "
                 f"{DEFAULT_ACCOUNT} in us-east-1.", StreamARN=arn_of("prov"),
                 StreamModeDetails={"StreamMode": "ON_DEMAND"})


def test_record_distribution_strategy(endpoint, raw_kinesis, stream_name):
    c = raw_kinesis
    c.create_stream(StreamName=stream_name, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    status, body = raw_call(endpoint, "UpdateStreamRecordDistributionStrategy",
                            {"StreamARN": arn_of(stream_name), "RecordDistributionStrategy": "AUTO"})
    assert (status, body) == (200, {})
    status, body = raw_call(endpoint, "DescribeStreamSummary", {"StreamName": stream_name})
    assert body["StreamDescriptionSummary"]["RecordDistributionStrategy"] == "AUTO"
    shards = set()
    for _ in range(6):
        r = c.put_records(StreamName=stream_name, Records=[{"Data": b"x", "PartitionKey": "one-key"}] * 50)
        shards |= {x["ShardId"] for x in r["Records"]}
    assert shards == {shard_id(i) for i in range(4)}
    assert c.put_record(StreamName=stream_name, Data=b"keyless")["ShardId"].startswith("shardId-")

    status, _ = raw_call(endpoint, "UpdateStreamRecordDistributionStrategy",
                         {"StreamARN": arn_of(stream_name), "RecordDistributionStrategy": "USER_PARTITION_KEY"})
    assert status == 200
    first = c.put_record(StreamName=stream_name, Data=b"1", PartitionKey="pk")["ShardId"]
    assert {c.put_record(StreamName=stream_name, Data=b"n", PartitionKey="pk")["ShardId"] for _ in range(5)} == {first}
    expect_error(c.put_record, "ValidationException",
                 "1 validation error detected: Value null at 'partitionKey' failed to satisfy constraint: Member must "
                 "not be null", StreamName=stream_name, Data=b"keyless")

    prov = unique_name("prov")
    c.create_stream(StreamName=prov, ShardCount=1)
    status, body = raw_call(endpoint, "UpdateStreamRecordDistributionStrategy",
                            {"StreamARN": arn_of(prov), "RecordDistributionStrategy": "AUTO"})
    assert status == 400
    assert body == {"__type": "InvalidArgumentException",
                    "message": "The AUTO record distribution strategy is only supported for streams in ON_DEMAND "
                               f"mode. Stream {prov} under account {DEFAULT_ACCOUNT} is in PROVISIONED mode."}
    status, body = raw_call(endpoint, "UpdateStreamRecordDistributionStrategy", {"StreamARN": arn_of(prov)})
    assert status == 400 and body["__type"] == "ValidationException"
    assert body["message"] == ("1 validation error detected: Value null at 'recordDistributionStrategy' failed to "
                               "satisfy constraint: Member must not be null")
    status, body = raw_call(endpoint, "UpdateStreamRecordDistributionStrategy",
                            {"StreamARN": arn_of("nope"), "RecordDistributionStrategy": "AUTO"})
    assert (status, body) == (400, {"__type": "ResourceNotFoundException", "message": not_found("nope")})


# ---- UPDATING and restarts -----------------------------------------------------------------------

def test_updates_show_updating_then_apply(eddy_factory):
    p = eddy_factory("--update-stream-ms", "300")
    c = make_client(p.endpoint, validate=False)
    name = unique_name("upd")
    c.create_stream(StreamName=name, ShardCount=1)
    steps = [
        (lambda: c.decrease_stream_retention_period(StreamName=name, RetentionPeriodHours=24), None),
        (lambda: c.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=200),
         lambda s: s["RetentionPeriodHours"] == 200),
        (lambda: c.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/x"),
         lambda s: s["EncryptionType"] == "KMS"),
        (lambda: c.disable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["ALL"]), None),
        (lambda: c.update_max_record_size(StreamARN=arn_of(name), MaxRecordSizeInKiB=3000),
         lambda s: s["MaxRecordSizeInKiB"] == 3000),
        (lambda: c.update_stream_mode(StreamARN=arn_of(name), StreamModeDetails={"StreamMode": "ON_DEMAND"}),
         lambda s: s["StreamModeDetails"]["StreamMode"] == "ON_DEMAND"),
    ]
    for call, applied in steps:
        call()
        during = summary(c, name)
        assert during["StreamStatus"] == "UPDATING"
        if applied:
            assert not applied(during)
        # Reads and writes go on; another update must wait for ACTIVE.
        c.put_record(StreamName=name, Data=b"during", PartitionKey="k")
        expect_error(c.enable_enhanced_monitoring, "ResourceInUseException",
                     f"Stream {name} under account {DEFAULT_ACCOUNT} not ACTIVE, instead in state UPDATING",
                     StreamName=name, ShardLevelMetrics=["ALL"])
        done = wait_for_status(c, name, "ACTIVE")
        if applied:
            assert applied(done)
    assert c.put_record(StreamName=name, Data=b"after", PartitionKey="k")["EncryptionType"] == "KMS"


def test_metadata_survives_restart(eddy_factory, tmp_path):
    p = eddy_factory(data_dir=tmp_path / "data")
    c = make_client(p.endpoint)
    name = unique_name("keep")
    c.create_stream(StreamName=name, ShardCount=2, Tags={"created": "yes"})
    consumer_arn = c.register_stream_consumer(StreamARN=arn_of(name), ConsumerName="c",
                                              Tags={"consumer": "tag"})["Consumer"]["ConsumerARN"]
    c.add_tags_to_stream(StreamName=name, Tags={"added": "later"})
    c.increase_stream_retention_period(StreamName=name, RetentionPeriodHours=720)
    c.enable_enhanced_monitoring(StreamName=name, ShardLevelMetrics=["IncomingRecords", "OutgoingBytes"])
    c.start_stream_encryption(StreamName=name, EncryptionType="KMS", KeyId="alias/aws/kinesis")
    c.put_resource_policy(ResourceARN=arn_of(name), Policy='{"Id":"stream"}')
    c.put_resource_policy(ResourceARN=consumer_arn, Policy='{"Id":"consumer"}')
    c.update_max_record_size(StreamARN=arn_of(name), MaxRecordSizeInKiB=8192)
    settings = c.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})[
        "MinimumThroughputBillingCommitment"]
    c.update_stream_mode(StreamARN=arn_of(name), StreamModeDetails={"StreamMode": "ON_DEMAND"},
                         WarmThroughputMiBps=32)
    before = summary(c, name)

    assert p.stop() == 0
    restart(p)
    c = make_client(p.endpoint)
    after = summary(c, name)
    assert after == before
    assert after["RetentionPeriodHours"] == 720 and after["MaxRecordSizeInKiB"] == 8192
    assert after["EnhancedMonitoring"] == [{"ShardLevelMetrics": ["IncomingRecords", "OutgoingBytes"]}]
    assert after["EncryptionType"] == "KMS" and after["WarmThroughput"] == {"TargetMiBps": 32, "CurrentMiBps": 32}
    assert c.list_tags_for_stream(StreamName=name)["Tags"] == [{"Key": "added", "Value": "later"},
                                                               {"Key": "created", "Value": "yes"}]
    assert c.list_tags_for_resource(ResourceARN=consumer_arn)["Tags"] == [{"Key": "consumer", "Value": "tag"}]
    assert c.get_resource_policy(ResourceARN=arn_of(name))["Policy"] == '{"Id":"stream"}'
    assert c.get_resource_policy(ResourceARN=consumer_arn)["Policy"] == '{"Id":"consumer"}'
    assert c.describe_account_settings()["MinimumThroughputBillingCommitment"] == settings
    assert c.put_record(StreamName=name, Data=b"x" * (5 * MIB), PartitionKey="k")["EncryptionType"] == "KMS"
