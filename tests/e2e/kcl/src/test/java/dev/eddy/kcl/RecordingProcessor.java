package dev.eddy.kcl;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A record processor that writes down everything KCL hands it into a {@link RecordLog}, and checkpoints
 * as its {@link Checkpointing} says. KCL makes one per shard lease and calls it from one thread at a time.
 */
final class RecordingProcessor implements ShardRecordProcessor {
    private final RecordLog log;
    private final String worker;
    private final Checkpointing checkpointing;
    private String shardId;
    private long session;
    private long processed;
    private String lastSequence;

    RecordingProcessor(RecordLog log, String worker, Checkpointing checkpointing) {
        this.log = log;
        this.worker = worker;
        this.checkpointing = checkpointing;
    }

    @Override
    public void initialize(InitializationInput input) {
        shardId = input.shardId();
        String start = input.extendedSequenceNumber() == null ? null : input.extendedSequenceNumber().sequenceNumber();
        session = log.sessionStarted(worker, shardId, start);
    }

    @Override
    public void processRecords(ProcessRecordsInput input) {
        for (KinesisClientRecord r : input.records()) {
            ByteBuffer data = r.data().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            String[] fields = new String(bytes, StandardCharsets.UTF_8).split("\\|", 3);
            if (fields.length != 3 || !fields[0].equals(r.partitionKey())) {
                log.problem("record " + r.sequenceNumber() + " on " + shardId + " has " + bytes.length
                        + " bytes of data that do not start with its partition key " + r.partitionKey());
                continue;
            }
            log.seen(worker, session, shardId, r.partitionKey(), Integer.parseInt(fields[1]), r.sequenceNumber(),
                    bytes.length);
            lastSequence = r.sequenceNumber();
            processed++;
            if (checkpointing.everyNthRecord() > 0 && processed % checkpointing.everyNthRecord() == 0) {
                checkpoint(input.checkpointer(), r.sequenceNumber(), r.sequenceNumber());
            }
        }
        if (checkpointing.everyNthRecord() == 0 && !input.records().isEmpty()) {
            checkpoint(input.checkpointer(), null, lastSequence);
        }
    }

    @Override
    public void leaseLost(LeaseLostInput input) {
        // Nothing to flush: everything processed is already in the log; the next owner resumes from the checkpoint.
    }

    @Override
    public void shardEnded(ShardEndedInput input) {
        // KCL requires this checkpoint: it is what lets the child shards start.
        checkpoint(input.checkpointer(), null, "SHARD_END");
        log.shardEnded(shardId);
    }

    @Override
    public void shutdownRequested(ShutdownRequestedInput input) {
        if (checkpointing.onShutdownRequest() && lastSequence != null) {
            checkpoint(input.checkpointer(), null, lastSequence);
        }
    }

    /**
     * Checkpoints at {@code sequence}, or at everything delivered so far when it is null, and logs
     * {@code holds}: what the lease's checkpoint is after it (SHARD_END at a shard's end).
     */
    private void checkpoint(RecordProcessorCheckpointer checkpointer, String sequence, String holds) {
        try {
            if (sequence == null) {
                checkpointer.checkpoint();
            } else {
                checkpointer.checkpoint(sequence);
            }
            log.checkpointed(worker, session, shardId, holds);
        } catch (ShutdownException e) {
            // The lease moved to another worker between the batch and the checkpoint: that worker goes on
            // from the previous checkpoint, which at-least-once allows.
        } catch (InvalidStateException | ThrottlingException | KinesisClientLibDependencyException e) {
            log.problem("checkpoint on " + shardId + " failed: " + e);
        }
    }
}
