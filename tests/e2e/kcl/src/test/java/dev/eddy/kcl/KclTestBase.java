package dev.eddy.kcl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.services.kinesis.model.CreateStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * Starts eddy (with the class's {@link EddyArgs}) and dynalite once per test class, with SDK clients for
 * both (JSON instead of CBOR with {@link CborDisabled}), and stops both at the end, asserting that eddy
 * exits 0 on SIGTERM. Tests wait for conditions with deadlines ({@link #await}), never for fixed times.
 */
abstract class KclTestBase {
    private static final String CBOR_ENABLED = "aws.cborEnabled";

    static Eddy eddy;
    static Dynalite dynalite;
    static Clients clients;

    /** Workers a test started; any still running when it ends are stopped without grace. */
    final List<KclWorker> workers = new ArrayList<>();

    @BeforeAll
    static void startServers(TestInfo info) throws Exception {
        EddyArgs args = info.getTestClass().map(c -> c.getAnnotation(EddyArgs.class)).orElse(null);
        if (info.getTestClass().map(c -> c.isAnnotationPresent(CborDisabled.class)).orElse(false)) {
            // Read by the SDK when it builds a client's protocol factory, and cleared again at the end.
            System.setProperty(CBOR_ENABLED, "false");
        }
        dynalite = Dynalite.start();
        eddy = Eddy.start(args == null ? new String[0] : args.value());
        clients = new Clients(eddy.endpoint(), dynalite.endpoint());
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (clients != null) {
            clients.close();
        }
        System.clearProperty(CBOR_ENABLED);
        int dynaliteExit = dynalite == null ? 0 : dynalite.stop();
        int eddyExit = eddy == null ? 0 : eddy.stop();
        assertEquals(0, eddyExit, "eddy's exit code after SIGTERM; log " + (eddy == null ? "" : eddy.process().log()));
        assertEquals(0, dynaliteExit, "dynalite's exit code after SIGTERM");
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(KclWorker::shutdownNow);
        workers.clear();
    }

    KclWorker startWorker(String stream, String app, KclWorker.Retrieval retrieval, RecordLog log,
            Checkpointing checkpointing) {
        KclWorker w = KclWorker.start(clients, stream, app, retrieval, log, checkpointing);
        workers.add(w);
        return w;
    }

    KclWorker startWorker(String stream, String app, KclWorker.Retrieval retrieval, RecordLog log,
            Checkpointing checkpointing, InitialPositionInStreamExtended initialPosition) {
        KclWorker w = KclWorker.start(clients, stream, app, retrieval, log, checkpointing, initialPosition);
        workers.add(w);
        return w;
    }

    KclWorker startWorker(KclWorker worker) {
        workers.add(worker);
        return worker;
    }

    /** eddy's request count of one operation, from its Prometheus endpoint (GET /metrics). */
    static long requestCount(String operation) throws Exception {
        String prefix = "eddy_api_requests_total{operation=\"" + operation + "\"} ";
        return metricSum(prefix).orElseThrow(() -> new AssertionError("no " + prefix + "in eddy's /metrics"));
    }

    /** Faults eddy injected into one operation, of any type (0 before the first). */
    static long injected(String operation) throws Exception {
        return metricSum("eddy_faults_injected_total{operation=\"" + operation + "\",").orElse(0L);
    }

    /** The sum of the samples whose line starts with {@code prefix}; empty when there is none. */
    private static OptionalLong metricSum(String prefix) throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(eddy.endpoint().resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
        long[] found = resp.body().lines()
                .filter(l -> l.startsWith(prefix))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).trim()))
                .toArray();
        return found.length == 0 ? OptionalLong.empty() : OptionalLong.of(Arrays.stream(found).sum());
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new stream of {@code shards} shards, ACTIVE. */
    static String createStream(String prefix, int shards) throws InterruptedException {
        String name = unique(prefix);
        clients.kinesis.createStream(CreateStreamRequest.builder().streamName(name).shardCount(shards).build()).join();
        awaitActive(name);
        return name;
    }

    static void awaitActive(String stream) throws InterruptedException {
        await("stream " + stream + " ACTIVE", Duration.ofSeconds(30), () -> clients.kinesis
                        .describeStreamSummary(DescribeStreamSummaryRequest.builder().streamName(stream).build())
                        .join()
                        .streamDescriptionSummary()
                        .streamStatus()
                == StreamStatus.ACTIVE);
    }

    static List<Shard> listShards(String stream) {
        List<Shard> shards = new ArrayList<>();
        String token = null;
        do {
            ListShardsRequest.Builder req = ListShardsRequest.builder();
            if (token == null) {
                req.streamName(stream);
            } else {
                req.nextToken(token);
            }
            ListShardsResponse resp = clients.kinesis.listShards(req.build()).join();
            shards.addAll(resp.shards());
            token = resp.nextToken();
        } while (token != null);
        return shards;
    }

    /** {@link #requestCount} for use in a condition. */
    static long requestCountUnchecked(String operation) {
        try {
            return requestCount(operation);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        await(what, timeout, condition, () -> "");
    }

    /** Polls {@code condition} every 100 ms until it holds, else fails with {@code state} in the message. */
    static void await(String what, Duration timeout, BooleanSupplier condition, Supplier<String> state)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + " " + state.get());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until every record written so far was processed at least once. */
    static void awaitAllProcessed(RecordLog log, Producer producer, Duration timeout) throws InterruptedException {
        int total = producer.produced().size();
        await("all " + total + " records processed", timeout, () -> log.distinctSeen() >= total,
                () -> "(processed " + log.distinctSeen() + " distinct)");
    }
}
