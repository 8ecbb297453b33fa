package dev.eddy.kcl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Writes rounds of records: one PutRecords per round with exactly one record per key, so a key's records
 * are written one call after another. AWS orders records of a key only across calls (it does not promise
 * an order inside one PutRecords), so this is the write pattern whose per-key order a consumer may rely on.
 * A record that fails is retried before the key's next record is written.
 */
final class Producer {
    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final List<String> keys;
    private final int[] next;
    private final int padding;
    private final List<Produced> produced = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger rounds = new AtomicInteger();

    Producer(KinesisAsyncClient kinesis, String stream, int keyCount) {
        this(kinesis, stream, keyCount, 0);
    }

    /** Records of about {@code padding} bytes each. */
    Producer(KinesisAsyncClient kinesis, String stream, int keyCount, int padding) {
        this.padding = padding;
        this.kinesis = kinesis;
        this.stream = stream;
        this.keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add("key-" + i);
        }
        this.next = new int[keyCount];
    }

    /** Writes {@code rounds} rounds. */
    void write(int rounds) {
        for (int r = 0; r < rounds; r++) {
            round();
        }
    }

    /** Writes rounds until {@code stop} is set, pausing {@code pauseMillis} between them. */
    void writeUntil(AtomicBoolean stop, long pauseMillis) throws InterruptedException {
        while (!stop.get()) {
            round();
            Thread.sleep(pauseMillis);
        }
    }

    private void round() {
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            pending.add(i);
        }
        int attempts = 0;
        while (!pending.isEmpty()) {
            if (++attempts > 20) {
                throw new IllegalStateException("PutRecords kept failing for " + pending.size() + " records");
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i : pending) {
                entries.add(PutRecordsRequestEntry.builder()
                        .partitionKey(keys.get(i))
                        .data(SdkBytes.fromUtf8String(Produced.data(keys.get(i), next[i], padding)))
                        .build());
            }
            PutRecordsResponse resp = kinesis.putRecords(PutRecordsRequest.builder()
                            .streamName(stream)
                            .records(entries)
                            .build())
                    .join();
            List<Integer> failed = new ArrayList<>();
            for (int j = 0; j < pending.size(); j++) {
                int i = pending.get(j);
                PutRecordsResultEntry res = resp.records().get(j);
                if (res.errorCode() != null) {
                    failed.add(i);
                    continue;
                }
                produced.add(new Produced(keys.get(i), next[i], res.shardId(), res.sequenceNumber(),
                        entries.get(j).data().asByteArrayUnsafe().length));
                next[i]++;
            }
            pending = failed;
        }
        rounds.incrementAndGet();
    }

    /** Rounds written so far. */
    int rounds() {
        return rounds.get();
    }

    List<Produced> produced() {
        synchronized (produced) {
            return List.copyOf(produced);
        }
    }
}
