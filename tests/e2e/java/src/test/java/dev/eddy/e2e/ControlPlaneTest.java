package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.*;

/** Stream lifecycle and listing through the sync client: every member as the SDK decodes it. */
class ControlPlaneTest extends EddyTest {
  static final String ACCOUNT = "000000000000";
  static final BigInteger MAX_HASH = BigInteger.TWO.pow(128).subtract(BigInteger.ONE);

  static String arn(String name) {
    return "arn:aws:kinesis:us-east-1:" + ACCOUNT + ":stream/" + name;
  }

  @Test
  void createDescribeAndDelete() {
    String name = unique("life");
    long before = System.currentTimeMillis();
    kinesis.createStream(b -> b.streamName(name).shardCount(3)
        .streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED)).tags(Map.of("team", "java")));
    long after = System.currentTimeMillis();
    awaitActive(name);

    StreamDescription d = kinesis.describeStream(b -> b.streamName(name)).streamDescription();
    assertEquals(name, d.streamName());
    assertEquals(arn(name), d.streamARN());
    assertEquals(StreamStatus.ACTIVE, d.streamStatus());
    assertEquals(StreamMode.PROVISIONED, d.streamModeDetails().streamMode());
    assertEquals(24, d.retentionPeriodHours());
    assertEquals(EncryptionType.NONE, d.encryptionType());
    assertFalse(d.hasMoreShards());
    long created = d.streamCreationTimestamp().toEpochMilli();
    assertTrue(created >= before && created <= after,
        "StreamCreationTimestamp " + d.streamCreationTimestamp() + " within the CreateStream call [" + Instant.ofEpochMilli(before) + ", " + Instant.ofEpochMilli(after) + "]");

    // Three shards cover the hash space without gaps, the last ends at 2^128-1.
    assertEquals(3, d.shards().size());
    BigInteger next = BigInteger.ZERO;
    for (int i = 0; i < 3; i++) {
      Shard s = d.shards().get(i);
      assertEquals(String.format("shardId-%012d", i), s.shardId());
      assertNull(s.parentShardId());
      assertEquals(next, new BigInteger(s.hashKeyRange().startingHashKey()));
      next = new BigInteger(s.hashKeyRange().endingHashKey()).add(BigInteger.ONE);
      assertTrue(s.sequenceNumberRange().startingSequenceNumber().matches("\\d{56}"), s.sequenceNumberRange().startingSequenceNumber());
      assertNull(s.sequenceNumberRange().endingSequenceNumber(), "open shard");
    }
    assertEquals(MAX_HASH.add(BigInteger.ONE), next);

    StreamDescriptionSummary sum = kinesis.describeStreamSummary(b -> b.streamARN(arn(name))).streamDescriptionSummary();
    assertEquals(name, sum.streamName());
    assertEquals(3, sum.openShardCount());
    assertEquals(0, sum.consumerCount());
    assertEquals(d.streamCreationTimestamp(), sum.streamCreationTimestamp(), "the same instant, to the millisecond");
    assertEquals(1024, sum.maxRecordSizeInKiB());
    assertEquals(List.of(EnhancedMetrics.builder().shardLevelMetrics(List.<MetricsName>of()).build()), sum.enhancedMonitoring());

    // DescribeStream pages its shards with Limit and ExclusiveStartShardId.
    StreamDescription page = kinesis.describeStream(b -> b.streamName(name).limit(2)).streamDescription();
    assertEquals(2, page.shards().size());
    assertTrue(page.hasMoreShards());
    StreamDescription rest = kinesis.describeStream(b -> b.streamName(name).exclusiveStartShardId(page.shards().get(1).shardId())).streamDescription();
    assertEquals(List.of("shardId-000000000002"), rest.shards().stream().map(Shard::shardId).toList());
    assertFalse(rest.hasMoreShards());

    expect(ResourceInUseException.class, "Stream " + name + " under account " + ACCOUNT + " already exists.",
        () -> kinesis.createStream(b -> b.streamName(name).shardCount(1)));

    kinesis.deleteStream(b -> b.streamName(name));
    Await.until(name + " gone", java.time.Duration.ofSeconds(10), () -> {
      try {
        return kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatusAsString();
      } catch (ResourceNotFoundException e) {
        return "gone";
      }
    }, "gone"::equals);
    expect(ResourceNotFoundException.class, "Stream " + name + " under account " + ACCOUNT + " not found.",
        () -> kinesis.describeStream(b -> b.streamName(name)));
    expect(ResourceNotFoundException.class, "Stream " + name + " under account " + ACCOUNT + " not found.",
        () -> kinesis.deleteStream(b -> b.streamName(name)));
  }

  @Test
  void listStreamsPagesWithNextTokenAndSummaries() {
    String prefix = unique("ls");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      names.add(prefix + "-" + i);
      kinesis.createStream(b -> b.streamName(names.get(names.size() - 1)).shardCount(1));
    }
    names.forEach(EddyTest::awaitActive);

    // The paginator follows NextToken one stream at a time.
    List<StreamSummary> all = kinesis.listStreamsPaginator(b -> b.limit(1)).streamSummaries().stream().toList();
    List<String> ours = all.stream().map(StreamSummary::streamName).filter(n -> n.startsWith(prefix)).toList();
    assertEquals(names, ours, "every stream once, in name order");
    for (StreamSummary s : all) {
      if (!s.streamName().startsWith(prefix)) continue;
      assertEquals(arn(s.streamName()), s.streamARN());
      assertEquals(StreamStatus.ACTIVE, s.streamStatus());
      assertEquals(StreamMode.PROVISIONED, s.streamModeDetails().streamMode());
      Instant created = kinesis.describeStreamSummary(b -> b.streamName(s.streamName())).streamDescriptionSummary().streamCreationTimestamp();
      assertEquals(created, s.streamCreationTimestamp(), "ListStreams and DescribeStreamSummary agree to the millisecond");
    }

    ListStreamsResponse first = kinesis.listStreams(b -> b.limit(2).exclusiveStartStreamName(names.get(0)));
    assertEquals(names.subList(1, 3), first.streamNames());
    assertTrue(first.hasMoreStreams());
    assertNotNull(first.nextToken());
    ListStreamsResponse second = kinesis.listStreams(b -> b.nextToken(first.nextToken()).limit(2));
    assertEquals(names.subList(3, 5), second.streamNames());
    assertEquals(second.streamNames(), second.streamSummaries().stream().map(StreamSummary::streamName).toList());
  }

  @Test
  void listShardsPagesAndFilters() {
    String name = unique("shards");
    StreamDescriptionSummary sum = createStream(name, 5);

    ListShardsResponse one = kinesis.listShards(b -> b.streamName(name).maxResults(2));
    assertEquals(List.of("shardId-000000000000", "shardId-000000000001"), ids(one.shards()));
    assertNotNull(one.nextToken());
    // NextToken goes alone (StreamName with it is an error), and carries the rest.
    ListShardsResponse two = kinesis.listShards(b -> b.nextToken(one.nextToken()).maxResults(2));
    assertEquals(List.of("shardId-000000000002", "shardId-000000000003"), ids(two.shards()));
    expect(InvalidArgumentException.class, null, () -> kinesis.listShards(b -> b.streamName(name).nextToken(one.nextToken())));
    // The loop a ListShards caller writes (the SDK has no paginator for it): StreamARN first, then the token.
    List<String> paged = new ArrayList<>();
    ListShardsResponse r = kinesis.listShards(b -> b.streamARN(arn(name)).maxResults(2));
    paged.addAll(ids(r.shards()));
    while (r.nextToken() != null) {
      String token = r.nextToken();
      r = kinesis.listShards(b -> b.nextToken(token).maxResults(2));
      paged.addAll(ids(r.shards()));
    }
    assertEquals(5, paged.size());

    assertEquals(List.of("shardId-000000000003", "shardId-000000000004"),
        ids(kinesis.listShards(b -> b.streamName(name).exclusiveStartShardId("shardId-000000000002")).shards()));
    assertEquals(List.of("shardId-000000000004"), ids(kinesis.listShards(b -> b.streamName(name)
        .shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID).shardId("shardId-000000000003"))).shards()));
    for (ShardFilterType t : List.of(ShardFilterType.AT_LATEST, ShardFilterType.AT_TRIM_HORIZON, ShardFilterType.FROM_TRIM_HORIZON)) {
      assertEquals(5, kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(t))).shards().size(), t.toString());
    }
    // Timestamp filters carry a timestamp in the request: CBOR tag 1 millis or JSON seconds.
    Instant created = sum.streamCreationTimestamp();
    for (ShardFilterType t : List.of(ShardFilterType.AT_TIMESTAMP, ShardFilterType.FROM_TIMESTAMP)) {
      assertEquals(5, kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(t).timestamp(created))).shards().size(), t.toString());
    }
    // StreamCreationTimestamp, as DescribeStreamSummary gave it, names this very stream.
    assertEquals(5, kinesis.listShards(b -> b.streamName(name).streamCreationTimestamp(created)).shards().size());
    expect(InvalidArgumentException.class, null,
        () -> kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID))));
    expect(ResourceNotFoundException.class, "Stream missing-x under account " + ACCOUNT + " not found.",
        () -> kinesis.listShards(b -> b.streamName("missing-x")));
  }

  static List<String> ids(List<Shard> shards) {
    return shards.stream().map(Shard::shardId).toList();
  }

  @Test
  void retentionPeriod() {
    String name = unique("ret");
    createStream(name, 1);
    kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(48));
    assertEquals(48, awaitActive(name).retentionPeriodHours());
    kinesis.decreaseStreamRetentionPeriod(b -> b.streamARN(arn(name)).retentionPeriodHours(25));
    assertEquals(25, awaitActive(name).retentionPeriodHours());
    expect(InvalidArgumentException.class,
        "Requested retention period (24 hours) for stream " + name + " can not be shorter than existing retention period (25 hours). Use DecreaseRetentionPeriod API.",
        () -> kinesis.increaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(24)));
    expect(InvalidArgumentException.class,
        "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.",
        () -> kinesis.decreaseStreamRetentionPeriod(b -> b.streamName(name).retentionPeriodHours(23)));
  }

  @Test
  void streamTagsAndResourceTags() {
    String name = unique("tags");
    kinesis.createStream(b -> b.streamName(name).shardCount(1).tags(Map.of("owner", "a", "cost:center", "42")));
    awaitActive(name);
    ListTagsForStreamResponse listed = kinesis.listTagsForStream(b -> b.streamName(name));
    assertEquals(Map.of("owner", "a", "cost:center", "42"), asMap(listed.tags()));
    assertFalse(listed.hasMoreTags());

    kinesis.addTagsToStream(b -> b.streamARN(arn(name)).tags(Map.of("owner", "b", "env", "", "é/=+-@ x", "Ünïcode")));
    ListTagsForStreamResponse page = kinesis.listTagsForStream(b -> b.streamName(name).limit(2));
    assertEquals(List.of("cost:center", "env"), page.tags().stream().map(Tag::key).toList());
    assertTrue(page.hasMoreTags());
    ListTagsForStreamResponse rest = kinesis.listTagsForStream(b -> b.streamName(name).exclusiveStartTagKey("env"));
    assertEquals(List.of(Tag.builder().key("owner").value("b").build(), Tag.builder().key("é/=+-@ x").value("Ünïcode").build()), rest.tags());

    kinesis.removeTagsFromStream(b -> b.streamName(name).tagKeys("env", "never-there"));
    assertEquals(List.of("cost:center", "owner", "é/=+-@ x"),
        kinesis.listTagsForStream(b -> b.streamName(name)).tags().stream().map(Tag::key).toList());

    // The ARN-based tagging API sees and changes the same tags.
    kinesis.tagResource(b -> b.resourceARN(arn(name)).tags(Map.of("via", "arn")));
    kinesis.untagResource(b -> b.resourceARN(arn(name)).tagKeys("owner"));
    assertEquals(Map.of("cost:center", "42", "via", "arn", "é/=+-@ x", "Ünïcode"),
        asMap(kinesis.listTagsForResource(b -> b.resourceARN(arn(name))).tags()));

    expect(InvalidArgumentException.class, "~reserved prefix 'aws:'",
        () -> kinesis.addTagsToStream(b -> b.streamName(name).tags(Map.of("aws:x", "1"))));
    expect(ValidationException.class, "~^1 validation error detected: .* at 'tags' failed to satisfy constraint",
        () -> kinesis.addTagsToStream(b -> b.streamName(name).tags(Map.of("k".repeat(129), "v"))));
  }

  static Map<String, String> asMap(List<Tag> tags) {
    return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
  }

  @Test
  void encryptionAndEnhancedMonitoring() {
    String name = unique("enc");
    createStream(name, 1);
    kinesis.startStreamEncryption(b -> b.streamName(name).encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
    StreamDescriptionSummary s = awaitActive(name);
    assertEquals(EncryptionType.KMS, s.encryptionType());
    assertEquals("alias/aws/kinesis", s.keyId());
    PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x")));
    assertEquals(EncryptionType.KMS, put.encryptionType());
    kinesis.stopStreamEncryption(b -> b.streamARN(arn(name)).encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
    s = awaitActive(name);
    assertEquals(EncryptionType.NONE, s.encryptionType());
    assertNull(s.keyId());

    EnableEnhancedMonitoringResponse on = kinesis.enableEnhancedMonitoring(b -> b.streamName(name)
        .shardLevelMetrics(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS));
    assertEquals(name, on.streamName());
    assertEquals(arn(name), on.streamARN());
    assertEquals(List.of(), on.currentShardLevelMetrics());
    assertEquals(List.of(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS), on.desiredShardLevelMetrics());
    awaitActive(name);
    DisableEnhancedMonitoringResponse off = kinesis.disableEnhancedMonitoring(b -> b.streamARN(arn(name)).shardLevelMetrics(MetricsName.ALL));
    assertEquals(List.of(MetricsName.INCOMING_BYTES, MetricsName.OUTGOING_RECORDS), off.currentShardLevelMetrics());
    assertEquals(List.of(), off.desiredShardLevelMetrics());
    expect(InvalidArgumentException.class, "Invalid EncryptionType NONE for StartStreamEncryption. The only valid value is KMS.",
        () -> kinesis.startStreamEncryption(b -> b.streamName(name).encryptionType(EncryptionType.NONE).keyId("k")));
  }

  @Test
  void describeLimits() {
    DescribeLimitsResponse before = kinesis.describeLimits(b -> {});
    assertEquals(500, before.shardLimit());
    assertTrue(before.onDemandStreamCountLimit() > 0);
    String name = unique("lim");
    createStream(name, 2);
    DescribeLimitsResponse after = kinesis.describeLimits(b -> {});
    assertEquals(before.openShardCount() + 2, after.openShardCount());
    assertEquals(before.onDemandStreamCount(), after.onDemandStreamCount());
  }

  @Test
  void streamModeWarmThroughputAndAccountSettings() {
    String name = unique("mode");
    createStream(name, 2);
    expect(InvalidArgumentException.class, "Stream " + name + " under account " + ACCOUNT + " is already in PROVISIONED mode.",
        () -> kinesis.updateStreamMode(b -> b.streamARN(arn(name)).streamModeDetails(m -> m.streamMode(StreamMode.PROVISIONED))));
    kinesis.updateStreamMode(b -> b.streamARN(arn(name)).streamModeDetails(m -> m.streamMode(StreamMode.ON_DEMAND)));
    StreamDescriptionSummary s = awaitActive(name);
    assertEquals(StreamMode.ON_DEMAND, s.streamModeDetails().streamMode());
    assertEquals(2, s.openShardCount());

    DescribeAccountSettingsResponse initial = kinesis.describeAccountSettings(b -> {});
    assertEquals(MinimumThroughputBillingCommitmentOutputStatus.DISABLED, initial.minimumThroughputBillingCommitment().status());
    expect(InvalidArgumentException.class, "Warm throughput requires MinimumThroughputBillingCommitment to be enabled for account " + ACCOUNT + ".",
        () -> kinesis.updateStreamWarmThroughput(b -> b.streamName(name).warmThroughputMiBps(100)));

    long before = System.currentTimeMillis();
    MinimumThroughputBillingCommitmentOutput on = kinesis.updateAccountSettings(b -> b.minimumThroughputBillingCommitment(
        c -> c.status(MinimumThroughputBillingCommitmentInputStatus.ENABLED))).minimumThroughputBillingCommitment();
    long after = System.currentTimeMillis();
    assertEquals(MinimumThroughputBillingCommitmentOutputStatus.ENABLED, on.status());
    assertTrue(on.startedAt().toEpochMilli() >= before - 1000 && on.startedAt().toEpochMilli() <= after, "StartedAt " + on.startedAt());
    assertEquals(24 * 3600 * 1000L, on.earliestAllowedEndAt().toEpochMilli() - on.startedAt().toEpochMilli());
    assertNull(on.endedAt());
    assertEquals(on, kinesis.describeAccountSettings(b -> {}).minimumThroughputBillingCommitment());

    UpdateStreamWarmThroughputResponse warm = kinesis.updateStreamWarmThroughput(b -> b.streamARN(arn(name)).warmThroughputMiBps(100));
    assertEquals(name, warm.streamName());
    assertEquals(arn(name), warm.streamARN());
    assertEquals(100, warm.warmThroughput().targetMiBps());
    assertEquals(100, warm.warmThroughput().currentMiBps());
    assertEquals(100, awaitActive(name).warmThroughput().targetMiBps());

    kinesis.updateStreamRecordDistributionStrategy(b -> b.streamARN(arn(name)).recordDistributionStrategy(RecordDistributionStrategy.AUTO));
    assertEquals(RecordDistributionStrategy.AUTO, awaitActive(name).recordDistributionStrategy());
    // AUTO routing needs no partition key.
    PutRecordsResponse keyless = kinesis.putRecords(b -> b.streamName(name).records(
        PutRecordsRequestEntry.builder().data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("a")).build()));
    assertEquals(0, keyless.failedRecordCount());

    MinimumThroughputBillingCommitmentOutput pending = kinesis.updateAccountSettings(b -> b.minimumThroughputBillingCommitment(
        c -> c.status(MinimumThroughputBillingCommitmentInputStatus.DISABLED))).minimumThroughputBillingCommitment();
    assertEquals(MinimumThroughputBillingCommitmentOutputStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END, pending.status());
    assertEquals(on.earliestAllowedEndAt(), pending.endedAt());
  }

  @Test
  void maxRecordSize() {
    String name = unique("max");
    createStream(name, 1);
    byte[] big = new byte[2 * 1024 * 1024];
    expect(ValidationException.class, "~at 'data' failed to satisfy constraint: Member must have length less than or equal to 1048576$",
        () -> kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(software.amazon.awssdk.core.SdkBytes.fromByteArray(big))));
    kinesis.updateMaxRecordSize(b -> b.streamARN(arn(name)).maxRecordSizeInKiB(4096));
    assertEquals(4096, awaitActive(name).maxRecordSizeInKiB());
    kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(software.amazon.awssdk.core.SdkBytes.fromByteArray(big)));
    expect(ValidationException.class, "~Member must have value less than or equal to 10240$",
        () -> kinesis.updateMaxRecordSize(b -> b.streamARN(arn(name)).maxRecordSizeInKiB(10241)));
  }

  @Test
  void resourcePolicies() {
    String name = unique("pol");
    createStream(name, 1);
    String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},"
        + "\"Action\":\"kinesis:PutRecord\",\"Resource\":\"" + arn(name) + "\"}]}";
    assertEquals("{}", kinesis.getResourcePolicy(b -> b.resourceARN(arn(name))).policy());
    kinesis.putResourcePolicy(b -> b.resourceARN(arn(name)).policy(policy));
    assertEquals(policy, kinesis.getResourcePolicy(b -> b.resourceARN(arn(name))).policy());
    kinesis.deleteResourcePolicy(b -> b.resourceARN(arn(name)));
    assertEquals("{}", kinesis.getResourcePolicy(b -> b.resourceARN(arn(name))).policy());
    expect(ResourceNotFoundException.class, "No resource policy found for resource ARN " + arn(name),
        () -> kinesis.deleteResourcePolicy(b -> b.resourceARN(arn(name))));
    expect(InvalidArgumentException.class, "Policy for " + arn(name) + " is not a valid JSON policy document.",
        () -> kinesis.putResourcePolicy(b -> b.resourceARN(arn(name)).policy("not json")));

    // A long policy: Jackson's CBOR generator writes a string this long as an indefinite-length text
    // string (0x7F, chunks, 0xFF), which the decoder must join.
    StringBuilder big = new StringBuilder("{\"Version\":\"2012-10-17\",\"Statement\":[");
    for (int i = 0; big.length() < 15_000; i++) {
      if (i > 0) big.append(',');
      big.append("{\"Sid\":\"s").append(i).append("\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"1111222233").append(i % 100)
          .append("\"},\"Action\":\"kinesis:GetRecords\",\"Resource\":\"").append(arn(name)).append("\"}");
    }
    String longPolicy = big.append("]}").toString();
    kinesis.putResourcePolicy(b -> b.resourceARN(arn(name)).policy(longPolicy));
    assertEquals(longPolicy, kinesis.getResourcePolicy(b -> b.resourceARN(arn(name))).policy());
  }
}
