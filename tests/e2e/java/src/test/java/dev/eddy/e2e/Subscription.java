package dev.eddy.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.StartingPosition;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponse;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * One SubscribeToShard call through {@link KinesisAsyncClient}, read the way applications do: a
 * {@link SubscribeToShardResponseHandler} whose events go to a {@link SubscribeToShardResponseHandler.Visitor}.
 * Events are queued for the test to take; the call's end (clean or not) is {@link #done()}.
 */
public final class Subscription implements AutoCloseable {
  private final BlockingQueue<SubscribeToShardEvent> events = new LinkedBlockingQueue<>();
  private final List<SubscribeToShardEvent> seen = new ArrayList<>();
  private final CompletableFuture<Void> done;
  private volatile SubscribeToShardResponse response;
  private volatile org.reactivestreams.Subscription upstream;

  private Subscription(KinesisAsyncClient client, SubscribeToShardRequest request) {
    SubscribeToShardResponseHandler.Visitor visitor = SubscribeToShardResponseHandler.Visitor.builder()
        .onSubscribeToShardEvent(events::add)
        .onDefault(e -> events.add(SubscribeToShardEvent.builder().continuationSequenceNumber("unexpected " + e).build()))
        .build();
    SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
        .onResponse(r -> response = r)
        .onEventStream(publisher -> publisher.subscribe(new Subscriber<SubscribeToShardEventStream>() {
          @Override
          public void onSubscribe(org.reactivestreams.Subscription s) {
            upstream = s;
            s.request(Long.MAX_VALUE);
          }

          @Override
          public void onNext(SubscribeToShardEventStream event) {
            event.accept(visitor);
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onComplete() {}
        }))
        .build();
    done = client.subscribeToShard(request, handler);
  }

  public static Subscription open(KinesisAsyncClient client, String consumerArn, String shardId, StartingPosition position) {
    return new Subscription(client, SubscribeToShardRequest.builder()
        .consumerARN(consumerArn).shardId(shardId).startingPosition(position).build());
  }

  /** The next event, or an AssertionError after {@code timeout} (with how the call ended, if it did). */
  public SubscribeToShardEvent next(Duration timeout) throws InterruptedException {
    SubscribeToShardEvent e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      String end = done.isDone() ? (done.isCompletedExceptionally() ? "failed: " + done.handle((v, t) -> t).join() : "completed") : "still open";
      throw new AssertionError("no SubscribeToShardEvent within " + timeout + "; call " + end);
    }
    seen.add(e);
    return e;
  }

  /** Reads events until at least {@code n} records came (or n == 0 and one event came); returns the records. */
  public List<Record> records(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Record> out = new ArrayList<>();
    do {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      out.addAll(next(Duration.ofMillis(left)).records());
    } while (out.size() < n);
    return out;
  }

  /** Every event taken so far. */
  public List<SubscribeToShardEvent> seen() {
    return seen;
  }

  public SubscribeToShardEvent last() {
    return seen.get(seen.size() - 1);
  }

  /** Events that arrived but were not taken yet. */
  public int pending() {
    return events.size();
  }

  public SubscribeToShardResponse response() {
    return response;
  }

  public CompletableFuture<Void> done() {
    return done;
  }

  /**
   * Cancels the event stream (the SDK resets the HTTP/2 stream, or closes the HTTP/1.1 connection) and waits
   * for the call to settle. A call that has already ended is left alone: cancelling the SDK's future after
   * the response was read makes Netty close a connection it may already have handed to the next request.
   */
  @Override
  public void close() {
    if (done.isDone()) return;
    org.reactivestreams.Subscription s = upstream;
    if (s != null) s.cancel();
    done.cancel(true);
    try {
      done.handle((v, t) -> null).get(5, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // the call is over either way
    }
  }
}
