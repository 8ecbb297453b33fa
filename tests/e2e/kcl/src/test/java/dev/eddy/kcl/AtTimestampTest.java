package dev.eddy.kcl;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * KCL started AT_TIMESTAMP: it reads from the first record that arrived at or after the timestamp. The
 * Java SDK sends that timestamp as CBOR (epoch milliseconds under tag 1) in GetShardIterator and in
 * SubscribeToShard's StartingPosition, where a seconds/milliseconds mix-up silently returns nothing.
 */
class AtTimestampTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void startsAtTheFirstRecordAfterTheTimestamp(KclWorker.Retrieval retrieval) throws Exception {
        String stream = createStream("kcl-timestamp", 2);
        String app = unique("kcl-timestamp-app");
        LeaseTable.create(clients.dynamo, app);
        Producer producer = new Producer(clients.kinesis, stream, 12);

        producer.write(5);
        int before = producer.produced().size();
        // Arrival times have millisecond precision: step past the millisecond of the last record written.
        Instant start = Instant.now().plusMillis(2);
        while (!Instant.now().isAfter(start)) {
            Thread.onSpinWait();
        }
        producer.write(5);
        List<Produced> expected = producer.produced().subList(before, producer.produced().size());

        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH,
                InitialPositionInStreamExtended.newInitialPositionAtTimestamp(Date.from(start)));
        await("the " + expected.size() + " records after the timestamp", Duration.ofSeconds(90),
                () -> log.distinctSeen() >= expected.size(), () -> "(processed " + log.distinctSeen() + ")");
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(expected, log);
    }
}
