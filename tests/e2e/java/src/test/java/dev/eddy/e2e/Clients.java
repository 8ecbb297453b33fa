package dev.eddy.e2e;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.TlsTrustManagersProvider;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * SDK clients pointed at one eddy. Retries are off, so a wrong answer fails the test at once instead of
 * being papered over by a second attempt. Every client carries the given {@link WireRecorder}.
 */
public final class Clients {
  /** How the async (Netty) client reaches eddy. */
  public enum Transport {
    /** http:// with prior knowledge (the SDK's behaviour for Protocol.HTTP2 on plaintext). */
    H2C,
    /** https:// with ALPN offering h2 (what SDKs from about 2.30 do for Kinesis). */
    TLS_ALPN,
    /** https:// opening HTTP/2 straight after the handshake, no ALPN (older SDKs). */
    TLS_NO_ALPN,
    /** http:// with Protocol.HTTP1_1: event streams come as a chunked HTTP/1.1 body. */
    HTTP1,
    /** https:// with Protocol.HTTP1_1: the same over TLS. */
    TLS_HTTP1;

    public boolean tls() {
      return this == TLS_ALPN || this == TLS_NO_ALPN || this == TLS_HTTP1;
    }

    public boolean http1() {
      return this == HTTP1 || this == TLS_HTTP1;
    }
  }

  private static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

  /**
   * One Netty event loop group for every async client of the JVM. A client that owns its group shuts it down
   * gracefully on close(), which costs Netty's 2 s quiet period each time; a shared group is not closed by
   * the clients (the JVM's exit ends its daemon threads).
   */
  static final SdkEventLoopGroup EVENT_LOOPS = SdkEventLoopGroup.builder().numberOfThreads(2).build();

  private Clients() {}

  private static ClientOverrideConfiguration overrides(WireRecorder recorder) {
    return ClientOverrideConfiguration.builder()
        .addExecutionInterceptor(recorder)
        .retryStrategy(AwsRetryStrategy.doNotRetry())
        .apiCallTimeout(Duration.ofSeconds(30))
        .build();
  }

  /** The sync client with the SDK's default HTTP client, Apache HttpClient 5 (HTTP/1.1), over http://. */
  public static KinesisClient sync(Eddy eddy, WireRecorder recorder) {
    return KinesisClient.builder()
        .endpointOverride(eddy.http())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(Apache5HttpClient.builder())
        .overrideConfiguration(overrides(recorder))
        .build();
  }

  /** The sync client over https://, trusting eddy's certificate (and nothing else). */
  public static KinesisClient syncTls(Eddy eddy, WireRecorder recorder) {
    return KinesisClient.builder()
        .endpointOverride(eddy.https())
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(Apache5HttpClient.builder().tlsTrustManagersProvider(trusting(eddy.certificate())))
        .overrideConfiguration(overrides(recorder))
        .build();
  }

  /** The async client (Netty) speaking HTTP/2 the given way. */
  public static KinesisAsyncClient async(Eddy eddy, Transport how, WireRecorder recorder) {
    return async(eddy, how, recorder, eddy.certificate());
  }

  /** The async client trusting {@code cert} for the TLS port. */
  public static KinesisAsyncClient async(Eddy eddy, Transport how, WireRecorder recorder, Path cert) {
    return async(eddy, how, recorder, cert, null);
  }

  /**
   * With {@code pingPeriod}, Netty's HTTP/2 health check pings the connection that often (default 5 s) and
   * drops it when a PING is not acknowledged within the same time.
   */
  public static KinesisAsyncClient async(Eddy eddy, Transport how, WireRecorder recorder, Path cert, Duration pingPeriod) {
    NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
        .protocol(how.http1() ? Protocol.HTTP1_1 : Protocol.HTTP2)
        .eventLoopGroup(EVENT_LOOPS)
        .connectionAcquisitionTimeout(Duration.ofSeconds(10))
        .readTimeout(Duration.ofSeconds(30));
    URI endpoint = eddy.http();
    if (how.tls()) {
      endpoint = eddy.https();
      http.tlsTrustManagersProvider(trusting(cert))
          .protocolNegotiation(how == Transport.TLS_ALPN ? ProtocolNegotiation.ALPN : ProtocolNegotiation.ASSUME_PROTOCOL);
    }
    return KinesisAsyncClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(CREDENTIALS)
        .httpClientBuilder(http)
        .overrideConfiguration(overrides(recorder))
        .build();
  }

  /** Trust managers that accept exactly the PEM certificate at {@code cert}: real verification, no trust-all. */
  public static TlsTrustManagersProvider trusting(Path cert) {
    return () -> {
      try (InputStream in = Files.newInputStream(cert)) {
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("eddy", c);
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(store);
        TrustManager[] managers = f.getTrustManagers();
        return managers;
      } catch (Exception e) {
        throw new IllegalStateException("cannot trust " + cert, e);
      }
    };
  }
}
