package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Consumer;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ListStreamConsumersRequest;

/**
 * Scenario 2: enhanced fan-out as KCL does it by default: it registers a stream consumer named after the
 * application and reads every shard through SubscribeToShard, over h2c (HTTP/2 with prior knowledge).
 *
 * <p>eddy ends each subscription after 2 s instead of AWS's 5 min, so KCL has to resubscribe from the
 * last ContinuationSequenceNumber while records keep coming, as it does every 5 min on AWS.
 */
@EddyArgs({"--subscription-lifetime-ms", "2000"})
class FanOutTest extends KclTestBase {
    private static final int SHARDS = 4;

    @Test
    void fanOutProcessesEveryRecordInOrderAcrossResubscriptions() throws Exception {
        String stream = createStream("kcl-fanout", SHARDS);
        String app = unique("kcl-fanout-app");
        LeaseTable.create(clients.dynamo, app);

        Producer producer = new Producer(clients.kinesis, stream, 24);
        producer.write(10);
        long subscriptionsBefore = requestCount("SubscribeToShard");
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, KclWorker.Retrieval.FAN_OUT, log, Checkpointing.EVERY_BATCH);
        producer.write(10);
        awaitAllProcessed(log, producer, Duration.ofSeconds(90));

        // Every shard's first subscription ends after 2 s; KCL must subscribe again and go on from there.
        await("KCL to resubscribe every shard", Duration.ofSeconds(60),
                () -> requestCountUnchecked("SubscribeToShard") - subscriptionsBefore >= 2L * SHARDS);
        producer.write(10);
        awaitAllProcessed(log, producer, Duration.ofSeconds(60));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());

        String streamArn = clients.kinesis
                .describeStreamSummary(DescribeStreamSummaryRequest.builder().streamName(stream).build())
                .join()
                .streamDescriptionSummary()
                .streamARN();
        List<Consumer> consumers = clients.kinesis
                .listStreamConsumers(ListStreamConsumersRequest.builder().streamARN(streamArn).build())
                .join()
                .consumers();
        assertEquals(1, consumers.size(), "KCL registers one consumer: " + consumers);
        assertEquals(app, consumers.get(0).consumerName());
        assertEquals(ConsumerStatus.ACTIVE, consumers.get(0).consumerStatus());
    }

    /**
     * A backlog of large records on one shard: events far larger than the 512 KiB HTTP/2 window KCL's
     * client opens, so eddy must wait for WINDOW_UPDATEs in the middle of events, and subscriptions that
     * end (after 2 s) in the middle of the backlog.
     */
    @Test
    void fanOutCatchesUpOnABacklogOfLargeRecords() throws Exception {
        String stream = createStream("kcl-fanout-large", 1);
        String app = unique("kcl-fanout-large-app");
        LeaseTable.create(clients.dynamo, app);

        Producer producer = new Producer(clients.kinesis, stream, 8, 256 * 1024);
        producer.write(8); // 64 records, 16 MiB
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, KclWorker.Retrieval.FAN_OUT, log, Checkpointing.EVERY_BATCH);
        awaitAllProcessed(log, producer, Duration.ofSeconds(90));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());
    }
}
