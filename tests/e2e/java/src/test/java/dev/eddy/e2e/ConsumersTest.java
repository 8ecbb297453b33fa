package dev.eddy.e2e;

import static dev.eddy.e2e.AwsErrors.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.*;

/** Enhanced fan-out consumers: register, describe, list in pages, deregister. */
class ConsumersTest extends EddyTest {
  static Consumer register(String streamArn, String consumer) {
    return kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName(consumer)).consumer();
  }

  static ConsumerDescription awaitConsumer(String consumerArn, ConsumerStatus status) {
    return Await.until(consumerArn + " " + status, Duration.ofSeconds(10),
        () -> kinesis.describeStreamConsumer(b -> b.consumerARN(consumerArn)).consumerDescription(),
        d -> d.consumerStatus() == status);
  }

  @Test
  void registerDescribeListDeregister() {
    String name = unique("cons");
    String streamArn = createStream(name, 1).streamARN();
    long before = System.currentTimeMillis();
    Consumer c = kinesis.registerStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader").tags(Map.of("app", "java"))).consumer();
    long after = System.currentTimeMillis();
    assertEquals("reader", c.consumerName());
    assertTrue(c.consumerARN().startsWith(streamArn + "/consumer/reader:"), c.consumerARN());
    assertNotNull(c.consumerStatus());
    long created = c.consumerCreationTimestamp().toEpochMilli();
    // The ARN carries the creation time in whole seconds; the timestamp itself is the instant of the call.
    assertTrue(created >= before / 1000 * 1000 && created <= after, "ConsumerCreationTimestamp " + c.consumerCreationTimestamp());
    assertEquals(String.valueOf(c.consumerCreationTimestamp().getEpochSecond()), c.consumerARN().substring(c.consumerARN().lastIndexOf(':') + 1));

    ConsumerDescription d = awaitConsumer(c.consumerARN(), ConsumerStatus.ACTIVE);
    assertEquals(streamArn, d.streamARN());
    assertEquals(c.consumerCreationTimestamp(), d.consumerCreationTimestamp(), "same instant to the millisecond");
    assertEquals(d, kinesis.describeStreamConsumer(b -> b.streamARN(streamArn).consumerName("reader")).consumerDescription());
    assertEquals(Map.of("app", "java"), ControlPlaneTest.asMap(kinesis.listTagsForResource(b -> b.resourceARN(c.consumerARN())).tags()));
    assertEquals(1, awaitActive(name).consumerCount());

    List<String> names = new ArrayList<>(List.of("reader"));
    for (int i = 0; i < 4; i++) {
      names.add("c" + i);
      register(streamArn, "c" + i);
    }
    // Pages of two, through the SDK's paginator (NextToken alone after the first page).
    List<String> listed = kinesis.listStreamConsumersPaginator(b -> b.streamARN(streamArn).maxResults(2)).stream()
        .flatMap(r -> r.consumers().stream()).map(Consumer::consumerName).toList();
    assertEquals(names.stream().sorted().toList(), listed.stream().sorted().toList());
    ListStreamConsumersResponse page = kinesis.listStreamConsumers(b -> b.streamARN(streamArn).maxResults(2));
    assertEquals(2, page.consumers().size());
    assertNotNull(page.nextToken());

    expect(ResourceInUseException.class, null, () -> register(streamArn, "reader"));
    expect(ResourceInUseException.class, null, () -> kinesis.deleteStream(b -> b.streamName(name)));

    kinesis.deregisterStreamConsumer(b -> b.consumerARN(c.consumerARN()));
    Await.until("reader gone", Duration.ofSeconds(10), () -> {
      try {
        return kinesis.describeStreamConsumer(b -> b.consumerARN(c.consumerARN())).consumerDescription().consumerStatusAsString();
      } catch (ResourceNotFoundException e) {
        return "gone";
      }
    }, "gone"::equals);
    expect(ResourceNotFoundException.class, "Consumer reader under stream " + name + " and account 000000000000 not found.",
        () -> kinesis.describeStreamConsumer(b -> b.consumerARN(c.consumerARN())));
    kinesis.deregisterStreamConsumer(b -> b.streamARN(streamArn).consumerName("c0"));

    kinesis.deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
  }

  @Test
  void consumerErrors() {
    expect(ResourceNotFoundException.class, null,
        () -> kinesis.registerStreamConsumer(b -> b.streamARN(ControlPlaneTest.arn("missing-s")).consumerName("x")));
    expect(ValidationException.class, "~at 'consumerName' failed to satisfy constraint",
        () -> kinesis.registerStreamConsumer(b -> b.streamARN(ControlPlaneTest.arn("missing-s")).consumerName("bad name!")));
    expect(InvalidArgumentException.class, null, () -> kinesis.describeStreamConsumer(b -> b.consumerName("x")));
  }
}
