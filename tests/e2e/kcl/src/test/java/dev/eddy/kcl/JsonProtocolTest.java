package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * KCL with the SDK's CBOR turned off: every call, and the SubscribeToShard request, in JSON, timestamps
 * as epoch seconds and blobs as base64, instead of CBOR's byte strings and tagged milliseconds.
 */
@CborDisabled
class JsonProtocolTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void kclWorksOverJson(KclWorker.Retrieval retrieval) throws Exception {
        String stream = createStream("kcl-json", 2);
        String app = unique("kcl-json-app");
        LeaseTable.create(clients.dynamo, app);

        Producer producer = new Producer(clients.kinesis, stream, 12);
        producer.write(5);
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH);
        producer.write(5);
        awaitAllProcessed(log, producer, Duration.ofSeconds(90));
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), Set.of());
        assertEquals(Set.of("application/x-amz-json-1.1"), clients.kinesisContentTypes, "what KCL's client sent");
    }
}
