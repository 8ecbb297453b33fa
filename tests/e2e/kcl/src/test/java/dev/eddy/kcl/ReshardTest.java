package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.SplitShardRequest;
import software.amazon.awssdk.services.kinesis.model.UpdateShardCountRequest;

/**
 * Scenario 3: the stream is resharded while producers write and KCL reads: a SplitShard, then an
 * UpdateShardCount. KCL must read each parent to its end (ChildShards, SHARD_END checkpoint) before it
 * reads any child, so a key's records stay in order across the reshard.
 */
class ReshardTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void parentsAreReadToTheirEndBeforeTheirChildren(KclWorker.Retrieval retrieval) throws Exception {
        String stream = createStream("kcl-reshard", 2);
        String app = unique("kcl-reshard-app");
        LeaseTable.create(clients.dynamo, app);

        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH);
        Producer producer = new Producer(clients.kinesis, stream, 32);
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try {
                producer.writeUntil(stop, 20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "producer");
        writer.start();
        try {
            await("KCL processing records", Duration.ofSeconds(60), () -> log.distinctSeen() >= 100,
                    () -> "(processed " + log.distinctSeen() + ")");

            Shard first = listShards(stream).get(0);
            BigInteger start = new BigInteger(first.hashKeyRange().startingHashKey());
            BigInteger end = new BigInteger(first.hashKeyRange().endingHashKey());
            clients.kinesis.splitShard(SplitShardRequest.builder()
                            .streamName(stream)
                            .shardToSplit(first.shardId())
                            .newStartingHashKey(start.add(end).add(BigInteger.ONE).shiftRight(1).toString())
                            .build())
                    .join();
            awaitActive(stream);
            Set<String> children = listShards(stream).stream()
                    .filter(s -> first.shardId().equals(s.parentShardId()))
                    .map(Shard::shardId)
                    .collect(Collectors.toSet());
            assertEquals(2, children.size(), "children of the split shard");
            await("KCL reading a child of the split shard", Duration.ofSeconds(60),
                    () -> log.seen().stream().anyMatch(s -> children.contains(s.shardId())));

            clients.kinesis.updateShardCount(UpdateShardCountRequest.builder()
                            .streamName(stream)
                            .targetShardCount(3)
                            .scalingType(ScalingType.UNIFORM_SCALING)
                            .build())
                    .join();
            awaitActive(stream);
            int roundsAtUpdate = producer.rounds();
            await("more writes after UpdateShardCount", Duration.ofSeconds(30),
                    () -> producer.rounds() >= roundsAtUpdate + 15);
        } finally {
            stop.set(true);
            writer.join();
        }

        awaitAllProcessed(log, producer, Duration.ofSeconds(90));
        List<Shard> shards = listShards(stream);
        Set<String> closed = shards.stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() != null)
                .map(Shard::shardId)
                .collect(Collectors.toSet());
        assertTrue(closed.size() >= 3, "the split and the scaling closed shards: " + closed);
        // Each closed shard is read to its end (a closed shard with no record still gets its SHARD_END once
        // its children are due); wait for all of them before the worker stops.
        await("every closed shard to reach SHARD_END", Duration.ofSeconds(60),
                () -> log.shardEndedAt().keySet().containsAll(closed),
                () -> "(ended " + log.shardEndedAt().keySet() + " of " + closed + ")");
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer.produced(), log);
        Checks.parentsEndedBeforeChildrenStarted(shards, log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer.produced(), closed);
    }
}
