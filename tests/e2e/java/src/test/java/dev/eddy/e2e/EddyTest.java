package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * One eddy per test class, a sync client on it, and the wire check every class ends with: each request
 * went out in the encoding this run is for (surefire sets eddy.expectedContentType per execution) and
 * each answer came back in the same one.
 */
public abstract class EddyTest {
  public static final String CBOR = "application/x-amz-cbor-1.1";
  public static final String JSON = "application/x-amz-json-1.1";

  protected static Eddy eddy;
  protected static WireRecorder wire;
  protected static KinesisClient kinesis;

  @BeforeAll
  static void startEddy(TestInfo info) throws Exception {
    EddyArgs args = info.getTestClass().map(c -> c.getAnnotation(EddyArgs.class)).orElse(null);
    eddy = Eddy.start(args == null ? new String[0] : args.value());
    wire = new WireRecorder();
    kinesis = Clients.sync(eddy, wire);
  }

  @AfterAll
  static void stopEddy() throws Exception {
    try {
      if (kinesis != null) kinesis.close();
      if (eddy != null) assertWireEncoding(wire.exchanges());  // not when start-up itself failed
    } finally {
      if (eddy != null) eddy.close();
      eddy = null;
    }
  }

  /** The Content-Type this run must use: CBOR unless -Daws.cborEnabled=false. */
  public static String expectedContentType() {
    return System.getProperty("eddy.expectedContentType", CBOR);
  }

  public static boolean cbor() {
    return expectedContentType().equals(CBOR);
  }

  /**
   * Every request used this run's encoding and every non-streaming answer came back in it. SubscribeToShard
   * is the exception on the request side: SDK 2.57.8 marshals it with its JSON protocol factory even when CBOR
   * is on (DefaultKinesisAsyncClient.subscribeToShard), and its answer is an event stream.
   */
  static void assertWireEncoding(List<WireRecorder.Exchange> exchanges) {
    assertTrue(!exchanges.isEmpty(), "the class made requests");
    for (WireRecorder.Exchange x : exchanges) {
      if (x.operation().equals("SubscribeToShard")) {
        assertEquals(JSON, x.requestType(), () -> "request of " + x);
        if (x.status() == 200) assertEquals("application/vnd.amazon.eventstream", x.responseType(), () -> "response of " + x);
        else assertEquals(JSON, x.responseType(), () -> "error response of " + x);
        continue;
      }
      assertEquals(expectedContentType(), x.requestType(), () -> "request of " + x);
      assertEquals(expectedContentType(), x.responseType(), () -> "response of " + x);
    }
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a provisioned stream and waits for ACTIVE. */
  protected static StreamDescriptionSummary createStream(String name, int shards) {
    kinesis.createStream(b -> b.streamName(name).shardCount(shards));
    return awaitActive(name);
  }

  protected static StreamDescriptionSummary awaitActive(String name) {
    return Await.until(name + " ACTIVE", Duration.ofSeconds(10),
        () -> kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary(),
        s -> s.streamStatus() == StreamStatus.ACTIVE);
  }
}
