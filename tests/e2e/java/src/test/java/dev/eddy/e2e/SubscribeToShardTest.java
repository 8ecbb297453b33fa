package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.*;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * SubscribeToShard through KinesisAsyncClient over h2c and over TLS (with and without ALPN): every starting
 * position, live delivery, giving the lease back on cancel, the end of a split parent, and errors. Records
 * from events must equal, member for member, what GetRecords returns for them.
 */
class SubscribeToShardTest extends EddyTest {
  static final String SHARD0 = "shardId-000000000000";
  static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<Clients.Transport, KinesisAsyncClient> clients = new EnumMap<>(Clients.Transport.class);

  static synchronized KinesisAsyncClient client(Clients.Transport how) {
    return clients.computeIfAbsent(how, h -> Clients.async(eddy, h, wire));
  }

  @AfterAll
  static void closeClients() {
    // The wire check at the end of the class must have seen event streams, or it proved nothing about them.
    assertTrue(wire.exchanges().stream().anyMatch(x -> x.operation().equals("SubscribeToShard") && x.status() == 200),
        "SubscribeToShard exchanges were recorded");
    clients.values().forEach(KinesisAsyncClient::close);
    clients.clear();
  }

  static String consumer(String streamArn, String name) {
    String arn = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(name)).consumer().consumerARN();
    ConsumersTest.awaitConsumer(arn, ConsumerStatus.ACTIVE);
    return arn;
  }

  static StartingPosition at(ShardIteratorType type) {
    return StartingPosition.builder().type(type).build();
  }

  static StartingPosition atSequence(ShardIteratorType type, String seq) {
    return StartingPosition.builder().type(type).sequenceNumber(seq).build();
  }

  static StartingPosition atTime(Instant t) {
    return StartingPosition.builder().type(ShardIteratorType.AT_TIMESTAMP).timestamp(t).build();
  }

  /** What GetRecords returns for the shard, from TRIM_HORIZON: the reference the events are compared with. */
  static List<Record> polled(String stream, String shard) {
    String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    List<Record> out = new ArrayList<>();
    while (true) {
      String cur = it;
      GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(cur));
      out.addAll(r.records());
      if (r.nextShardIterator() == null || r.millisBehindLatest() == 0) return out;
      it = r.nextShardIterator();
    }
  }

  /** Subscribes and reads exactly the expected records; the stream's last event is caught up. */
  static void expectRecords(KinesisAsyncClient c, String consumerArn, StartingPosition pos, List<Record> want) throws Exception {
    try (Subscription s = Subscription.open(c, consumerArn, SHARD0, pos)) {
      List<Record> got = s.records(want.size(), WAIT);
      assertEquals(want, got, pos.toString());
      SubscribeToShardEvent last = s.last();
      if (!want.isEmpty()) assertEquals(want.get(want.size() - 1).sequenceNumber(), last.continuationSequenceNumber());
      assertEquals(0L, last.millisBehindLatest(), "caught up");
      assertNull(last.childShards().isEmpty() ? null : last.childShards(), "an open shard has no children");
      assertNotNull(s.response(), "the initial response came");
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void everyStartingPosition(Clients.Transport how) throws Exception {
    KinesisAsyncClient c = client(how);
    String name = unique("pos");
    String arn = createStream(name, 1).streamARN();
    long last = 0;
    for (int i = 0; i < 4; i++) {
      last = Await.millisAfter(last);
      byte[] data = DataPlaneTest.allBytes();
      data[0] = (byte) i;
      kinesis.putRecord(b -> b.streamName(name).partitionKey("pk").data(SdkBytes.fromByteArray(data)));
      List<Record> sofar = polled(name, SHARD0);
      last = sofar.get(sofar.size() - 1).approximateArrivalTimestamp().toEpochMilli();
    }
    List<Record> all = polled(name, SHARD0);
    assertEquals(4, all.size());

    expectRecords(c, consumer(arn, "trim"), at(ShardIteratorType.TRIM_HORIZON), all);
    expectRecords(c, consumer(arn, "at-seq"), atSequence(ShardIteratorType.AT_SEQUENCE_NUMBER, all.get(2).sequenceNumber()), all.subList(2, 4));
    expectRecords(c, consumer(arn, "after-seq"), atSequence(ShardIteratorType.AFTER_SEQUENCE_NUMBER, all.get(2).sequenceNumber()), all.subList(3, 4));
    Instant t1 = all.get(1).approximateArrivalTimestamp();
    expectRecords(c, consumer(arn, "at-ts"), atTime(t1), all.subList(1, 4));
    expectRecords(c, consumer(arn, "at-ts-plus-1ms"), atTime(t1.plusMillis(1)), all.subList(2, 4));

    // LATEST: nothing from before the call, then exactly what is put after it.
    try (Subscription s = Subscription.open(c, consumer(arn, "latest"), SHARD0, at(ShardIteratorType.LATEST))) {
      Await.until("the initial response", WAIT, s::response, r -> r != null);
      PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("pk").data(SdkBytes.fromUtf8String("live")));
      List<Record> got = s.records(1, WAIT);
      assertEquals(List.of(polled(name, SHARD0).get(4)), got);
      assertEquals(put.sequenceNumber(), s.last().continuationSequenceNumber());
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void liveDeliveryInOrderAndCancelGivesTheLeaseBack(Clients.Transport how) throws Exception {
    KinesisAsyncClient c = client(how);
    String name = unique("live");
    String arn = createStream(name, 1).streamARN();
    String consumerArn = consumer(arn, "live");
    List<String> sequence = new ArrayList<>();
    String continuation;
    try (Subscription s = Subscription.open(c, consumerArn, SHARD0, at(ShardIteratorType.LATEST))) {
      Await.until("the initial response", WAIT, s::response, r -> r != null);
      List<Record> got = new ArrayList<>();
      for (int batch = 0; batch < 5; batch++) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).data(SdkBytes.fromUtf8String(batch + "/" + i)).build());
        }
        long before = System.currentTimeMillis();
        kinesis.putRecords(b -> b.streamName(name).records(entries)).records().forEach(r -> sequence.add(r.sequenceNumber()));
        long after = System.currentTimeMillis();
        List<Record> now = s.records(20, WAIT);
        for (Record r : now) {
          long t = r.approximateArrivalTimestamp().toEpochMilli();
          assertTrue(t >= before && t <= after, "ApproximateArrivalTimestamp " + t + " in [" + before + ", " + after + "]");
        }
        got.addAll(now);
      }
      assertEquals(sequence, got.stream().map(Record::sequenceNumber).toList(), "every record once, in order");
      assertEquals(polled(name, SHARD0), got);
      continuation = s.last().continuationSequenceNumber();
      assertEquals(sequence.get(sequence.size() - 1), continuation);
    }
    // On HTTP/2 the cancel resets the stream, eddy sees it and gives the lease back at once: the same consumer
    // resubscribes from its continuation well inside the 5 s that a live subscription would hold it. On
    // HTTP/1.1 the client just closes the connection, which eddy notices at its next write; AWS refuses a
    // second call within 5 s of the first anyway, so clients cannot tell. SubscriptionLifetimeTest covers
    // resubscribing on HTTP/1.1.
    if (how.http1()) return;
    long start = System.nanoTime();
    Subscription again = Await.until("a resubscription", Duration.ofSeconds(3), () -> {
      Subscription s = Subscription.open(c, consumerArn, SHARD0, atSequence(ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation));
      try {
        Await.until("response or failure", WAIT, () -> s.response() != null || s.done().isDone(), b -> b);
      } catch (AssertionError e) {
        s.close();
        throw e;
      }
      if (s.done().isCompletedExceptionally()) {
        AwsErrors.check(ResourceInUseException.class, null, s.done().handle((v, t) -> t).join());
        return null;
      }
      return s;
    }, s -> s != null);
    try (again) {
      PutRecordResponse next = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("next")));
      List<Record> got = again.records(1, WAIT);
      assertEquals(List.of(next.sequenceNumber()), got.stream().map(Record::sequenceNumber).toList(), "nothing again, nothing missed");
    }
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
  }

  /**
   * The one test that waits for the 5 s heartbeat; h2c only, to keep the run short. Its client pings the
   * idle connection every second and drops it if eddy leaves a PING unanswered that long.
   */
  @Test
  void anIdleShardGetsHeartbeatsWhoseContinuationResumes() throws Exception {
    try (KinesisAsyncClient c = Clients.async(eddy, Clients.Transport.H2C, wire, eddy.certificate(), Duration.ofSeconds(1))) {
      idleShard(c);
    }
  }

  private static void idleShard(KinesisAsyncClient c) throws Exception {
    String name = unique("idle");
    String arn = createStream(name, 1).streamARN();
    String start = kinesis.listShards(b -> b.streamName(name)).shards().get(0).sequenceNumberRange().startingSequenceNumber();
    String continuation;
    String idle = consumer(arn, "idle");
    try (Subscription s = Subscription.open(c, idle, SHARD0, at(ShardIteratorType.LATEST))) {
      // AWS sends an event at least every 5 s: no records, caught up, and a continuation to resume from.
      long opened = System.nanoTime();
      SubscribeToShardEvent beat = s.next(Duration.ofSeconds(8));
      assertTrue(System.nanoTime() - opened > TimeUnit.MILLISECONDS.toNanos(4000), "not before the heartbeat is due");
      assertEquals(List.of(), beat.records());
      assertEquals(0L, beat.millisBehindLatest());
      assertEquals(start, beat.continuationSequenceNumber(), "nothing delivered yet: the shard's start");
      continuation = beat.continuationSequenceNumber();

      // More than 5 s after it began, a new call for the same consumer and shard takes over: the old stream
      // ends with an in-stream ResourceInUseException, which the SDK raises as the typed exception.
      try (Subscription newer = Subscription.open(c, idle, SHARD0, at(ShardIteratorType.LATEST))) {
        AwsErrors.checkEventStream(ResourceInUseException.class, "~^Another active subscription exists for this consumer", failure(s));
        Await.until("the newer call's response", WAIT, newer::response, r -> r != null);
        assertTrue(!newer.done().isDone(), "the newer subscription goes on");
        // Deregistering the consumer ends its subscription with an in-stream ResourceNotFoundException. eddy
        // looks at the consumer whenever the subscription wakes (an append, or the heartbeat); a put wakes it now.
        kinesis.deregisterStreamConsumer(b -> b.consumerARN(idle));
        kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("wake")));
        AwsErrors.checkEventStream(ResourceNotFoundException.class, "~^Consumer idle under stream " + name, failure(newer));
      }
    }
    try (Subscription s = Subscription.open(c, consumer(arn, "resume"), SHARD0, atSequence(ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation))) {
      assertEquals(List.of("wake"), s.records(1, WAIT).stream().map(r -> r.data().asUtf8String()).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Clients.Transport.class, names = {"H2C", "TLS_ALPN"})
  void oneSubscriptionPerShardOnOneConnectionUnderLoad(Clients.Transport how) throws Exception {
    // What KCL does: a subscription per shard, all multiplexed on the client's HTTP/2 connection, with
    // records flowing into every shard at once (about 8 MiB in all: the connection's flow-control window
    // is shared by the streams and must keep being reopened).
    KinesisAsyncClient c = client(how);
    String name = unique("fan");
    String arn = createStream(name, 8).streamARN();
    String consumerArn = consumer(arn, "kcl");
    List<Shard> shards = kinesis.listShards(b -> b.streamName(name)).shards();
    List<Subscription> subs = new ArrayList<>();
    try {
      for (Shard sh : shards) subs.add(Subscription.open(c, consumerArn, sh.shardId(), at(ShardIteratorType.LATEST)));
      for (Subscription s : subs) Await.until("initial response", WAIT, s::response, r -> r != null);
      Map<String, List<String>> written = new java.util.HashMap<>();
      for (int round = 0; round < 4; round++) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (Shard sh : shards) {
          byte[] data = new byte[256 * 1024];
          java.util.Arrays.fill(data, (byte) round);
          entries.add(PutRecordsRequestEntry.builder().partitionKey("k").explicitHashKey(sh.hashKeyRange().startingHashKey())
              .data(SdkBytes.fromByteArray(data)).build());
        }
        PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(name).records(entries));
        assertEquals(0, put.failedRecordCount());
        put.records().forEach(r -> written.computeIfAbsent(r.shardId(), k -> new ArrayList<>()).add(r.sequenceNumber()));
      }
      for (int i = 0; i < shards.size(); i++) {
        List<Record> got = subs.get(i).records(4, Duration.ofSeconds(20));
        assertEquals(written.get(shards.get(i).shardId()), got.stream().map(Record::sequenceNumber).toList(), shards.get(i).shardId());
        for (int r = 0; r < 4; r++) assertEquals((byte) r, got.get(r).data().asByteArray()[1000]);
      }
    } finally {
      subs.forEach(Subscription::close);
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void largeRecordsSpanEventsAndReportMillisBehind(Clients.Transport how) throws Exception {
    KinesisAsyncClient c = client(how);
    String name = unique("large");
    String arn = createStream(name, 1).streamARN();
    List<byte[]> datas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] d = new byte[900 * 1024];
      for (int j = 0; j < d.length; j++) d[j] = (byte) (j * 31 + i);
      datas.add(d);
      kinesis.putRecord(b -> b.streamName(name).partitionKey("big").data(SdkBytes.fromByteArray(d)));
    }
    List<Record> all = polled(name, SHARD0);
    long newest = all.get(2).approximateArrivalTimestamp().toEpochMilli();
    Await.millisAfter(newest + 50);
    String big = consumer(arn, "big");
    long before = System.currentTimeMillis();  // eddy may build the first event as soon as the call arrives
    try (Subscription s = Subscription.open(c, big, SHARD0, at(ShardIteratorType.TRIM_HORIZON))) {
      SubscribeToShardEvent first = s.next(WAIT);
      long after = System.currentTimeMillis();
      assertTrue(first.records().size() < 3, "one event carries at most 2 MiB");
      Record lastOfFirst = first.records().get(first.records().size() - 1);
      long age = lastOfFirst.approximateArrivalTimestamp().toEpochMilli();
      assertTrue(first.millisBehindLatest() >= before - age - 1 && first.millisBehindLatest() <= after - age,
          "MillisBehindLatest " + first.millisBehindLatest() + " in [" + (before - age) + ", " + (after - age) + "]");
      assertEquals(lastOfFirst.sequenceNumber(), first.continuationSequenceNumber());
      List<Record> got = new ArrayList<>(first.records());
      got.addAll(s.records(3 - got.size(), WAIT));
      assertEquals(all, got);
      for (int i = 0; i < 3; i++) assertArrayEquals(datas.get(i), got.get(i).data().asByteArray());
      assertEquals(0L, s.last().millisBehindLatest());
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void aSplitParentEndsWithChildShardsAndTheChildrenGoOn(Clients.Transport how) throws Exception {
    KinesisAsyncClient c = client(how);
    String name = unique("split");
    String arn = createStream(name, 1).streamARN();
    String consumerArn = consumer(arn, "walker");
    BigInteger mid = BigInteger.TWO.pow(127);
    List<String> parentSeqs = new ArrayList<>();
    try (Subscription s = Subscription.open(c, consumerArn, SHARD0, at(ShardIteratorType.TRIM_HORIZON))) {
      for (String t : List.of("a", "b")) {
        parentSeqs.add(kinesis.putRecord(b -> b.streamName(name).partitionKey(t).data(SdkBytes.fromUtf8String(t))).sequenceNumber());
      }
      assertEquals(parentSeqs, s.records(2, WAIT).stream().map(Record::sequenceNumber).toList());
      kinesis.splitShard(b -> b.streamName(name).shardToSplit(SHARD0).newStartingHashKey(mid.toString()));

      // The parent's last event: no records left, the children, and no continuation; then the stream ends cleanly.
      SubscribeToShardEvent end;
      do {
        end = s.next(WAIT);
      } while (end.childShards().isEmpty());
      assertEquals(List.of(), end.records());
      assertNull(end.continuationSequenceNumber(), "null ContinuationSequenceNumber at the parent's end");
      assertEquals(List.of("shardId-000000000001", "shardId-000000000002"), end.childShards().stream().map(ChildShard::shardId).toList());
      for (ChildShard child : end.childShards()) assertEquals(List.of(SHARD0), child.parentShards());
      assertEquals("0", end.childShards().get(0).hashKeyRange().startingHashKey());
      assertEquals(mid.toString(), end.childShards().get(1).hashKeyRange().startingHashKey());
      s.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertEquals(0, s.pending(), "nothing after the last event");
    }
    awaitActive(name);
    // A new subscription to the closed parent: LATEST is its end at once; AT_SEQUENCE_NUMBER reads the rest first.
    try (Subscription s = Subscription.open(c, consumer(arn, "late"), SHARD0, at(ShardIteratorType.LATEST))) {
      SubscribeToShardEvent end = s.next(WAIT);
      assertEquals(List.of(), end.records());
      assertNull(end.continuationSequenceNumber());
      assertEquals(2, end.childShards().size());
      s.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    try (Subscription s = Subscription.open(c, consumer(arn, "replay"), SHARD0, atSequence(ShardIteratorType.AT_SEQUENCE_NUMBER, parentSeqs.get(1)))) {
      List<Record> got = new ArrayList<>();
      SubscribeToShardEvent e;
      do {
        e = s.next(WAIT);
        got.addAll(e.records());
      } while (e.childShards().isEmpty());
      assertEquals(parentSeqs.subList(1, 2), got.stream().map(Record::sequenceNumber).toList());
      assertNull(e.continuationSequenceNumber());
      s.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    // The children, subscribed from TRIM_HORIZON, carry what was written after the split.
    Map<String, String> put = Map.of("shardId-000000000001", "0", "shardId-000000000002", mid.toString());
    for (var e : put.entrySet()) {
      PutRecordResponse r = kinesis.putRecord(b -> b.streamName(name).partitionKey("x").explicitHashKey(e.getValue()).data(SdkBytes.fromUtf8String(e.getKey())));
      assertEquals(e.getKey(), r.shardId());
      try (Subscription s = Subscription.open(c, consumerArn, e.getKey(), at(ShardIteratorType.TRIM_HORIZON))) {
        List<Record> got = s.records(1, WAIT);
        assertEquals(List.of(e.getKey()), got.stream().map(x -> x.data().asUtf8String()).toList());
        assertEquals(polled(name, e.getKey()), got);
        assertEquals(r.sequenceNumber(), s.last().continuationSequenceNumber());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void errorsBeforeTheStreamAreTyped(Clients.Transport how) throws Exception {
    String name = unique("err");
    String arn = createStream(name, 1).streamARN();
    String consumerArn = consumer(arn, "one");
    assertSubscribeFails(how, arn + "/consumer/nobody:1", SHARD0, at(ShardIteratorType.LATEST),
        ResourceNotFoundException.class, "Consumer nobody under stream " + name + " and account 000000000000 not found.");
    assertSubscribeFails(how, consumerArn, "shardId-000000000009", at(ShardIteratorType.LATEST),
        ResourceNotFoundException.class, "~^Shard shardId-000000000009 in stream " + name + " under account 000000000000 does not exist");
    assertSubscribeFails(how, consumerArn, SHARD0, at(ShardIteratorType.AT_SEQUENCE_NUMBER), InvalidArgumentException.class, null);
    assertSubscribeFails(how, consumerArn, SHARD0, atTime(Instant.now().plusSeconds(3600)),
        InvalidArgumentException.class, "~timestampInMillis parameter cannot be greater than the currentTimestampInMillis");
    KinesisAsyncClient c = client(how);
    try (Subscription first = Subscription.open(c, consumerArn, SHARD0, at(ShardIteratorType.LATEST))) {
      Await.until("the initial response", WAIT, first::response, r -> r != null);
      assertSubscribeFails(how, consumerArn, SHARD0, at(ShardIteratorType.LATEST),
          ResourceInUseException.class, "~^Another active subscription exists for this consumer");
      assertTrue(!first.done().isDone(), "the first subscription goes on");
    }
  }

  /**
   * One SubscribeToShard call that must fail before its stream starts. On HTTP/1.1 it gets a client of its
   * own: after an error answer to an event-stream call, SDK 2.57.8's Netty client cancels the finished
   * request and so closes its connection, at times after handing that connection to the next request
   * ("The connection was closed during the request"). eddy keeps the connection open, as it should.
   */
  static void assertSubscribeFails(Clients.Transport how, String consumerArn, String shard, StartingPosition pos,
      Class<? extends KinesisException> type, String message) throws Exception {
    KinesisAsyncClient own = how.http1() ? Clients.async(eddy, how, wire) : null;
    try (Subscription s = Subscription.open(own != null ? own : client(how), consumerArn, shard, pos)) {
      AwsErrors.check(type, message, failure(s));
    } finally {
      if (own != null) own.close();
    }
  }

  static Throwable failure(Subscription s) throws Exception {
    try {
      s.done().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
