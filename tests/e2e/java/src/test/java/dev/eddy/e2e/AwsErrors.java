package dev.eddy.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Asserts that a call fails with the SDK's typed exception for an AWS error, its status and its message. */
public final class AwsErrors {
  private AwsErrors() {}

  /** {@code message} is the exact text, or a regex when it starts with "~". */
  public static <T extends AwsServiceException> T expect(Class<T> type, String message, Executable call) {
    Throwable thrown = assertThrows(Throwable.class, call);
    return check(type, message, thrown);
  }

  /**
   * An exception that arrived inside an event stream (an ":message-type exception" frame): typed like any
   * other, but there is no HTTP status or request id of its own, since the response itself was a 200.
   */
  public static <T extends AwsServiceException> T checkEventStream(Class<T> type, String message, Throwable thrown) {
    final Throwable t = unwrap(thrown);
    assertTrue(type.isInstance(t), () -> "expected " + type.getSimpleName() + ", got " + t);
    T e = type.cast(t);
    assertEquals(type.getSimpleName(), e.awsErrorDetails().errorCode(), "error code");
    matches(message, e.awsErrorDetails().errorMessage());
    return e;
  }

  private static Throwable unwrap(Throwable thrown) {
    while ((thrown instanceof CompletionException || thrown instanceof ExecutionException) && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    return thrown;
  }

  private static void matches(String message, String actual) {
    if (message == null) return;
    if (message.startsWith("~")) {
      assertTrue(actual != null && Pattern.compile(message.substring(1)).matcher(actual).find(),
          () -> "message '" + actual + "' does not match " + message.substring(1));
    } else {
      assertEquals(message, actual, "error message");
    }
  }

  public static <T extends AwsServiceException> T check(Class<T> type, String message, Throwable thrown) {
    while ((thrown instanceof CompletionException || thrown instanceof ExecutionException) && thrown.getCause() != null) {
      thrown = thrown.getCause();
    }
    final Throwable t = thrown;
    assertTrue(type.isInstance(t), () -> "expected " + type.getSimpleName() + ", got " + t);
    T e = type.cast(t);
    assertEquals(type.getSimpleName(), e.awsErrorDetails().errorCode(), "error code");
    assertEquals(400, e.statusCode(), "HTTP status");
    assertNotNull(e.requestId(), "x-amzn-RequestId");
    String actual = e.awsErrorDetails().errorMessage();
    if (message != null) {
      if (message.startsWith("~")) {
        assertTrue(Pattern.compile(message.substring(1)).matcher(actual).find(),
            () -> "message '" + actual + "' does not match " + message.substring(1));
      } else {
        assertEquals(message, actual, "error message");
      }
    }
    return e;
  }
}
