package dev.eddy.kcl;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One eddy process: {@code eddy --in-memory --port 0 --ready-file PATH}. It is ready once the ready file
 * holds its endpoint URLs (written whole, one per line), so there is nothing to sleep on.
 *
 * <p>The binary comes from EDDY_BIN, else {@code build/bin/eddy} from the repository root.
 */
final class Eddy implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ManagedProcess process;
    private final URI endpoint;

    private Eddy(ManagedProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static Path binary() {
        String env = System.getenv("EDDY_BIN");
        if (env != null && !env.isEmpty()) {
            return Path.of(env).toAbsolutePath();
        }
        return TestPaths.repoRoot().resolve("build/bin/eddy");
    }

    static Eddy start(String... extraArgs) throws IOException, InterruptedException {
        Path bin = binary();
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("eddy binary not found or not executable: " + bin + " (set EDDY_BIN)");
        }
        Path dir = Files.createTempDirectory("eddy-kcl-");
        Path ready = dir.resolve("ready");
        List<String> cmd = new ArrayList<>(List.of(bin.toString(), "--in-memory", "--port", "0", "--ready-file",
                ready.toString()));
        cmd.addAll(List.of(extraArgs));
        ManagedProcess p = ManagedProcess.start("eddy", cmd, dir, TestPaths.logDir());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(ready)) {
                List<String> lines = Files.readAllLines(ready, StandardCharsets.UTF_8);
                if (!lines.isEmpty()) {
                    return new Eddy(p, URI.create(lines.get(0).trim()));
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("eddy exited before it was ready:\n" + p.tail());
            }
            Thread.sleep(10);
        }
        p.stop();
        throw new IllegalStateException("eddy wrote no ready file within " + START_TIMEOUT + ":\n" + p.tail());
    }

    URI endpoint() {
        return endpoint;
    }

    ManagedProcess process() {
        return process;
    }

    /** SIGTERM; returns the exit code, which must be 0. */
    int stop() throws InterruptedException {
        return process.stop();
    }

    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
