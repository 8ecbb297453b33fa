package software.amazon.kinesis.coordinator;

import software.amazon.kinesis.checkpoint.CheckpointConfig;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.exceptions.DependencyException;
import software.amazon.kinesis.leases.exceptions.InvalidStateException;
import software.amazon.kinesis.leases.exceptions.ProvisionedThroughputException;
import software.amazon.kinesis.lifecycle.LifecycleConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * KCL's Scheduler without its bootstrap pause, and nothing else changed.
 *
 * <p>When the lease table is empty, KCL 3.x waits a random 1 to 30 s (hard-coded, not configurable),
 * re-checking every 3 s, before the leader lists the shards and creates the leases, so that a fleet of
 * workers starting at once does not all sync. A test starts one worker per fresh application; the pause
 * would only add up to half a minute per scenario. This decides as KCL does once the pause ends: sync
 * when the table is still empty. It lives in KCL's package because the hook is package-private.
 */
public class PromptScheduler extends Scheduler {
    public PromptScheduler(
            CheckpointConfig checkpointConfig,
            CoordinatorConfig coordinatorConfig,
            LeaseManagementConfig leaseManagementConfig,
            LifecycleConfig lifecycleConfig,
            MetricsConfig metricsConfig,
            ProcessorConfig processorConfig,
            RetrievalConfig retrievalConfig) {
        super(
                checkpointConfig,
                coordinatorConfig,
                leaseManagementConfig,
                lifecycleConfig,
                metricsConfig,
                processorConfig,
                retrievalConfig);
    }

    @Override
    boolean shouldInitiateLeaseSync()
            throws InterruptedException, DependencyException, ProvisionedThroughputException, InvalidStateException {
        return leaseRefresher().isLeaseTableEmpty();
    }
}
