package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The TLS port: the certificate eddy generates for --in-memory, trusted for real by both SDK clients (the
 * sync one on HTTP/1.1, the async one on h2 with and without ALPN), and one given with --tls-cert.
 */
class TlsTest extends EddyTest {
  static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void theGeneratedCertificateIsWhereTheDocsSayAndNamesLoopback() throws Exception {
    X509Certificate cert = read(eddy.certificate());
    List<String> names = cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
    assertTrue(names.contains("localhost"), names.toString());
    assertTrue(names.contains("127.0.0.1"), names.toString());
  }

  @Test
  void syncClientOverHttpsHttp11() throws Exception {
    long http1 = eddy.connectionsAccepted("http1");
    try (KinesisClient tls = Clients.syncTls(eddy, wire)) {
      String name = unique("tls");
      tls.createStream(b -> b.streamName(name).shardCount(1));
      awaitActive(name);
      byte[] data = DataPlaneTest.allBytes();
      tls.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromByteArray(data)));
      String it = tls.getShardIterator(b -> b.streamName(name).shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
      assertEquals(SdkBytes.fromByteArray(data), tls.getRecords(b -> b.shardIterator(it)).records().get(0).data());
    }
    assertTrue(eddy.connectionsAccepted("http1") > http1, "HTTP/1.1 over TLS");
  }

  @Test
  void localhostNameVerifiesToo() {
    URI byName = URI.create(eddy.https().toString().replace("127.0.0.1", "localhost"));
    try (KinesisClient c = KinesisClient.builder().endpointOverride(byName).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(Apache5HttpClient.builder().tlsTrustManagersProvider(Clients.trusting(eddy.certificate())))
        .overrideConfiguration(o -> o.addExecutionInterceptor(wire))
        .build()) {
      c.listStreams(b -> {});
    }
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateRefusesIt() {
    try (KinesisClient c = KinesisClient.builder().endpointOverride(eddy.https()).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
        .httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build()) {
      SdkClientException e = assertThrows(SdkClientException.class, () -> c.listStreams(b -> {}));
      Throwable root = e;
      while (root.getCause() != null && !(root instanceof SSLException)) root = root.getCause();
      assertInstanceOf(SSLException.class, root, "a certificate error, not a trust-all client");
    }
  }

  @ParameterizedTest
  @EnumSource(value = Clients.Transport.class, names = {"TLS_ALPN", "TLS_NO_ALPN"})
  void asyncClientOverTlsSpeaksHttp2(Clients.Transport how) throws Exception {
    long h2 = eddy.connectionsAccepted("h2");
    try (KinesisAsyncClient c = Clients.async(eddy, how, wire)) {
      String name = unique("h2tls");
      c.createStream(b -> b.streamName(name).shardCount(1)).get(10, TimeUnit.SECONDS);
      awaitActive(name);
      c.putRecord(b -> b.streamName(name).partitionKey("k").data(SdkBytes.fromUtf8String("x"))).get(10, TimeUnit.SECONDS);
    }
    assertTrue(eddy.connectionsAccepted("h2") > h2, how + " ended up on HTTP/2");
  }

  @Test
  void aCertificateGivenWithTlsCert() throws Exception {
    Path dir = Files.createTempDirectory("eddy-own-cert");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-subj", "/CN=eddy-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-days", "1",
        "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    try (Eddy own = Eddy.start("--tls-cert", cert.toString(), "--tls-key", key.toString());
        KinesisAsyncClient c = Clients.async(own, Clients.Transport.TLS_ALPN, wire, cert)) {
      c.listStreams(b -> {}).get(10, TimeUnit.SECONDS);
      assertTrue(Files.notExists(own.certificate()), "nothing generated when a certificate is given");
    } finally {
      Files.deleteIfExists(cert);
      Files.deleteIfExists(key);
      Files.delete(dir);
    }
  }
}
