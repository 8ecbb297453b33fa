package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.kinesis.checkpoint.SequenceNumberValidator;

/** The properties every scenario asserts about what KCL delivered. */
final class Checks {
    private Checks() {}

    private static final SequenceNumberValidator VALIDATOR = new SequenceNumberValidator();

    static String id(String key, int counter) {
        return key + "|" + counter;
    }

    /**
     * Every record of {@code expected} was processed at least once, exactly as written (same shard, same
     * sequence number, same data size), and no other record was; a key's records were first processed in the order they
     * were written; and within one processor instance, a key's records and a shard's sequence numbers
     * only go forward.
     */
    static void allProcessedInOrder(List<Produced> expected, RecordLog log) {
        assertEquals(List.of(), log.problems(), "record processors reported problems");
        Map<String, Produced> byId = new HashMap<>();
        Map<String, Integer> firstSeenNext = new HashMap<>();
        for (Produced p : expected) {
            byId.put(id(p.key(), p.counter()), p);
            firstSeenNext.merge(p.key(), p.counter(), Math::min);
        }
        List<RecordLog.Seen> seen = log.seen();
        Set<String> seenIds = new HashSet<>();
        Map<String, Integer> lastInSession = new HashMap<>();
        Map<Long, BigInteger> lastSeqInSession = new HashMap<>();
        for (RecordLog.Seen s : seen) {
            String id = id(s.key(), s.counter());
            Produced p = byId.get(id);
            if (p == null) {
                fail("processed a record that was not expected (never written, or before the checkpoint): " + s);
            }
            assertEquals(p.shardId(), s.shardId(), "shard of " + id);
            assertEquals(p.sequenceNumber(), s.sequenceNumber(), "sequence number of " + id);
            // KCL reads the version and shard out of AWS's sequence numbers; Eddy's must read the same way.
            assertEquals(Optional.of(true), VALIDATOR.validateSequenceNumberForShard(s.sequenceNumber(), s.shardId()),
                    "KCL's SequenceNumberValidator on " + s.sequenceNumber() + " of " + s.shardId());
            assertEquals(p.size(), s.size(), "data size of " + id);

            if (seenIds.add(id)) {
                int next = firstSeenNext.getOrDefault(s.key(), 0);
                if (s.counter() != next) {
                    fail("key " + s.key() + ": record " + s.counter() + " was processed before record " + next
                            + " (" + s + ")");
                }
                firstSeenNext.put(s.key(), next + 1);
            }

            String sessionKey = s.session() + "/" + s.key();
            Integer before = lastInSession.put(sessionKey, s.counter());
            if (before != null && before >= s.counter()) {
                fail("key " + s.key() + " went back from " + before + " to " + s.counter() + " within one processor ("
                        + s + ")");
            }
            BigInteger seq = new BigInteger(s.sequenceNumber());
            BigInteger prev = lastSeqInSession.put(s.session(), seq);
            if (prev != null && prev.compareTo(seq) >= 0) {
                fail("shard " + s.shardId() + " went back from " + prev + " to " + seq + " within one processor");
            }
        }
        List<String> missing = new ArrayList<>();
        for (Produced p : expected) {
            if (!seenIds.contains(id(p.key(), p.counter()))) {
                missing.add(id(p.key(), p.counter()) + "@" + p.shardId());
            }
        }
        assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())),
                missing.size() + " of " + expected.size() + " records never processed (first 20 shown)");
    }

    /** The newest sequence number written to each shard. */
    static Map<String, String> lastWrittenPerShard(List<Produced> produced) {
        Map<String, String> last = new TreeMap<>();
        for (Produced p : produced) {
            last.merge(p.shardId(), p.sequenceNumber(),
                    (a, b) -> new BigInteger(a).compareTo(new BigInteger(b)) >= 0 ? a : b);
        }
        return last;
    }

    /**
     * After a graceful shutdown of a worker that checkpoints after every batch: each open shard's lease
     * holds the shard's last record, and each closed shard's lease SHARD_END (or is gone: KCL deletes a
     * finished parent's lease once its children have progressed).
     */
    static void checkpointsAtEnd(Map<String, String> leaseCheckpoints, List<Produced> produced, Set<String> closed) {
        Map<String, String> last = lastWrittenPerShard(produced);
        for (Map.Entry<String, String> e : last.entrySet()) {
            String shard = e.getKey();
            String checkpoint = leaseCheckpoints.get(shard);
            if (closed.contains(shard)) {
                assertTrue(checkpoint == null || checkpoint.equals("SHARD_END"),
                        "closed shard " + shard + " checkpoint " + checkpoint + ", expected SHARD_END");
            } else {
                assertEquals(e.getValue(), checkpoint, "checkpoint of open shard " + shard);
            }
        }
        for (String shard : closed) {
            String checkpoint = leaseCheckpoints.get(shard);
            assertTrue(checkpoint == null || checkpoint.equals("SHARD_END"),
                    "closed shard " + shard + " checkpoint " + checkpoint + ", expected SHARD_END");
        }
    }

    /** No record of a child was processed before each of its parents reached SHARD_END. */
    static void parentsEndedBeforeChildrenStarted(List<Shard> shards, RecordLog log) {
        Map<String, Long> firstSeen = new HashMap<>();
        for (RecordLog.Seen s : log.seen()) {
            firstSeen.putIfAbsent(s.shardId(), s.at());
        }
        Map<String, Long> ended = log.shardEndedAt();
        for (Shard child : shards) {
            Long childFirst = firstSeen.get(child.shardId());
            if (childFirst == null) {
                continue;
            }
            for (String parent : new String[] {child.parentShardId(), child.adjacentParentShardId()}) {
                if (parent == null) {
                    continue;
                }
                Long parentEnd = ended.get(parent);
                assertNotNull(parentEnd, "parent " + parent + " of " + child.shardId() + " never reached SHARD_END");
                assertTrue(parentEnd < childFirst, "child " + child.shardId() + " was read before its parent " + parent
                        + " reached SHARD_END");
            }
        }
    }
}
