package dev.eddy.e2e;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records the Content-Type of every request the SDK sends and of every response it reads, so a test can
 * prove which wire encoding a run really used (the SDK chooses CBOR or JSON when a client is built).
 */
public final class WireRecorder implements ExecutionInterceptor {
  /** One exchange: the operation, the request's Content-Type and the response's (null before one came). */
  public record Exchange(String operation, String requestType, String responseType, int status) {}

  private final List<Exchange> exchanges = new ArrayList<>();

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    String req = context.httpRequest().firstMatchingHeader("Content-Type").orElse(null);
    String resp = context.httpResponse().firstMatchingHeader("Content-Type").orElse(null);
    synchronized (exchanges) {
      exchanges.add(new Exchange(op, req, resp, context.httpResponse().statusCode()));
    }
  }

  public List<Exchange> exchanges() {
    synchronized (exchanges) {
      return List.copyOf(exchanges);
    }
  }
}
