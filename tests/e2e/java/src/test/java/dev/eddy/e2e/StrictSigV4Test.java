package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.*;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * eddy with --auth sigv4 verifies the signatures the Java SDK makes: on HTTP/1.1 and HTTP/2 (where the
 * SDK signs "host" and Netty sends ":authority"), over plain and TLS, with session tokens, and for the
 * SubscribeToShard call. A wrong secret or an unknown key is refused with AWS's error codes.
 */
class StrictSigV4Test {
  static final String ALICE = "AKIAALICE0000000000A";
  static Eddy eddy;
  static Path dir;
  static final WireRecorder wire = new WireRecorder();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("eddy-sigv4");
    Path creds = dir.resolve("credentials");
    Files.writeString(creds, "# key secret account\n" + ALICE + " alicesecret 111111111111\n");
    eddy = Eddy.start("--auth", "sigv4", "--credentials-file", creds.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      EddyTest.assertWireEncoding(wire.exchanges().stream().filter(x -> x.status() == 200).toList());
    } finally {
      eddy.close();
      Files.deleteIfExists(dir.resolve("credentials"));
      Files.deleteIfExists(dir);
    }
  }

  static IdentityProvider<? extends AwsCredentialsIdentity> as(String key, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
  }

  static KinesisClient sync(boolean tls, IdentityProvider<? extends AwsCredentialsIdentity> creds) {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder();
    if (tls) http.tlsTrustManagersProvider(Clients.trusting(eddy.certificate()));
    return KinesisClient.builder().endpointOverride(tls ? eddy.https() : eddy.http()).region(Region.EU_CENTRAL_1)
        .credentialsProvider(creds).httpClientBuilder(http)
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  static KinesisAsyncClient async(Clients.Transport how, IdentityProvider<? extends AwsCredentialsIdentity> creds) {
    NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
        .protocol(how.http1() ? Protocol.HTTP1_1 : Protocol.HTTP2)
        .eventLoopGroup(Clients.EVENT_LOOPS);
    boolean tls = how.tls();
    if (tls) {
      http.tlsTrustManagersProvider(Clients.trusting(eddy.certificate()))
          .protocolNegotiation(how == Clients.Transport.TLS_ALPN ? ProtocolNegotiation.ALPN : ProtocolNegotiation.ASSUME_PROTOCOL);
    }
    return KinesisAsyncClient.builder().endpointOverride(tls ? eddy.https() : eddy.http()).region(Region.EU_CENTRAL_1)
        .credentialsProvider(creds).httpClientBuilder(http)
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire).retryStrategy(AwsRetryStrategy.doNotRetry()))
        .build();
  }

  @Test
  void syncClientSignaturesVerifyOnPlainAndTls() {
    for (boolean tls : List.of(false, true)) {
      try (KinesisClient c = sync(tls, as(ALICE, "alicesecret"))) {
        String name = EddyTest.unique("sig");
        c.createStream(b -> b.streamName(name).shardCount(1));
        assertEquals("arn:aws:kinesis:eu-central-1:111111111111:stream/" + name,
            c.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN());
        c.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(new byte[300_000])));
      }
    }
    // A session token is signed along.
    try (KinesisClient c = sync(false, StaticCredentialsProvider.create(AwsSessionCredentials.create(ALICE, "alicesecret", "token-123")))) {
      c.listStreams(b -> {});
    }
  }

  @Test
  void wrongSecretAndUnknownKeyAreRefused() {
    try (KinesisClient c = sync(false, as(ALICE, "not-the-secret"))) {
      KinesisException e = assertThrows(KinesisException.class, () -> c.listStreams(b -> {}));
      assertEquals("InvalidSignatureException", e.awsErrorDetails().errorCode());
      assertEquals(400, e.statusCode());
    }
    try (KinesisClient c = sync(false, as("AKIAUNKNOWN000000000", "x"))) {
      KinesisException e = assertThrows(KinesisException.class, () -> c.listStreams(b -> {}));
      assertEquals("UnrecognizedClientException", e.awsErrorDetails().errorCode());
      assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Clients.Transport.class)
  void asyncClientSignaturesVerifyOnEveryTransportIncludingSubscribeToShard(Clients.Transport how) throws Exception {
    try (KinesisAsyncClient c = async(how, as(ALICE, "alicesecret"))) {
      String name = EddyTest.unique("asig");
      c.createStream(b -> b.streamName(name).shardCount(1)).get(10, TimeUnit.SECONDS);
      String arn = c.describeStreamSummary(b -> b.streamName(name)).get(10, TimeUnit.SECONDS).streamDescriptionSummary().streamARN();
      String consumer = c.registerStreamConsumer(b -> b.streamARN(arn).consumerName("c")).get(10, TimeUnit.SECONDS).consumer().consumerARN();
      Await.until("consumer ACTIVE", Duration.ofSeconds(10),
          () -> c.describeStreamConsumer(b -> b.consumerARN(consumer)).join().consumerDescription().consumerStatus(),
          s -> s == ConsumerStatus.ACTIVE);
      try (Subscription s = Subscription.open(c, consumer, "shardId-000000000000", SubscribeToShardTest.at(ShardIteratorType.TRIM_HORIZON))) {
        c.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("signed"))).get(10, TimeUnit.SECONDS);
        List<Record> got = s.records(1, Duration.ofSeconds(10));
        assertEquals("signed", got.get(0).data().asUtf8String());
      }
    }
    try (KinesisAsyncClient c = async(how, as(ALICE, "wrong"))) {
      ExecutionException e = assertThrows(ExecutionException.class, () -> c.listStreams(b -> {}).get(10, TimeUnit.SECONDS));
      assertEquals("InvalidSignatureException", ((KinesisException) e.getCause()).awsErrorDetails().errorCode());
    }
  }
}
