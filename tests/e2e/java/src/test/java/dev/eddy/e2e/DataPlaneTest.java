package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.*;

/** PutRecord(s), GetShardIterator and GetRecords: bytes, sequence numbers and timestamps to the millisecond. */
class DataPlaneTest extends EddyTest {
  static final String SHARD0 = "shardId-000000000000";

  /** Every byte value, so a codec that treats Data as text or mangles base64 is caught. */
  static byte[] allBytes() {
    byte[] b = new byte[512];
    for (int i = 0; i < b.length; i++) b[i] = (byte) i;
    return b;
  }

  static String iterator(String stream, String shard, ShardIteratorType type) {
    return kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(type)).shardIterator();
  }

  /** Reads a shard from the iterator until a call returns nothing more (the shard is quiet in these tests). */
  static List<software.amazon.awssdk.services.kinesis.model.Record> drain(String it) {
    List<software.amazon.awssdk.services.kinesis.model.Record> out = new ArrayList<>();
    while (it != null) {
      GetRecordsResponse r = kinesis.getRecords(GetRecordsRequest.builder().shardIterator(it).build());
      out.addAll(r.records());
      if (r.records().isEmpty() || r.millisBehindLatest() == 0) break;
      it = r.nextShardIterator();
    }
    return out;
  }

  @Test
  void putRecordReadsBackByteForByteWithItsArrivalTime() {
    String name = unique("bytes");
    createStream(name, 1);
    byte[] data = allBytes();
    long before = System.currentTimeMillis();
    PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("pk-é").data(SdkBytes.fromByteArray(data)));
    long after = System.currentTimeMillis();
    assertEquals(SHARD0, put.shardId());
    assertTrue(put.sequenceNumber().matches("\\d{56}"), put.sequenceNumber());
    assertNull(put.encryptionType(), "no EncryptionType on an unencrypted stream");
    // A zero-length record is legal: an empty CBOR byte string or an empty base64 string.
    PutRecordResponse empty = kinesis.putRecord(b -> b.streamName(name).partitionKey("e").data(SdkBytes.fromByteArray(new byte[0])));

    GetRecordsResponse got = kinesis.getRecords(b -> b.shardIterator(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON)));
    assertEquals(2, got.records().size());
    software.amazon.awssdk.services.kinesis.model.Record r = got.records().get(0);
    assertArrayEquals(data, r.data().asByteArray());
    assertEquals("pk-é", r.partitionKey());
    assertEquals(put.sequenceNumber(), r.sequenceNumber());
    long arrival = r.approximateArrivalTimestamp().toEpochMilli();
    assertTrue(arrival >= before && arrival <= after,
        "ApproximateArrivalTimestamp " + r.approximateArrivalTimestamp() + " within the PutRecord call [" + Instant.ofEpochMilli(before) + ", " + Instant.ofEpochMilli(after) + "]");
    assertEquals(0, got.records().get(1).data().asByteArray().length);
    assertEquals(empty.sequenceNumber(), got.records().get(1).sequenceNumber());
    assertEquals(0L, got.millisBehindLatest(), "caught up");
    assertNotNull(got.nextShardIterator(), "an open shard always gives a next iterator");
    assertNull(got.childShards().isEmpty() ? null : got.childShards());

    // The next iterator of a caught-up read sees nothing yet, and again hands out a fresh iterator.
    GetRecordsResponse quiet = kinesis.getRecords(b -> b.shardIterator(got.nextShardIterator()));
    assertEquals(List.of(), quiet.records());
    assertNotNull(quiet.nextShardIterator());
  }

  @Test
  void putRecordsKeepsOrderAndRoutesByExactHashKey() throws Exception {
    String name = unique("route");
    StreamDescription d = kinesis.describeStream(b -> b.streamName(createStream(name, 4).streamName())).streamDescription();
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    List<String> expectedShard = new ArrayList<>();
    for (Shard s : d.shards()) {
      BigInteger start = new BigInteger(s.hashKeyRange().startingHashKey());
      BigInteger end = new BigInteger(s.hashKeyRange().endingHashKey());
      // The first and the last hash of every shard land in it.
      for (BigInteger h : List.of(start, end)) {
        entries.add(PutRecordsRequestEntry.builder().partitionKey("ignored").explicitHashKey(h.toString())
            .data(SdkBytes.fromUtf8String("h" + entries.size())).build());
        expectedShard.add(s.shardId());
      }
    }
    // Partition keys route by MD5 read as a big-endian unsigned 128-bit number.
    MessageDigest md5 = MessageDigest.getInstance("MD5");
    for (int i = 0; i < 400; i++) {
      String key = "key-" + i;
      BigInteger hash = new BigInteger(1, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
      entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromUtf8String("r" + i)).build());
      expectedShard.add(d.shards().stream().filter(s -> hash.compareTo(new BigInteger(s.hashKeyRange().startingHashKey())) >= 0
          && hash.compareTo(new BigInteger(s.hashKeyRange().endingHashKey())) <= 0).findFirst().orElseThrow().shardId());
    }
    PutRecordsResponse put = kinesis.putRecords(b -> b.streamName(name).records(entries));
    assertEquals(0, put.failedRecordCount());
    assertEquals(entries.size(), put.records().size());
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(expectedShard.get(i), put.records().get(i).shardId(), "record " + i);
      assertNull(put.records().get(i).errorCode());
    }
    // Per shard, the numbers rise in request order, and GetRecords returns exactly those records.
    for (Shard s : d.shards()) {
      List<String> seqs = new ArrayList<>();
      List<String> datas = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        if (put.records().get(i).shardId().equals(s.shardId())) {
          seqs.add(put.records().get(i).sequenceNumber());
          datas.add(entries.get(i).data().asUtf8String());
        }
      }
      for (int i = 1; i < seqs.size(); i++) {
        assertTrue(new BigInteger(seqs.get(i)).compareTo(new BigInteger(seqs.get(i - 1))) > 0, "numbers rise");
      }
      assertTrue(new BigInteger(seqs.get(0)).compareTo(new BigInteger(s.sequenceNumberRange().startingSequenceNumber())) >= 0);
      var read = drain(iterator(name, s.shardId(), ShardIteratorType.TRIM_HORIZON));
      assertEquals(seqs, read.stream().map(software.amazon.awssdk.services.kinesis.model.Record::sequenceNumber).toList());
      assertEquals(datas, read.stream().map(r -> r.data().asUtf8String()).toList());
    }
    expect(InvalidArgumentException.class, "~^Invalid ExplicitHashKey\\.",
        () -> kinesis.putRecord(b -> b.streamName(name).partitionKey("k").explicitHashKey(BigInteger.TWO.pow(128).toString())
            .data(SdkBytes.fromUtf8String("x"))));
  }

  @Test
  void everyIteratorTypeStartsWhereItShould() {
    String name = unique("iter");
    createStream(name, 1);
    String latest = iterator(name, SHARD0, ShardIteratorType.LATEST);
    List<PutRecordResponse> puts = new ArrayList<>();
    List<Long> arrivals = new ArrayList<>();
    long last = 0;
    for (int i = 0; i < 4; i++) {
      // Each record gets its own millisecond, so AT_TIMESTAMP can pick any one of them exactly.
      last = Await.millisAfter(last);
      int n = i;
      puts.add(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("r" + n))));
      var rec = drain(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON));
      last = rec.get(rec.size() - 1).approximateArrivalTimestamp().toEpochMilli();
      arrivals.add(last);
    }
    for (int i = 1; i < arrivals.size(); i++) assertTrue(arrivals.get(i) > arrivals.get(i - 1), "distinct milliseconds " + arrivals);

    assertEquals(List.of("r0", "r1", "r2", "r3"), datas(drain(latest)), "LATEST taken before the puts sees them all");
    assertEquals(List.of(), datas(drain(iterator(name, SHARD0, ShardIteratorType.LATEST))), "LATEST now sees none");
    assertEquals(List.of("r0", "r1", "r2", "r3"), datas(drain(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON))));
    String seq2 = puts.get(2).sequenceNumber();
    assertEquals(List.of("r2", "r3"), datas(drain(kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0)
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(seq2)).shardIterator())));
    assertEquals(List.of("r3"), datas(drain(kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0)
        .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(seq2)).shardIterator())));

    // AT_TIMESTAMP returns exactly the records that arrived at or after the instant, to the millisecond.
    for (int i = 0; i < 4; i++) {
      Instant at = Instant.ofEpochMilli(arrivals.get(i));
      List<String> want = List.of("r0", "r1", "r2", "r3").subList(i, 4);
      assertEquals(want, datas(drain(atTimestamp(name, at))), "AT_TIMESTAMP " + at);
      Instant justAfter = at.plusMillis(1);
      assertEquals(want.subList(1, want.size()), datas(drain(atTimestamp(name, justAfter))), "AT_TIMESTAMP " + justAfter);
    }
    // Both encodings carry milliseconds (CBOR: tag 1 + integer millis; JSON: seconds with three decimals), so a
    // sub-millisecond part is dropped by the SDK and the instant still names r1's millisecond.
    assertEquals(List.of("r1", "r2", "r3"), datas(drain(atTimestamp(name, Instant.ofEpochMilli(arrivals.get(1)).plusNanos(400_000)))));
    assertEquals(List.of("r0", "r1", "r2", "r3"), datas(drain(atTimestamp(name, Instant.ofEpochMilli(arrivals.get(0) - 60_000)))));
    expect(InvalidArgumentException.class, "~timestampInMillis parameter cannot be greater than the currentTimestampInMillis",
        () -> atTimestamp(name, Instant.now().plusSeconds(3600)));
  }

  static String atTimestamp(String name, Instant at) {
    return kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0).shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(at)).shardIterator();
  }

  static List<String> datas(List<software.amazon.awssdk.services.kinesis.model.Record> records) {
    return records.stream().map(r -> r.data().asUtf8String()).toList();
  }

  @Test
  void getRecordsPagesWithLimitAndReportsMillisBehind() {
    String name = unique("page");
    createStream(name, 1);
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) entries.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("p" + i)).build());
    kinesis.putRecords(b -> b.streamName(name).records(entries));
    long arrival = drain(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON)).get(0).approximateArrivalTimestamp().toEpochMilli();
    Await.millisAfter(arrival + 20);

    String it = iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON);
    List<String> seen = new ArrayList<>();
    for (int page = 0; page < 4; page++) {
      String cur = it;
      long before = System.currentTimeMillis();
      GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(cur).limit(3));
      long after = System.currentTimeMillis();
      seen.addAll(datas(r.records()));
      if (page < 3) {
        assertEquals(3, r.records().size());
        // Behind the tip by the age of the last record returned.
        long age = r.records().get(2).approximateArrivalTimestamp().toEpochMilli();
        assertTrue(r.millisBehindLatest() >= before - age && r.millisBehindLatest() <= after - age,
            "MillisBehindLatest " + r.millisBehindLatest() + " in [" + (before - age) + ", " + (after - age) + "]");
      } else {
        assertEquals(1, r.records().size());
        assertEquals(0L, r.millisBehindLatest());
      }
      assertNotEquals(cur, r.nextShardIterator());
      it = r.nextShardIterator();
    }
    assertEquals(10, seen.size());
    assertEquals("p9", seen.get(9));
  }

  @Test
  void tenThousandRecordsInOneGetRecordsAndAOneMiBRecord() {
    String name = unique("many");
    createStream(name, 1);
    List<String> seqs = new ArrayList<>();
    for (int call = 0; call < 20; call++) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        entries.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String(call * 500 + i + "")).build());
      }
      kinesis.putRecords(b -> b.streamName(name).records(entries)).records().forEach(r -> seqs.add(r.sequenceNumber()));
    }
    // GetRecords' default Limit is 10,000: one answer holds them all (a CBOR array with a two-byte length).
    GetRecordsResponse all = kinesis.getRecords(b -> b.shardIterator(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON)));
    assertEquals(10_000, all.records().size());
    assertEquals(seqs, all.records().stream().map(software.amazon.awssdk.services.kinesis.model.Record::sequenceNumber).toList());
    assertEquals("9999", all.records().get(9999).data().asUtf8String());
    assertEquals(0L, all.millisBehindLatest());

    // The largest record: data and partition key together exactly 1 MiB.
    byte[] big = new byte[1024 * 1024 - 1];
    for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 7);
    PutRecordResponse put = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(big)));
    GetRecordsResponse one = kinesis.getRecords(b -> b.shardIterator(kinesis.getShardIterator(g -> g.streamName(name).shardId(SHARD0)
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(put.sequenceNumber())).shardIterator()));
    assertArrayEquals(big, one.records().get(0).data().asByteArray());
  }

  @Test
  void theShardsStartingSequenceNumberIsAValidPosition() {
    String name = unique("start");
    createStream(name, 1);
    String start = kinesis.listShards(b -> b.streamName(name)).shards().get(0).sequenceNumberRange().startingSequenceNumber();
    kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("first")));
    // KCL and others start from a shard's StartingSequenceNumber: AT and AFTER it both begin with the first record.
    for (ShardIteratorType t : List.of(ShardIteratorType.AT_SEQUENCE_NUMBER, ShardIteratorType.AFTER_SEQUENCE_NUMBER)) {
      String it = kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0).shardIteratorType(t).startingSequenceNumber(start)).shardIterator();
      assertEquals(List.of("first"), datas(drain(it)), t.toString());
    }
  }

  @Test
  void sequenceNumberForOrdering() {
    String name = unique("order");
    createStream(name, 1);
    PutRecordResponse a = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("a")));
    PutRecordResponse b2 = kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("b"))
        .sequenceNumberForOrdering(a.sequenceNumber()));
    assertTrue(new BigInteger(b2.sequenceNumber()).compareTo(new BigInteger(a.sequenceNumber())) > 0);
  }

  @Test
  void dataPlaneErrorsAreTyped() {
    String name = unique("err");
    createStream(name, 1);
    expect(ResourceNotFoundException.class, "Stream nope-" + name + " under account 000000000000 not found.",
        () -> kinesis.putRecord(b -> b.streamName("nope-" + name).partitionKey("k").data(SdkBytes.fromUtf8String("x"))));
    expect(ResourceNotFoundException.class, "~^Shard shardId-000000000007 in stream " + name + " under account 000000000000 does not exist$",
        () -> kinesis.getShardIterator(b -> b.streamName(name).shardId("shardId-000000000007").shardIteratorType(ShardIteratorType.TRIM_HORIZON)));
    expect(InvalidArgumentException.class, "~^Must either specify",
        () -> kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0).shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)));
    expect(InvalidArgumentException.class, "Invalid ShardIterator.",
        () -> kinesis.getRecords(b -> b.shardIterator("AAAAAAAAAAGaZ2qJ0Zb4+0Yv8XD1g3wBxG6aGz2k1l8P0ZkqYyK3zE7wQmV2W5yq")));
    expect(ValidationException.class, "~at 'partitionKey' failed to satisfy constraint: Member must have length greater than or equal to 1$",
        () -> kinesis.putRecord(b -> b.streamName(name).partitionKey("").data(SdkBytes.fromUtf8String("x"))));
    expect(ValidationException.class, "~^1 validation error detected: Value '0' at 'limit' failed to satisfy constraint",
        () -> kinesis.getRecords(b -> b.shardIterator(iterator(name, SHARD0, ShardIteratorType.LATEST)).limit(0)));
    // A sequence number of another stream's shard is not a position in this one.
    String other = unique("other");
    createStream(other, 1);
    String foreign = kinesis.putRecord(b -> b.streamName(other).partitionKey("k").data(SdkBytes.fromUtf8String("x"))).sequenceNumber();
    expect(InvalidArgumentException.class, null, () -> kinesis.getShardIterator(b -> b.streamName(name).shardId(SHARD0)
        .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).startingSequenceNumber(foreign)));
    // DryRun checks the call and stops there, with the modelled exception.
    expect(DryRunOperationException.class, "The request was rejected because the DryRun parameter was specified.",
        () -> kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x")).dryRun(true)));
    assertEquals(List.of(), drain(iterator(name, SHARD0, ShardIteratorType.TRIM_HORIZON)), "nothing was written");
  }

  @Test
  void asyncHttp2CarriesLargeBodiesAndConcurrentCalls() throws Exception {
    String name = unique("h2big");
    createStream(name, 2);
    long h2Before = eddy.connectionsAccepted("h2");
    try (KinesisAsyncClient async = Clients.async(eddy, Clients.Transport.H2C, wire)) {
      // About 4 MiB in one request and back in one answer: far past HTTP/2's default 64 KiB window.
      byte[] chunk = allBytes();
      List<PutRecordsRequestEntry> big = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        byte[] data = new byte[10_000];
        for (int j = 0; j < data.length; j++) data[j] = chunk[(i + j) % chunk.length];
        big.add(PutRecordsRequestEntry.builder().partitionKey("k" + i).explicitHashKey("0").data(SdkBytes.fromByteArray(data)).build());
      }
      PutRecordsResponse put = async.putRecords(b -> b.streamName(name).records(big)).get();
      assertEquals(0, put.failedRecordCount());
      String it = async.getShardIterator(b -> b.streamName(name).shardId(SHARD0).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).get().shardIterator();
      GetRecordsResponse got = async.getRecords(b -> b.shardIterator(it)).get();
      assertEquals(400, got.records().size());
      for (int i = 0; i < 400; i++) assertArrayEquals(big.get(i).data().asByteArray(), got.records().get(i).data().asByteArray(), "record " + i);

      // Many calls in flight at once, multiplexed as HTTP/2 streams.
      List<CompletableFuture<PutRecordResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        calls.add(async.putRecord(b -> b.streamName(name).partitionKey("c" + n).data(SdkBytes.fromUtf8String("c" + n))));
      }
      for (var c : calls) assertTrue(c.get().sequenceNumber().matches("\\d{56}"));
    }
    assertTrue(eddy.connectionsAccepted("h2") > h2Before, "the async client spoke HTTP/2");
  }
}
