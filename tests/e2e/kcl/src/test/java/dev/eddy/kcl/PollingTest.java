package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scenario 1: KCL polls (GetRecords) a multi-shard stream that is written to while it reads. */
class PollingTest extends KclTestBase {
    @Test
    void pollingProcessesEveryRecordInOrderAndCheckpointsTheLast() throws Exception {
        String stream = createStream("kcl-polling", 4);
        String app = unique("kcl-polling-app");
        LeaseTable.create(clients.dynamo, app);

        Producer producer = new Producer(clients.kinesis, stream, 24);
        producer.write(10); // before KCL starts: read from TRIM_HORIZON
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, KclWorker.Retrieval.POLLING, log, Checkpointing.EVERY_BATCH);
        producer.write(10); // while KCL reads

        awaitAllProcessed(log, producer, Duration.ofSeconds(90));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());
        // The Java SDK's default, which every other class runs on.
        assertEquals(Set.of("application/x-amz-cbor-1.1"), clients.kinesisContentTypes, "what KCL's client sent");
    }

    /**
     * A backlog larger than one GetRecords answer may carry (10 MiB): records of nearly 1 MiB, the
     * largest a stream takes by default, 16 of them on one shard.
     */
    @Test
    void pollingCatchesUpOnABacklogOfLargeRecords() throws Exception {
        String stream = createStream("kcl-polling-large", 1);
        String app = unique("kcl-polling-large-app");
        LeaseTable.create(clients.dynamo, app);

        Producer producer = new Producer(clients.kinesis, stream, 4, 1000 * 1024);
        producer.write(4);
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, KclWorker.Retrieval.POLLING, log, Checkpointing.EVERY_BATCH);
        awaitAllProcessed(log, producer, Duration.ofSeconds(90));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());
    }
}
