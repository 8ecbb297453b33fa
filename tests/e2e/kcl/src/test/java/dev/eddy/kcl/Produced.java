package dev.eddy.kcl;

/** One record as written: its key, its place in that key's sequence, and where eddy put it. */
record Produced(String key, int counter, String shardId, String sequenceNumber) {
    /** The record's data: the key and counter, so a consumer can tell records apart without a lookup. */
    static String data(String key, int counter) {
        return key + "|" + counter;
    }
}
