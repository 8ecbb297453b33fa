package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 4: a worker checkpoints every 10th record, then is shut down gracefully (without a final
 * checkpoint), more records are written, and a new worker of the same application starts. It must start
 * each shard exactly after that shard's checkpoint: the records between the checkpoint and where the
 * first worker stopped are processed again (at least once), none before the checkpoint are, and
 * nothing is lost.
 */
class RestartTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void aNewWorkerResumesFromTheCheckpoints(KclWorker.Retrieval retrieval) throws Exception {
        String stream = createStream("kcl-restart", 3);
        String app = unique("kcl-restart-app");
        LeaseTable.create(clients.dynamo, app);
        Producer producer = new Producer(clients.kinesis, stream, 18);

        producer.write(15);
        List<Produced> firstBatch = producer.produced();
        RecordLog first = new RecordLog();
        KclWorker a = startWorker(stream, app, retrieval, first, Checkpointing.everyNth(10));
        awaitAllProcessed(first, producer, Duration.ofSeconds(90));
        a.shutdownGracefully(Duration.ofSeconds(60));
        Checks.allProcessedInOrder(firstBatch, first);

        // The lease table holds exactly the last checkpoint the first worker wrote on each shard.
        Map<String, String> checkpoints = LeaseTable.checkpoints(clients.dynamo, app);
        Map<String, String> lastLogged = new HashMap<>();
        for (RecordLog.Checkpoint c : first.checkpoints()) {
            lastLogged.put(c.shardId(), c.sequenceNumber());
        }
        for (Map.Entry<String, String> e : lastLogged.entrySet()) {
            assertEquals(e.getValue(), checkpoints.get(e.getKey()), "lease checkpoint of " + e.getKey());
        }

        producer.write(5); // while no worker runs
        List<Produced> expected = new ArrayList<>();
        for (Produced p : producer.produced()) {
            String checkpoint = checkpoints.get(p.shardId());
            if (!isSequenceNumber(checkpoint)
                    || new BigInteger(p.sequenceNumber()).compareTo(new BigInteger(checkpoint)) > 0) {
                expected.add(p);
            }
        }
        assertFalse(expected.size() == producer.produced().size(), "the first worker checkpointed nothing");

        RecordLog second = new RecordLog();
        KclWorker b = startWorker(stream, app, retrieval, second, Checkpointing.everyNth(10));
        await("the new worker to process " + expected.size() + " records", Duration.ofSeconds(90),
                () -> second.distinctSeen() >= expected.size(),
                () -> "(processed " + second.distinctSeen() + ")");
        b.shutdownGracefully(Duration.ofSeconds(60));

        // Exactly the records after each checkpoint, in order, and each shard started at its checkpoint.
        Checks.allProcessedInOrder(expected, second);
        for (RecordLog.Session s : second.sessions()) {
            String checkpoint = checkpoints.get(s.shardId());
            if (checkpoint != null) {
                assertEquals(checkpoint, s.startingAt(), "where the new worker started " + s.shardId());
            }
        }
    }

    private static boolean isSequenceNumber(String checkpoint) {
        return checkpoint != null && !checkpoint.isEmpty() && checkpoint.chars().allMatch(Character::isDigit);
    }
}
