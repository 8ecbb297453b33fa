package dev.eddy.e2e;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes: no fixed sleeps in the tests. */
public final class Await {
  private Await() {}

  public static <T> T until(String what, Duration timeout, Supplier<T> probe, java.util.function.Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      last = probe.get();
      if (done.test(last)) return last;
      if (System.nanoTime() > deadline) throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** Returns the first wall-clock millisecond strictly after {@code ms}, spinning until it arrives. */
  public static long millisAfter(long ms) {
    long now;
    while ((now = System.currentTimeMillis()) <= ms) Thread.onSpinWait();
    return now;
  }
}
