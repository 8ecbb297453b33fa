package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.*;

/**
 * ExpiredIteratorException and ExpiredNextTokenException: shard iterators and NextTokens live 300 s. Instead of
 * waiting, eddy runs under clockshift (src/test/c/clockshift.c, built here with cc), an LD_PRELOAD library
 * that moves its wall clock by what the test writes into a file.
 */
class ExpiryTest {
  static Path dir;
  static Path shift;
  static Eddy eddy;
  static final WireRecorder wire = new WireRecorder();
  static KinesisClient kinesis;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("eddy-clockshift");
    Path lib = dir.resolve("clockshift.so");
    Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", lib.toString(),
        Path.of("src/test/c/clockshift.c").toAbsolutePath().toString(), "-ldl").redirectErrorStream(true).start();
    String out = new String(cc.getInputStream().readAllBytes());
    assertEquals(0, cc.waitFor(), "building clockshift.so: " + out);
    shift = dir.resolve("offset-ms");
    Files.writeString(shift, "0");
    eddy = Eddy.start(Map.of("LD_PRELOAD", lib.toString(), "CLOCKSHIFT_FILE", shift.toString()));
    kinesis = Clients.sync(eddy, wire);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      kinesis.close();
      EddyTest.assertWireEncoding(wire.exchanges());
    } finally {
      eddy.close();
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) Files.delete(p);
      }
      Files.delete(dir);
    }
  }

  @BeforeEach
  void presentTime() throws Exception {
    Files.writeString(shift, "0");
  }

  static void later(long ms) throws Exception {
    Files.writeString(shift, Long.toString(ms));
  }

  @Test
  void anIteratorExpiresAfterFiveMinutes() throws Exception {
    String name = EddyTest.unique("exp");
    kinesis.createStream(b -> b.streamName(name).shardCount(1));
    kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x")));
    String it = kinesis.getShardIterator(b -> b.streamName(name).shardId("shardId-000000000000")
        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    later(299_000);
    GetRecordsResponse fresh = kinesis.getRecords(b -> b.shardIterator(it));
    assertEquals(1, fresh.records().size(), "still valid just inside 300 s");
    later(301_000);
    expect(ExpiredIteratorException.class,
        "~^Iterator expired\\. The iterator was created at time .+ while right now it is .+ which is further in the future "
            + "than the tolerated delay of 300000 milliseconds\\.$",
        () -> kinesis.getRecords(b -> b.shardIterator(it)));
    // The iterator GetRecords handed out at 299 s is new: it lives on.
    assertNotNull(kinesis.getRecords(b -> b.shardIterator(fresh.nextShardIterator())).nextShardIterator());
    try (KinesisAsyncClient async = Clients.async(eddy, Clients.Transport.H2C, wire)) {
      Throwable t = async.getRecords(b -> b.shardIterator(it)).handle((v, e) -> e).get(10, TimeUnit.SECONDS);
      AwsErrors.check(ExpiredIteratorException.class, "~^Iterator expired\\.", t);
    }
  }

  @Test
  void nextTokensExpireAfterFiveMinutes() throws Exception {
    String name = EddyTest.unique("tok");
    kinesis.createStream(b -> b.streamName(name).shardCount(3));
    String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    kinesis.registerStreamConsumer(b -> b.streamARN(arn).consumerName("a"));
    kinesis.registerStreamConsumer(b -> b.streamARN(arn).consumerName("b"));
    String shards = kinesis.listShards(b -> b.streamName(name).maxResults(1)).nextToken();
    String consumers = kinesis.listStreamConsumers(b -> b.streamARN(arn).maxResults(1)).nextToken();
    kinesis.createStream(b -> b.streamName(name + "-2").shardCount(1));
    String streams = kinesis.listStreams(b -> b.limit(1)).nextToken();
    later(299_000);
    assertEquals(1, kinesis.listShards(b -> b.nextToken(shards).maxResults(1)).shards().size(), "still valid just inside 300 s");
    later(301_000);
    expect(ExpiredNextTokenException.class, null, () -> kinesis.listStreams(b -> b.nextToken(streams)));
    expect(ExpiredNextTokenException.class, null, () -> kinesis.listShards(b -> b.nextToken(shards)));
    expect(ExpiredNextTokenException.class, null, () -> kinesis.listStreamConsumers(b -> b.streamARN(arn).nextToken(consumers)));
  }
}
