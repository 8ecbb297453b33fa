package dev.eddy.kcl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.StreamConfig;
import software.amazon.kinesis.common.StreamIdentifier;
import software.amazon.kinesis.processor.FormerStreamsLeasesDeletionStrategy;
import software.amazon.kinesis.processor.MultiStreamTracker;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;

/**
 * KCL's multi-stream mode: one application reads two streams, each named by its ARN and creation time.
 * KCL then sends StreamARN (beside StreamName) in ListShards, GetShardIterator, GetRecords and the
 * consumer calls, and keys its leases "account:stream:creationEpoch:shardId", so eddy's ARNs, account
 * and StreamCreationTimestamp must be what KCL derives from them.
 */
class MultiStreamTest extends KclTestBase {
    @ParameterizedTest
    @EnumSource(KclWorker.Retrieval.class)
    void oneApplicationReadsTwoStreamsByArn(KclWorker.Retrieval retrieval) throws Exception {
        String app = unique("kcl-multi-app");
        LeaseTable.create(clients.dynamo, app);
        Map<String, Producer> producers = new HashMap<>();
        Map<String, RecordLog> logs = new HashMap<>();
        Map<String, String> leasePrefix = new HashMap<>();
        List<StreamConfig> configs = new ArrayList<>();
        for (int shards : new int[] {2, 3}) {
            String stream = createStream("kcl-multi", shards);
            StreamDescriptionSummary summary = clients.kinesis
                    .describeStreamSummary(DescribeStreamSummaryRequest.builder().streamName(stream).build())
                    .join()
                    .streamDescriptionSummary();
            long epoch = summary.streamCreationTimestamp().getEpochSecond();
            StreamIdentifier id = StreamIdentifier.multiStreamInstance(Arn.fromString(summary.streamARN()), epoch);
            configs.add(new StreamConfig(
                    id, InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)));
            leasePrefix.put(stream, id.serialize() + ":");
            Producer producer = new Producer(clients.kinesis, stream, 12);
            producer.write(5);
            producers.put(stream, producer);
            logs.put(stream, new RecordLog());
        }

        MultiStreamTracker tracker = new MultiStreamTracker() {
            @Override
            public List<StreamConfig> streamConfigList() {
                return configs;
            }

            @Override
            public FormerStreamsLeasesDeletionStrategy formerStreamsLeasesDeletionStrategy() {
                return new FormerStreamsLeasesDeletionStrategy.NoLeaseDeletionStrategy();
            }
        };
        KclWorker worker = startWorker(KclWorker.start(clients, tracker, app, retrieval,
                workerId -> new ShardRecordProcessorFactory() {
                    @Override
                    public ShardRecordProcessor shardRecordProcessor() {
                        throw new UnsupportedOperationException("multi-stream mode names the stream");
                    }

                    @Override
                    public ShardRecordProcessor shardRecordProcessor(StreamIdentifier stream) {
                        return new RecordingProcessor(logs.get(stream.streamName()), workerId, Checkpointing.EVERY_BATCH);
                    }
                }));
        for (String stream : producers.keySet()) {
            producers.get(stream).write(5);
        }
        for (String stream : producers.keySet()) {
            awaitAllProcessed(logs.get(stream), producers.get(stream), Duration.ofSeconds(90));
        }
        worker.shutdownGracefully(Duration.ofSeconds(60));

        Map<String, String> leases = LeaseTable.checkpoints(clients.dynamo, app);
        for (String stream : producers.keySet()) {
            Checks.allProcessedInOrder(producers.get(stream).produced(), logs.get(stream));
            Map<String, String> checkpoints = new HashMap<>();
            leases.forEach((key, checkpoint) -> {
                if (key.startsWith(leasePrefix.get(stream))) {
                    checkpoints.put(key.substring(leasePrefix.get(stream).length()), checkpoint);
                }
            });
            Checks.checkpointsAtEnd(checkpoints, producers.get(stream).produced(), Set.of());
        }
    }
}
