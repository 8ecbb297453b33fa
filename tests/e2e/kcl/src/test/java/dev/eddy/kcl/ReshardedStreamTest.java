package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.SplitShardRequest;
import software.amazon.awssdk.services.kinesis.model.UpdateShardCountRequest;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * A new application on a stream that was resharded before it started. KCL lists the shards with a
 * ShardFilter (AT_TRIM_HORIZON or AT_LATEST) and builds its leases from the lineage it gets back: from
 * TRIM_HORIZON it must read the closed parents before their children; from LATEST it must take only the
 * open shards and see only what is written after it started.
 */
class ReshardedStreamTest extends KclTestBase {
    /** A stream split once and then scaled to 3 shards, with records written in each of its shapes. */
    private static String reshardedStream(Producer[] producer) throws Exception {
        String stream = createStream("kcl-resharded", 2);
        producer[0] = new Producer(clients.kinesis, stream, 24);
        producer[0].write(4);
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
        producer[0].write(4);
        clients.kinesis.updateShardCount(UpdateShardCountRequest.builder()
                        .streamName(stream)
                        .targetShardCount(3)
                        .scalingType(ScalingType.UNIFORM_SCALING)
                        .build())
                .join();
        awaitActive(stream);
        producer[0].write(4);
        return stream;
    }

    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void fromTrimHorizonParentsComeBeforeChildren(KclWorker.Retrieval retrieval) throws Exception {
        Producer[] producer = new Producer[1];
        String stream = reshardedStream(producer);
        String app = unique("kcl-resharded-app");
        LeaseTable.create(clients.dynamo, app);

        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH);
        awaitAllProcessed(log, producer[0], Duration.ofSeconds(90));
        List<Shard> shards = listShards(stream);
        Set<String> closed = shards.stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() != null)
                .map(Shard::shardId)
                .collect(Collectors.toSet());
        await("every closed shard to reach SHARD_END", Duration.ofSeconds(60),
                () -> log.shardEndedAt().keySet().containsAll(closed),
                () -> "(ended " + log.shardEndedAt().keySet() + " of " + closed + ")");
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(producer[0].produced(), log);
        Checks.parentsEndedBeforeChildrenStarted(shards, log);
        Checks.checkpointsAtEnd(LeaseTable.checkpoints(clients.dynamo, app), producer[0].produced(), closed);
    }

    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void fromLatestOnlyOpenShardsAndNewRecords(KclWorker.Retrieval retrieval) throws Exception {
        Producer[] producer = new Producer[1];
        String stream = reshardedStream(producer);
        String app = unique("kcl-latest-app");
        LeaseTable.create(clients.dynamo, app);
        Set<String> open = listShards(stream).stream()
                .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .map(Shard::shardId)
                .collect(Collectors.toSet());

        // KCL is positioned once it has asked for a LATEST iterator (polling) or subscription (fan-out)
        // on every open shard; only then is "after it started" well defined.
        String positioning = retrieval == KclWorker.Retrieval.POLLING ? "GetShardIterator" : "SubscribeToShard";
        long before = requestCount(positioning);
        RecordLog log = new RecordLog();
        KclWorker worker = startWorker(stream, app, retrieval, log, Checkpointing.EVERY_BATCH,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.LATEST));
        await("KCL positioned on the " + open.size() + " open shards", Duration.ofSeconds(60),
                () -> requestCountUnchecked(positioning) - before >= open.size());
        int already = producer[0].produced().size();
        producer[0].write(4);
        List<Produced> expected = producer[0].produced().subList(already, producer[0].produced().size());
        await("the " + expected.size() + " records written after KCL started", Duration.ofSeconds(60),
                () -> log.distinctSeen() >= expected.size(), () -> "(processed " + log.distinctSeen() + ")");
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Checks.allProcessedInOrder(expected, log);
        Map<String, String> checkpoints = LeaseTable.checkpoints(clients.dynamo, app);
        assertEquals(open, checkpoints.keySet(), "KCL took leases on the open shards only");
        Map<String, String> last = new HashMap<>(Checks.lastWrittenPerShard(expected));
        for (String shard : open) {
            assertTrue(!last.containsKey(shard) || last.get(shard).equals(checkpoints.get(shard)),
                    "checkpoint of " + shard + ": " + checkpoints.get(shard) + ", last written " + last.get(shard));
        }
    }
}
