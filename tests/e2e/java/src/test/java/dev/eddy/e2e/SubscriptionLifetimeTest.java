package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The loop every enhanced fan-out consumer runs: a subscription ends when its lifetime is over (AWS's 5
 * minutes; 1 s here), and the consumer subscribes again AFTER_SEQUENCE_NUMBER its last
 * ContinuationSequenceNumber, at once and with the same consumer. No record may be lost or repeated.
 */
@EddyArgs({"--subscription-lifetime-ms", "1000"})
class SubscriptionLifetimeTest extends EddyTest {
  @ParameterizedTest
  @EnumSource(value = Clients.Transport.class, names = {"H2C", "TLS_ALPN", "HTTP1"})
  void resubscribeFromTheContinuationAfterTheLifetimeEnds(Clients.Transport how) throws Exception {
    String name = unique("life");
    String arn = createStream(name, 1).streamARN();
    String consumerArn = SubscribeToShardTest.consumer(arn, "kcl-like");
    List<String> written = new ArrayList<>();
    List<Record> read = new ArrayList<>();
    try (KinesisAsyncClient c = Clients.async(eddy, how, wire)) {
      String continuation = null;
      for (int round = 0; round < 2; round++) {
        var pos = continuation == null
            ? SubscribeToShardTest.at(ShardIteratorType.TRIM_HORIZON)
            : SubscribeToShardTest.atSequence(ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation);
        try (Subscription s = Subscription.open(c, consumerArn, SubscribeToShardTest.SHARD0, pos)) {
          Await.until("the initial response", SubscribeToShardTest.WAIT, s::response, r -> r != null);
          for (int i = 0; i < 3; i++) {
            String text = round + "/" + i;
            written.add(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String(text))).sequenceNumber());
          }
          // The lifetime ends the call cleanly: the future completes normally. What it delivered before that
          // is read; whatever it did not is the next subscription's to deliver.
          s.done().get(10, TimeUnit.SECONDS);
          while (s.pending() > 0) read.addAll(s.next(Duration.ofSeconds(1)).records());
          if (!s.seen().isEmpty()) {
            continuation = s.last().continuationSequenceNumber();
            assertNotNull(continuation, "an open shard's events always carry a continuation");
          }
        }
        // Written between two subscriptions: the next one must still deliver it.
        written.add(kinesis.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("gap"))).sequenceNumber());
      }
      var pos = continuation == null
          ? SubscribeToShardTest.at(ShardIteratorType.TRIM_HORIZON)
          : SubscribeToShardTest.atSequence(ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation);
      try (Subscription s = Subscription.open(c, consumerArn, SubscribeToShardTest.SHARD0, pos)) {
        read.addAll(s.records(written.size() - read.size(), SubscribeToShardTest.WAIT));
      }
    }
    assertEquals(written, read.stream().map(Record::sequenceNumber).toList(), "every record exactly once, in order");
    assertEquals(SubscribeToShardTest.polled(name, SubscribeToShardTest.SHARD0), read);
  }
}
