package dev.eddy.kcl;

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
    }
}
