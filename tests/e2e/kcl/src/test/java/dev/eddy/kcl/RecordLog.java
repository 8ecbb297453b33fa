package dev.eddy.kcl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every record processor of a scenario saw and did, in one order. {@code at} is a counter shared
 * by all processors, so "the parent shard ended before its child's first record" is a comparison.
 * Thread safe: processors of different shards write concurrently.
 */
final class RecordLog {
    /** One record handed to a processor; {@code session} is one processor instance (one lease held once). */
    record Seen(long at, String worker, long session, String shardId, String key, int counter, String sequenceNumber,
            int size) {}

    /** A processor started on a shard; {@code startingAt} is the checkpoint KCL gave it. */
    record Session(long at, String worker, long session, String shardId, String startingAt) {}

    /** A checkpoint a processor wrote successfully. */
    record Checkpoint(long at, String worker, long session, String shardId, String sequenceNumber) {}

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong sessions = new AtomicLong();
    private final List<Seen> seen = new ArrayList<>();
    private final List<Session> started = new ArrayList<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final Map<String, Long> shardEndedAt = new ConcurrentHashMap<>();
    private final List<String> problems = new ArrayList<>();

    synchronized long sessionStarted(String worker, String shardId, String startingAt) {
        long id = sessions.incrementAndGet();
        started.add(new Session(clock.incrementAndGet(), worker, id, shardId, startingAt));
        return id;
    }

    synchronized void seen(String worker, long session, String shardId, String key, int counter, String seq, int size) {
        seen.add(new Seen(clock.incrementAndGet(), worker, session, shardId, key, counter, seq, size));
    }

    synchronized void checkpointed(String worker, long session, String shardId, String seq) {
        checkpoints.add(new Checkpoint(clock.incrementAndGet(), worker, session, shardId, seq));
    }

    synchronized void shardEnded(String shardId) {
        shardEndedAt.putIfAbsent(shardId, clock.incrementAndGet());
    }

    synchronized void problem(String what) {
        problems.add(what);
    }

    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    synchronized List<Session> sessions() {
        return List.copyOf(started);
    }

    synchronized List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    Map<String, Long> shardEndedAt() {
        return Map.copyOf(shardEndedAt);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** How many distinct (key, counter) pairs were seen. */
    synchronized long distinctSeen() {
        return seen.stream().map(s -> s.key() + "|" + s.counter()).distinct().count();
    }
}
