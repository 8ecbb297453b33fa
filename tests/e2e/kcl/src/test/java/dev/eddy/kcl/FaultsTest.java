package dev.eddy.kcl;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * KCL against the errors AWS sends now and then: eddy fails a fifth of the reads (500 InternalFailure,
 * 503 ServiceUnavailable, and throttles: ProvisionedThroughputExceededException on GetRecords and
 * GetShardIterator, LimitExceededException on SubscribeToShard), see docs/faults.md. The SDK must decode each
 * error (CBOR bodies) and retry, KCL must back off and go on, and still nothing is lost or reordered.
 * ListShards and DescribeStreamSummary are left alone: the test's own set-up and checks call them, and a
 * fault there (after the SDK's three attempts) failed the test rather than KCL.
 */
@EddyArgs({
    "--fault-rate", "0.2",
    "--fault-ops", "GetRecords,GetShardIterator,SubscribeToShard",
    "--fault-seed", "11",
    "--subscription-lifetime-ms", "1000" // more SubscribeToShard calls to fail
})
class FaultsTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void kclRidesOutInjectedErrors(KclWorker.Retrieval retrieval) throws Exception {
        String stream = createStream("kcl-faults", 2);
        String app = unique("kcl-faults-app");
        LeaseTable.create(clients.dynamo, app);
        String read = retrieval == KclWorker.Retrieval.POLLING ? "GetRecords" : "SubscribeToShard";
        long injectedBefore = injected(read);

        Producer producer = new Producer(clients.kinesis, stream, 12);
        producer.write(5);
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH);
        producer.write(5);
        awaitAllProcessed(log, producer, Duration.ofSeconds(120));
        // Reads go on while KCL is idle (polls; a new subscription every second), so faults keep hitting
        // them; write more once one has, and KCL must get past it to read them.
        await("a fault injected into " + read, Duration.ofSeconds(60),
                () -> injectedUnchecked(read) > injectedBefore);
        producer.write(5);
        awaitAllProcessed(log, producer, Duration.ofSeconds(120));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());
    }

    private static long injectedUnchecked(String operation) {
        try {
            return injected(operation);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
