package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * SIGTERM while Java clients hold subscriptions open, on every transport: eddy still exits 0 promptly,
 * and every SDK call ends instead of hanging, so a KCL worker sees the broker go and can retry.
 */
class ShutdownTest {
  @Test
  void sigtermWithOpenSubscriptionsExitsZeroAndEndsThem() throws Exception {
    Eddy eddy = Eddy.start();
    WireRecorder wire = new WireRecorder();
    List<KinesisAsyncClient> clients = new ArrayList<>();
    List<Subscription> subs = new ArrayList<>();
    try (KinesisClient kinesis = Clients.sync(eddy, wire)) {
      String name = EddyTest.unique("bye");
      kinesis.createStream(b -> b.streamName(name).shardCount(Clients.Transport.values().length));
      String arn = kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
      int shard = 0;
      for (Clients.Transport how : Clients.Transport.values()) {
        String consumer = kinesis.registerStreamConsumer(b -> b.streamARN(arn).consumerName("c-" + how)).consumer().consumerARN();
        Await.until("consumer ACTIVE", Duration.ofSeconds(10),
            () -> kinesis.describeStreamConsumer(b -> b.consumerARN(consumer)).consumerDescription().consumerStatus(),
            s -> s == ConsumerStatus.ACTIVE);
        KinesisAsyncClient c = Clients.async(eddy, how, wire);
        clients.add(c);
        Subscription s = Subscription.open(c, consumer, String.format("shardId-%012d", shard++), SubscribeToShardTest.at(ShardIteratorType.LATEST));
        subs.add(s);
        Await.until("the initial response", Duration.ofSeconds(10), s::response, r -> r != null);
      }
    }
    long start = System.nanoTime();
    eddy.close();  // SIGTERM; asserts exit code 0
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "eddy stopped promptly");
    for (Subscription s : subs) {
      // Ended one way or the other: a clean end of the stream, or a connection error the caller retries.
      s.done().handle((v, t) -> null).get(10, TimeUnit.SECONDS);
      s.close();
    }
    clients.forEach(KinesisAsyncClient::close);
  }
}
