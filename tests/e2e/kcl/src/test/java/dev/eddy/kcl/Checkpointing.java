package dev.eddy.kcl;

/**
 * When a {@link RecordingProcessor} checkpoints.
 *
 * @param everyNthRecord checkpoint at every n-th record of a processor (0: after every batch instead)
 * @param onShutdownRequest checkpoint what was processed when the scheduler shuts down gracefully
 */
record Checkpointing(int everyNthRecord, boolean onShutdownRequest) {
    /** After every batch and at a graceful shutdown: the checkpoint is always the last record processed. */
    static final Checkpointing EVERY_BATCH = new Checkpointing(0, true);

    /** Only at every n-th record, not at shutdown: a restart must replay what came after the checkpoint. */
    static Checkpointing everyNth(int n) {
        return new Checkpointing(n, false);
    }
}
