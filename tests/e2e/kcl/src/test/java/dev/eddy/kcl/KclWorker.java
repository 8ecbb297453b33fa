package dev.eddy.kcl;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.PromptScheduler;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.processor.StreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * One KCL worker: a {@link Scheduler} on its own thread, consuming one stream (from TRIM_HORIZON unless
 * told otherwise) into a {@link RecordLog}, or several streams in KCL's multi-stream mode.
 *
 * <p>The intervals are cut from KCL's production defaults (tens of seconds to minutes) to about a
 * second so that a scenario takes seconds. CloudWatch metrics are off (NullMetricsFactory, level
 * NONE), and so are KCL 3.x's worker CPU metrics, whose platform probe would otherwise call the EC2
 * instance metadata address.
 */
final class KclWorker {
    enum Retrieval {
        /** GetRecords polling (PollingConfig). */
        POLLING,
        /** Enhanced fan-out: KCL registers a consumer and reads through SubscribeToShard (FanOutConfig). */
        FAN_OUT
    }

    private static final Duration SLOW_SHUTDOWN = Duration.ofSeconds(10);

    private final Scheduler scheduler;
    private final Thread thread;
    private final String workerId;

    private KclWorker(Scheduler scheduler, String workerId) {
        this.scheduler = scheduler;
        this.workerId = workerId;
        this.thread = new Thread(scheduler, "kcl-" + workerId);
        this.thread.setDaemon(true);
    }

    static KclWorker start(Clients clients, String stream, String application, Retrieval retrieval, RecordLog log,
            Checkpointing checkpointing) {
        return start(clients, stream, application, retrieval, log, checkpointing,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
    }

    /** As above, starting shards without a checkpoint at {@code initialPosition}. */
    static KclWorker start(Clients clients, String stream, String application, Retrieval retrieval, RecordLog log,
            Checkpointing checkpointing, InitialPositionInStreamExtended initialPosition) {
        return start(clients, new SingleStreamTracker(stream, initialPosition), application, retrieval,
                worker -> new ShardRecordProcessorFactory() {
                    @Override
                    public ShardRecordProcessor shardRecordProcessor() {
                        return new RecordingProcessor(log, worker, checkpointing);
                    }
                });
    }

    /**
     * The general case: any {@link StreamTracker} (one stream, or several in KCL's multi-stream mode),
     * with processors from {@code processors}, which is given the worker's id.
     */
    static KclWorker start(Clients clients, StreamTracker streams, String application, Retrieval retrieval,
            Function<String, ShardRecordProcessorFactory> processors) {
        String workerId = "worker-" + UUID.randomUUID().toString().substring(0, 8);
        ConfigsBuilder configs = new ConfigsBuilder(
                streams,
                application,
                clients.kinesis,
                clients.dynamo,
                clients.cloudWatch,
                workerId,
                processors.apply(workerId));

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(6_000)
                .leaseAssignmentIntervalMillis(1_000L)
                .shardSyncIntervalMillis(1_000)
                .listShardsBackoffTimeInMillis(200)
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(6_000)
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(1_000)
                .gracefulLeaseHandoffConfig(LeaseManagementConfig.GracefulLeaseHandoffConfig.builder()
                        .gracefulLeaseHandoffTimeoutMillis(5_000)
                        .build());
        leases.workerUtilizationAwareAssignmentConfig()
                .disableWorkerMetrics(true)
                .inMemoryWorkerMetricsCaptureFrequencyMillis(500)
                .workerMetricsReporterFreqInMillis(1_000);

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(500)
                .shardConsumerDispatchPollIntervalMillis(200)
                .schedulerInitializationBackoffTimeMillis(500);

        RetrievalConfig retrievalConfig = configs.retrievalConfig();
        if (retrieval == Retrieval.POLLING) {
            // Without a stream name: KCL takes it from the tracker, and refuses one in multi-stream mode.
            retrievalConfig.retrievalSpecificConfig(new PollingConfig(clients.kinesis)
                    .idleTimeBetweenReadsInMillis(PollingConfig.MIN_IDLE_MILLIS_BETWEEN_READS));
        }
        // FAN_OUT: the default FanOutConfig, as a KCL application gets it without choosing.

        Scheduler scheduler = new PromptScheduler(
                configs.checkpointConfig(),
                coordinator,
                leases,
                configs.lifecycleConfig().taskBackoffTimeMillis(200),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                retrievalConfig);
        KclWorker worker = new KclWorker(scheduler, workerId);
        worker.thread.start();
        return worker;
    }

    /**
     * KCL's graceful shutdown: every processor gets shutdownRequested (where it may checkpoint), then the
     * leases are given up and the scheduler's thread ends.
     */
    void shutdownGracefully(Duration timeout) throws Exception {
        CompletableFuture<Boolean> shutdown = scheduler.startGracefulShutdown();
        Boolean done;
        try {
            done = shutdown.get(SLOW_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            // It normally takes about a second; say where it is stuck before waiting longer.
            System.err.print(threadDump("KCL graceful shutdown of " + workerId + " still runs after " + SLOW_SHUTDOWN));
            done = shutdown.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        if (!Boolean.TRUE.equals(done)) {
            throw new IllegalStateException("KCL graceful shutdown of " + workerId + " did not complete");
        }
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new IllegalStateException("KCL scheduler thread of " + workerId + " still runs after shutdown");
        }
    }

    private static String threadDump(String title) {
        StringBuilder out = new StringBuilder(title).append('\n');
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState()).append('\n');
            for (StackTraceElement e : t.getStackTrace()) {
                out.append("    at ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    /** For cleanup after a failed test: stop at once, without waiting for processors. */
    void shutdownNow() {
        if (thread.isAlive()) {
            scheduler.shutdown();
        }
    }
}
