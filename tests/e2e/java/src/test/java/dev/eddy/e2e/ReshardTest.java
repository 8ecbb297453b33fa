package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static dev.eddy.e2e.ControlPlaneTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.*;

/** SplitShard, MergeShards and UpdateShardCount: lineage, closed shards' ends and ListShards' filters. */
class ReshardTest extends EddyTest {
  static final BigInteger MAX_HASH = ControlPlaneTest.MAX_HASH;

  static String sid(int i) {
    return String.format("shardId-%012d", i);
  }

  static List<Shard> shards(String name) {
    return kinesis.listShards(b -> b.streamName(name)).shards();
  }

  static Map<String, Shard> byId(List<Shard> shards) {
    return shards.stream().collect(Collectors.toMap(Shard::shardId, s -> s));
  }

  /** Open shards tile [0, 2^128-1] with no gap or overlap; returns how many there are. */
  static int assertCoverage(List<Shard> shards) {
    List<Shard> open = shards.stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
        .sorted(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey()))).toList();
    BigInteger next = BigInteger.ZERO;
    for (Shard s : open) {
      assertEquals(next, new BigInteger(s.hashKeyRange().startingHashKey()), "gap or overlap before " + s.shardId());
      next = new BigInteger(s.hashKeyRange().endingHashKey()).add(BigInteger.ONE);
    }
    assertEquals(MAX_HASH.add(BigInteger.ONE), next);
    return open.size();
  }

  static PutRecordResponse put(String name, BigInteger hash, String text) {
    return kinesis.putRecord(b -> b.streamName(name).partitionKey("k").explicitHashKey(hash.toString()).data(SdkBytes.fromUtf8String(text)));
  }

  @Test
  void splitClosesTheParentAndItsReadEndsWithChildShards() {
    String name = unique("split");
    createStream(name, 1);
    BigInteger mid = BigInteger.TWO.pow(127);
    PutRecordResponse before = put(name, BigInteger.ONE, "before");
    Instant splitAt = Instant.ofEpochMilli(Await.millisAfter(System.currentTimeMillis()));
    kinesis.splitShard(b -> b.streamName(name).shardToSplit(sid(0)).newStartingHashKey(mid.toString()));
    awaitActive(name);

    Map<String, Shard> all = byId(shards(name));
    assertEquals(3, all.size());
    Shard parent = all.get(sid(0));
    assertNotNull(parent.sequenceNumberRange().endingSequenceNumber(), "the parent is closed");
    Shard left = all.get(sid(1));
    Shard right = all.get(sid(2));
    assertEquals(sid(0), left.parentShardId());
    assertEquals(sid(0), right.parentShardId());
    assertNull(left.adjacentParentShardId());
    assertEquals("0", left.hashKeyRange().startingHashKey());
    assertEquals(mid.subtract(BigInteger.ONE).toString(), left.hashKeyRange().endingHashKey());
    assertEquals(mid.toString(), right.hashKeyRange().startingHashKey());
    assertEquals(MAX_HASH.toString(), right.hashKeyRange().endingHashKey());
    assertEquals(2, assertCoverage(List.copyOf(all.values())));

    PutRecordResponse after = put(name, mid, "after");
    assertEquals(sid(2), after.shardId());

    // Reading the parent to its end: its records, then no next iterator and the children.
    String it = kinesis.getShardIterator(b -> b.streamName(name).shardId(sid(0)).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    GetRecordsResponse end = kinesis.getRecords(b -> b.shardIterator(it));
    assertEquals(List.of(before.sequenceNumber()), end.records().stream().map(software.amazon.awssdk.services.kinesis.model.Record::sequenceNumber).toList());
    assertNull(end.nextShardIterator(), "NextShardIterator is null at a closed shard's end");
    assertEquals(List.of(sid(1), sid(2)), end.childShards().stream().map(ChildShard::shardId).toList());
    for (ChildShard c : end.childShards()) {
      assertEquals(List.of(sid(0)), c.parentShards());
      assertEquals(all.get(c.shardId()).hashKeyRange(), c.hashKeyRange());
    }
    assertTrue(new BigInteger(before.sequenceNumber()).compareTo(new BigInteger(parent.sequenceNumberRange().endingSequenceNumber())) <= 0);
    // LATEST on a closed shard is its end at once.
    String latest = kinesis.getShardIterator(b -> b.streamName(name).shardId(sid(0)).shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
    GetRecordsResponse atEnd = kinesis.getRecords(b -> b.shardIterator(latest));
    assertEquals(List.of(), atEnd.records());
    assertNull(atEnd.nextShardIterator());
    assertEquals(end.childShards(), atEnd.childShards());

    // ListShards' filters now tell the closed shard apart from the open ones.
    assertEquals(List.of(sid(1), sid(2)), ids(kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AT_LATEST))).shards()));
    assertEquals(List.of(sid(0)), ids(kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.AT_TRIM_HORIZON))).shards()));
    assertEquals(List.of(sid(0), sid(1), sid(2)), ids(kinesis.listShards(b -> b.streamName(name).shardFilter(f -> f.type(ShardFilterType.FROM_TRIM_HORIZON))).shards()));
    // Shards open at the instant of the split's request are the parent's; the children open at or after it.
    assertEquals(List.of(sid(1), sid(2)), ids(kinesis.listShards(b -> b.streamName(name)
        .shardFilter(f -> f.type(ShardFilterType.AT_TIMESTAMP).timestamp(Instant.now().plusMillis(1)))).shards()));
    assertEquals(List.of(sid(0), sid(1), sid(2)), ids(kinesis.listShards(b -> b.streamName(name)
        .shardFilter(f -> f.type(ShardFilterType.FROM_TIMESTAMP).timestamp(splitAt.minusSeconds(60)))).shards()));

    expect(InvalidArgumentException.class, "~is not both greater than one plus the shard's StartingHashKey",
        () -> kinesis.splitShard(b -> b.streamName(name).shardToSplit(sid(1)).newStartingHashKey("1")));
    expect(ResourceNotFoundException.class, null,
        () -> kinesis.splitShard(b -> b.streamName(name).shardToSplit(sid(9)).newStartingHashKey(mid.toString())));
  }

  @Test
  void mergeJoinsAdjacentShards() {
    String name = unique("merge");
    createStream(name, 3);
    kinesis.mergeShards(b -> b.streamName(name).shardToMerge(sid(1)).adjacentShardToMerge(sid(2)));
    awaitActive(name);
    Map<String, Shard> all = byId(shards(name));
    Shard child = all.get(sid(3));
    assertEquals(sid(1), child.parentShardId());
    assertEquals(sid(2), child.adjacentParentShardId());
    assertEquals(all.get(sid(1)).hashKeyRange().startingHashKey(), child.hashKeyRange().startingHashKey());
    assertEquals(MAX_HASH.toString(), child.hashKeyRange().endingHashKey());
    assertEquals(2, assertCoverage(List.copyOf(all.values())));

    // Both parents end by naming the one child with both parents.
    for (String parent : List.of(sid(1), sid(2))) {
      String it = kinesis.getShardIterator(b -> b.streamName(name).shardId(parent).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      GetRecordsResponse end = kinesis.getRecords(b -> b.shardIterator(it));
      assertNull(end.nextShardIterator());
      assertEquals(1, end.childShards().size());
      assertEquals(sid(3), end.childShards().get(0).shardId());
      assertEquals(List.of(sid(1), sid(2)), end.childShards().get(0).parentShards());
    }
    expect(InvalidArgumentException.class, null,
        () -> kinesis.mergeShards(b -> b.streamName(name).shardToMerge(sid(0)).adjacentShardToMerge(sid(0))));
  }

  @Test
  void updateShardCountScalesUniformly() {
    String name = unique("scale");
    createStream(name, 2);
    UpdateShardCountResponse up = kinesis.updateShardCount(b -> b.streamName(name).targetShardCount(4).scalingType(ScalingType.UNIFORM_SCALING));
    assertEquals(name, up.streamName());
    assertEquals(2, up.currentShardCount());
    assertEquals(4, up.targetShardCount());
    assertEquals(ControlPlaneTest.arn(name), up.streamARN());
    StreamDescriptionSummary s = awaitActive(name);
    assertEquals(4, s.openShardCount());
    List<Shard> all = new ArrayList<>(shards(name));
    assertEquals(4, assertCoverage(all));
    // Every shard but the first two descends from them.
    for (Shard sh : all) {
      if (sh.shardId().equals(sid(0)) || sh.shardId().equals(sid(1))) continue;
      assertNotNull(sh.parentShardId(), sh.shardId() + " has a parent");
    }
    kinesis.updateShardCount(b -> b.streamARN(ControlPlaneTest.arn(name)).targetShardCount(2).scalingType(ScalingType.UNIFORM_SCALING));
    assertEquals(2, awaitActive(name).openShardCount());
    assertEquals(2, assertCoverage(shards(name)));
    expect(LimitExceededException.class,
        "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, Target shard count: 5",
        () -> kinesis.updateShardCount(b -> b.streamName(name).targetShardCount(5).scalingType(ScalingType.UNIFORM_SCALING)));
  }
}
