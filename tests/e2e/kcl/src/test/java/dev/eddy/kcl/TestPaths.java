package dev.eddy.kcl;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the module, the repository and the logs are; Maven runs tests with the module as working dir. */
final class TestPaths {
    private TestPaths() {}

    static Path moduleDir() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        if (!Files.exists(dir.resolve("dynalite-server.js"))) {
            throw new IllegalStateException("not run from tests/e2e/kcl: " + dir);
        }
        return dir;
    }

    static Path repoRoot() {
        return moduleDir().resolve("../../..").normalize();
    }

    static Path logDir() {
        return moduleDir().resolve("target/process-logs");
    }
}
