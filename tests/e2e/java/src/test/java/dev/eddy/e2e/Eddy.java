package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One eddy process, started with {@code --in-memory --port 0 --tls-port 0 --ready-file}.
 *
 * <p>Its TMPDIR is a fresh directory of its own, so the self-signed certificate eddy generates for
 * {@code --in-memory} ({@code $TMPDIR/eddy-tls/eddy-tls.crt}, see docs/auth-and-tls.md) belongs to this
 * process alone. {@link #close()} sends SIGTERM and requires exit code 0, as eddy promises.
 */
public final class Eddy implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final Process process;
  private final Path dir;
  private final Path ready;
  private final List<String> output;
  private final URI http;
  private final URI https;

  private Eddy(Process process, Path dir, Path ready, List<String> output, URI http, URI https) {
    this.process = process;
    this.ready = ready;
    this.output = output;
    this.dir = dir;
    this.http = http;
    this.https = https;
  }

  /** The binary under test: -Deddy.bin (set by run.sh from EDDY_BIN). */
  public static Path binary() {
    String bin = System.getProperty("eddy.bin", "");
    if (bin.isEmpty()) bin = System.getenv().getOrDefault("EDDY_BIN", "");
    if (bin.isEmpty()) {
      throw new IllegalStateException("set -Deddy.bin or EDDY_BIN to the eddy binary (run.sh does)");
    }
    Path p = Path.of(bin).toAbsolutePath();
    if (!Files.isExecutable(p)) throw new IllegalStateException("eddy binary not executable: " + p);
    return p;
  }

  public static Eddy start(String... extraArgs) throws IOException, InterruptedException {
    return start(java.util.Map.of(), extraArgs);
  }

  /** Starts eddy with these environment variables added to the test's own. */
  public static Eddy start(java.util.Map<String, String> env, String... extraArgs) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("eddy-java-e2e");
    Path ready = dir.resolve("ready");
    List<String> cmd = new ArrayList<>(List.of(binary().toString(), "--in-memory", "--port", "0",
        "--tls-port", "0", "--ready-file", ready.toString(), "--log-level", "warn"));
    Collections.addAll(cmd, extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    pb.environment().put("TMPDIR", dir.toString());
    Process p = pb.start();
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    drain(p.getInputStream(), out, "stdout");
    drain(p.getErrorStream(), out, "stderr");

    // The ready file is written whole once eddy serves, so its first complete read is the answer.
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    List<String> urls = List.of();
    while (System.nanoTime() < deadline) {
      if (Files.exists(ready)) {
        urls = Files.readAllLines(ready, StandardCharsets.UTF_8);
        if (!urls.isEmpty()) break;
      }
      if (!p.isAlive()) {
        deleteTree(dir);
        throw new IllegalStateException("eddy exited with " + p.exitValue() + " before ready:\n" + String.join("\n", out));
      }
      Thread.sleep(10);
    }
    URI http = null;
    URI https = null;
    for (String u : urls) {
      if (u.startsWith("http://")) http = URI.create(u.trim());
      if (u.startsWith("https://")) https = URI.create(u.trim());
    }
    if (http == null || https == null) {
      p.destroyForcibly();
      p.waitFor();
      deleteTree(dir);
      throw new IllegalStateException("eddy not ready in " + START_TIMEOUT + "; ready file: " + urls + "\n" + String.join("\n", out));
    }
    return new Eddy(p, dir, ready, out, http, https);
  }

  private static void drain(InputStream in, List<String> sink, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) sink.add(name + ": " + line);
      } catch (IOException ignored) {
        // the process is gone; nothing more to read
      }
    }, "eddy-" + name);
    t.setDaemon(true);
    t.start();
  }

  public URI http() {
    return http;
  }

  public URI https() {
    return https;
  }

  /** The certificate eddy generated for its TLS port. */
  public Path certificate() {
    return dir.resolve("eddy-tls").resolve("eddy-tls.crt");
  }

  /** Connections eddy has handed to a session of this protocol ("http1" or "h2"), from GET /metrics. */
  public long connectionsAccepted(String protocol) throws IOException, InterruptedException {
    HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = c.send(HttpRequest.newBuilder(http.resolve("/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    Matcher m = Pattern.compile("(?m)^eddy_connections_accepted_total\\{protocol=\"" + protocol + "\"\\} (\\S+)$")
        .matcher(r.body());
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  public String log() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** SIGTERM, then the exit code must be 0. */
  @Override
  public void close() throws Exception {
    process.destroy();
    boolean exited = process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly();
      throw new AssertionError("eddy did not exit within " + STOP_TIMEOUT + " of SIGTERM\n" + log());
    }
    assertEquals(0, process.exitValue(), () -> "eddy's exit code after SIGTERM\n" + log());
    // The other promises of a clean start and exit: one stdout line per listener, the ready file gone.
    for (URI u : List.of(http, https)) {
      assertTrue(log().contains("stdout: eddy listening on " + u), () -> "no listening line for " + u + "\n" + log());
    }
    assertTrue(Files.notExists(ready), "the ready file is removed at a clean exit");
    deleteTree(dir);
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
