package dev.eddy.kcl;

/** One record as written: its key, its place in that key's sequence, where eddy put it, its data size. */
record Produced(String key, int counter, String shardId, String sequenceNumber, int size) {
    /**
     * The record's data: key and counter, so a consumer can tell records apart without a lookup, then
     * {@code padding} filler bytes to make records as large as a test needs.
     */
    static String data(String key, int counter, int padding) {
        return key + "|" + counter + "|" + "x".repeat(padding);
    }
}
