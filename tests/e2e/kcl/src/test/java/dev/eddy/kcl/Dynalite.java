package dev.eddy.kcl;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * dynalite (npm, pinned in package.json) holding KCL's lease tables, started through dynalite-server.js
 * so that it listens on a free port and says which.
 */
final class Dynalite implements AutoCloseable {
    private static final String READY_PREFIX = "dynalite listening on ";

    private final ManagedProcess process;
    private final URI endpoint;

    private Dynalite(ManagedProcess process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static Dynalite start() throws IOException, InterruptedException {
        Path module = TestPaths.moduleDir();
        if (!Files.isDirectory(module.resolve("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed: run `npm ci` in " + module + " (run.sh does)");
        }
        ManagedProcess p = ManagedProcess.start("dynalite", List.of("node", "dynalite-server.js"), module,
                TestPaths.logDir());
        String url = p.awaitLogLine(READY_PREFIX, Duration.ofSeconds(20));
        return new Dynalite(p, URI.create(url));
    }

    URI endpoint() {
        return endpoint;
    }

    int stop() throws InterruptedException {
        return process.stop();
    }

    @Override
    public void close() throws InterruptedException {
        process.stop();
    }
}
