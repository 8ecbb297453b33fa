package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.waiters.WaiterResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtAsyncHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.*;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * The rest of what a Java application meets: every HTTP client the SDK ships (Apache 4 and 5,
 * URLConnection, the CRT, Netty on HTTP/1.1), the SDK's waiters, and accounts and regions taken from the
 * credentials.
 */
class InteropTest extends EddyTest {
  static SdkHttpClient syncHttp(String which) {
    return switch (which) {
      case "apache4" -> ApacheHttpClient.builder().build();
      case "apache5" -> Apache5HttpClient.builder().build();
      case "urlconnection" -> UrlConnectionHttpClient.builder().build();
      case "crt" -> AwsCrtHttpClient.builder().build();
      default -> throw new IllegalArgumentException(which);
    };
  }

  static KinesisClient syncWith(SdkHttpClient http, String accessKey, Region region) {
    return KinesisClient.builder().endpointOverride(eddy.http()).region(region)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, "secret")))
        .httpClient(http)
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  /** Create, put every byte value, read it back with its arrival time, and a typed error: the basics, per client. */
  static void roundTrip(KinesisClient c) {
    String name = unique("rt");
    c.createStream(b -> b.streamName(name).shardCount(1));
    awaitActive(name);
    byte[] data = DataPlaneTest.allBytes();
    long before = System.currentTimeMillis();
    PutRecordResponse put = c.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(data)));
    long after = System.currentTimeMillis();
    String it = c.getShardIterator(b -> b.streamName(name).shardId(put.shardId()).shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
        .timestamp(Instant.ofEpochMilli(before))).shardIterator();
    Record r = c.getRecords(b -> b.shardIterator(it)).records().get(0);
    assertEquals(SdkBytes.fromByteArray(data), r.data());
    assertEquals(put.sequenceNumber(), r.sequenceNumber());
    long t = r.approximateArrivalTimestamp().toEpochMilli();
    assertTrue(t >= before && t <= after);
    expect(ResourceNotFoundException.class, "Stream " + name + "-x under account 000000000000 not found.",
        () -> c.describeStreamSummary(b -> b.streamName(name + "-x")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache4", "apache5", "urlconnection", "crt"})
  void everySyncHttpClient(String which) {
    try (KinesisClient c = syncWith(syncHttp(which), "AKIDEXAMPLE", Region.US_EAST_1)) {
      roundTrip(c);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty-http1", "crt"})
  void everyAsyncHttpClient(String which) throws Exception {
    SdkAsyncHttpClient http = which.equals("crt")
        ? AwsCrtAsyncHttpClient.builder().build()
        : software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder().protocol(software.amazon.awssdk.http.Protocol.HTTP1_1)
            .eventLoopGroup(Clients.EVENT_LOOPS).build();
    try (KinesisAsyncClient c = KinesisAsyncClient.builder().endpointOverride(eddy.http()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClient(http)
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build()) {
      String name = unique("art");
      c.createStream(b -> b.streamName(name).shardCount(1)).get(10, TimeUnit.SECONDS);
      awaitActive(name);
      PutRecordResponse put = c.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(DataPlaneTest.allBytes())))
          .get(10, TimeUnit.SECONDS);
      String it = c.getShardIterator(b -> b.streamName(name).shardId(put.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
          .get(10, TimeUnit.SECONDS).shardIterator();
      assertEquals(SdkBytes.fromByteArray(DataPlaneTest.allBytes()), c.getRecords(b -> b.shardIterator(it)).get(10, TimeUnit.SECONDS).records().get(0).data());
      Throwable t = c.describeStreamSummary(b -> b.streamName(name + "-x")).handle((v, e) -> e).get(10, TimeUnit.SECONDS);
      AwsErrors.check(ResourceNotFoundException.class, "Stream " + name + "-x under account 000000000000 not found.", t);
    } finally {
      http.close();
    }
  }

  @Test
  void theDefaultAsyncClientSpeaksHttp2() throws Exception {
    // Nothing chosen: Kinesis' service default (HTTP/2) with Netty's defaults, on http:// (prior knowledge)
    // and on https:// (only the trust given).
    long h2 = eddy.connectionsAccepted("h2");
    try (KinesisAsyncClient plain = KinesisAsyncClient.builder().endpointOverride(eddy.http()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire)).build();
        KinesisAsyncClient tls = KinesisAsyncClient.builder().endpointOverride(eddy.https()).region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .httpClientBuilder(software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
                .tlsTrustManagersProvider(Clients.trusting(eddy.certificate())).eventLoopGroup(Clients.EVENT_LOOPS))
            .overrideConfiguration(o -> o.addExecutionInterceptor(wire)).build()) {
      plain.listStreams(b -> {}).get(10, TimeUnit.SECONDS);
      tls.listStreams(b -> {}).get(10, TimeUnit.SECONDS);
    }
    assertTrue(eddy.connectionsAccepted("h2") >= h2 + 2, "both on HTTP/2");
  }

  @Test
  void waiters() throws Exception {
    String name = unique("wait");
    kinesis.createStream(b -> b.streamName(name).shardCount(1));
    WaiterResponse<DescribeStreamResponse> exists = kinesis.waiter().waitUntilStreamExists(b -> b.streamName(name));
    assertEquals(StreamStatus.ACTIVE, exists.matched().response().orElseThrow().streamDescription().streamStatus());
    kinesis.deleteStream(b -> b.streamName(name));
    WaiterResponse<DescribeStreamResponse> gone = kinesis.waiter().waitUntilStreamNotExists(b -> b.streamName(name));
    assertTrue(gone.matched().exception().orElseThrow() instanceof ResourceNotFoundException);
    try (KinesisAsyncClient async = Clients.async(eddy, Clients.Transport.H2C, wire)) {
      String other = unique("await");
      async.createStream(b -> b.streamName(other).shardCount(1)).get(10, TimeUnit.SECONDS);
      var w = async.waiter().waitUntilStreamExists(b -> b.streamARN(ControlPlaneTest.arn(other))).get(30, TimeUnit.SECONDS);
      assertEquals(other, w.matched().response().orElseThrow().streamDescription().streamName());
    }
  }

  @Test
  void accountFromATwelveDigitKeyAndRegionFromTheSigningScope() {
    try (KinesisClient other = syncWith(Apache5HttpClient.builder().build(), "111122223333", Region.EU_WEST_1)) {
      String name = unique("acct");
      other.createStream(b -> b.streamName(name).shardCount(1));
      StreamDescriptionSummary s = other.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
      assertEquals("arn:aws:kinesis:eu-west-1:111122223333:stream/" + name, s.streamARN());
      assertFalse(kinesis.listStreams(b -> {}).streamNames().contains(name), "another account's stream is not ours");
      expect(ResourceNotFoundException.class, "Stream " + name + " under account 000000000000 not found.",
          () -> kinesis.describeStreamSummary(b -> b.streamName(name)));
      assertTrue(other.listStreams(b -> {}).streamNames().contains(name));
      other.deleteStream(b -> b.streamName(name));
    }
  }

  @Test
  void channelOperationsAreRefusedAsAnUnknownOperation() {
    KinesisException e = org.junit.jupiter.api.Assertions.assertThrows(KinesisException.class,
        () -> kinesis.listChannels(b -> {}));
    assertEquals("UnknownOperationException", e.awsErrorDetails().errorCode(), e.toString());
    assertEquals(400, e.statusCode());
  }
}
