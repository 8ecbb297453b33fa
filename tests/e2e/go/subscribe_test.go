package e2e

import (
	"bytes"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/schemas"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go/transport/http/protocol/awsjson"
)

// The Go SDK reads SubscribeToShard's event stream from the response body of whatever connection
// carried it: HTTP/1.1 (a chunked body) on http://, and h2 on https://. Every subscribe test runs over
// both.
type transport struct {
	name  string
	url   func(*eddy) string
	proto string // what protoLog must record
}

var transports = []transport{
	{"http1", func(e *eddy) string { return e.httpURL }, "HTTP/1.1"},
	{"h2", func(e *eddy) string { return e.httpsURL }, "HTTP/2.0 alpn=h2"},
}

func eachTransport(t *testing.T, e *eddy, f func(t *testing.T, c *kinesis.Client)) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			t.Parallel()
			protos := &protoLog{}
			f(t, newClient(t, e, tr.url(e), protos))
			checkProtos(t, protos, tr.proto)
		})
	}
}

// ownEventStreamCodec gives one SubscribeToShard call a protocol of its own. The pinned smithy-go keeps
// the event-stream decoder's scratch state in the client's one protocol value, so two open streams of
// a client race on it (aws/smithy-go issue 714; harmless today, but go test -race says so).
func ownEventStreamCodec(o *kinesis.Options) { o.Protocol = awsjson.New11(schemas.Kinesis_20131202) }

// subscription is one SubscribeToShard call's event stream, read with deadlines.
type subscription struct {
	t      testing.TB
	stream *kinesis.SubscribeToShardEventStream
	events []types.SubscribeToShardEvent
}

func subscribe(t testing.TB, c *kinesis.Client, consumerARN, shard string, pos types.StartingPosition) *subscription {
	t.Helper()
	out, err := c.SubscribeToShard(ctxFor(t, 30*time.Second), &kinesis.SubscribeToShardInput{
		ConsumerARN: &consumerARN, ShardId: &shard, StartingPosition: &pos,
	}, ownEventStreamCodec)
	if err != nil {
		t.Fatalf("SubscribeToShard %s: %v", pos.Type, err)
	}
	s := &subscription{t: t, stream: out.GetStream()}
	t.Cleanup(func() { s.stream.Close() })
	return s
}

// next returns the next event, or nil once the stream ended cleanly; anything else fails the test.
func (s *subscription) next(d time.Duration) *types.SubscribeToShardEvent {
	s.t.Helper()
	select {
	case ev, ok := <-s.stream.Events():
		if !ok {
			if err := s.stream.Err(); err != nil {
				s.t.Fatalf("event stream ended with %v", err)
			}
			return nil
		}
		e, ok := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent)
		if !ok {
			s.t.Fatalf("unexpected event %T", ev)
		}
		s.events = append(s.events, e.Value)
		return &e.Value
	case <-time.After(d):
		s.t.Fatalf("no event within %s", d)
		return nil
	}
}

// records reads events until n records arrived and returns exactly those; every event carries a
// ContinuationSequenceNumber (KCL fails on a null one of an open shard).
func (s *subscription) records(n int) []types.Record {
	s.t.Helper()
	var recs []types.Record
	deadline := time.Now().Add(10 * time.Second)
	for len(recs) < n {
		ev := s.next(time.Until(deadline))
		if ev == nil {
			s.t.Fatalf("stream ended after %d of %d records", len(recs), n)
		}
		if ev.ContinuationSequenceNumber == nil {
			s.t.Fatalf("event without ContinuationSequenceNumber on an open shard")
		}
		if len(ev.Records) > 0 && aws.ToString(ev.ContinuationSequenceNumber) != aws.ToString(ev.Records[len(ev.Records)-1].SequenceNumber) {
			s.t.Errorf("ContinuationSequenceNumber %s, last record %s", aws.ToString(ev.ContinuationSequenceNumber),
				aws.ToString(ev.Records[len(ev.Records)-1].SequenceNumber))
		}
		recs = append(recs, ev.Records...)
	}
	if len(recs) > n {
		s.t.Fatalf("%d records, want %d", len(recs), n)
	}
	return recs
}

func (s *subscription) continuation() string {
	return aws.ToString(s.events[len(s.events)-1].ContinuationSequenceNumber)
}

func putN(t testing.TB, c *kinesis.Client, stream, prefix string, n int) []put {
	var ps []put
	for i := 0; i < n; i++ {
		ps = append(ps, putRecord(t, c, stream, []byte(fmt.Sprintf("%s %d", prefix, i)), "pk"))
	}
	return ps
}

func checkRecords(t testing.TB, what string, got []types.Record, want ...put) {
	t.Helper()
	checkSeqs(t, what, got, want...)
	for i := range min(len(got), len(want)) {
		if string(got[i].Data) != string(want[i].data) || aws.ToString(got[i].PartitionKey) != want[i].pk {
			t.Errorf("%s record %d: %q %q, want %q %q", what, i, got[i].Data, aws.ToString(got[i].PartitionKey),
				want[i].data, want[i].pk)
		}
		arr := aws.ToTime(got[i].ApproximateArrivalTimestamp)
		if arr.Before(toMillis(want[i].sent)) || arr.After(want[i].recv) {
			t.Errorf("%s record %d: arrival %s outside its put", what, i, arr.Format(time.RFC3339Nano))
		}
	}
}

// TRIM_HORIZON delivers the backlog, then records as they are put. The stream ends cleanly at its
// lifetime (AWS's is 5 minutes, here 1.5 s), and a new subscription from the last
// ContinuationSequenceNumber goes on without gap or repeat, as KCL does.
func TestSubscribe_TrimHorizonLiveAndResubscribe(t *testing.T) {
	t.Parallel()
	e := startOwnEddy(t, "--subscription-lifetime-ms", "1500")
	eachTransport(t, e, func(t *testing.T, c *kinesis.Client) {
		name := createStream(t, c, 1)
		consumer := registerConsumer(t, c, name)
		backlog := putN(t, c, name, "backlog", 3)

		s := subscribe(t, c, consumer, shard0, types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
		checkRecords(t, "backlog", s.records(3), backlog...)
		live := putN(t, c, name, "live", 2)
		checkRecords(t, "live", s.records(2), live...)
		if s.continuation() != live[1].seq {
			t.Errorf("ContinuationSequenceNumber %s, want the last record's %s", s.continuation(), live[1].seq)
		}
		last := s.events[len(s.events)-1]
		if aws.ToInt64(last.MillisBehindLatest) != 0 {
			t.Errorf("MillisBehindLatest %d when caught up", aws.ToInt64(last.MillisBehindLatest))
		}
		more := putN(t, c, name, "more", 2)
		checkRecords(t, "more", s.records(2), more...)
		// Records put from here on are for the next subscription.
		more = putN(t, c, name, "after the end", 2)
		for { // up to the clean end: events without records, each with the continuation
			ev := s.next(5 * time.Second)
			if ev == nil {
				break
			}
			if len(ev.Records) != 0 && aws.ToString(ev.Records[0].SequenceNumber) != more[0].seq {
				t.Fatalf("unexpected records %v", seqs(ev.Records))
			}
			if len(ev.Records) != 0 {
				more = more[len(ev.Records):] // delivered before the end; the rest come after
			}
		}
		cont := s.continuation()

		// KCL's way on: AFTER_SEQUENCE_NUMBER the continuation.
		s2 := subscribe(t, c, consumer, shard0, types.StartingPosition{
			Type: types.ShardIteratorTypeAfterSequenceNumber, SequenceNumber: &cont})
		checkRecords(t, "resubscribed", s2.records(len(more)), more...)
	})
}

func TestSubscribe_StartingPositions(t *testing.T) {
	t.Parallel()
	eachTransport(t, shared, func(t *testing.T, c *kinesis.Client) {
		name := createStream(t, c, 1)
		// One consumer per starting position: a consumer has one subscription per shard at a time.
		consumers := map[types.ShardIteratorType]string{}
		for _, typ := range []types.ShardIteratorType{types.ShardIteratorTypeAtSequenceNumber,
			types.ShardIteratorTypeAtTimestamp, types.ShardIteratorTypeLatest} {
			consumers[typ] = registerConsumer(t, c, name)
		}
		a := putRecord(t, c, name, []byte("a"), "pk")
		afterMillis(a.recv)
		rest := putN(t, c, name, "rest", 2)

		s := subscribe(t, c, consumers[types.ShardIteratorTypeAtSequenceNumber], shard0, types.StartingPosition{
			Type: types.ShardIteratorTypeAtSequenceNumber, SequenceNumber: &rest[0].seq})
		checkRecords(t, "AT_SEQUENCE_NUMBER", s.records(2), rest...)

		// AT_TIMESTAMP one millisecond after A's arrival starts at the next record.
		arrA := aws.ToTime(readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name,
			ShardId: aws.String(shard0), ShardIteratorType: types.ShardIteratorTypeTrimHorizon}))[0].ApproximateArrivalTimestamp)
		s = subscribe(t, c, consumers[types.ShardIteratorTypeAtTimestamp], shard0, types.StartingPosition{
			Type: types.ShardIteratorTypeAtTimestamp, Timestamp: aws.Time(arrA.Add(time.Millisecond))})
		checkRecords(t, "AT_TIMESTAMP", s.records(2), rest...)

		// LATEST: nothing of the backlog, and the records put once SubscribeToShard returned (the SDK
		// returns after the initial-response, when the position is fixed).
		s = subscribe(t, c, consumers[types.ShardIteratorTypeLatest], shard0, types.StartingPosition{
			Type: types.ShardIteratorTypeLatest})
		after := putN(t, c, name, "after", 1)
		checkRecords(t, "LATEST", s.records(1), after...)
	})
}

// Subscribed to a shard when it is split: the records, then a last event with ChildShards and no
// ContinuationSequenceNumber, then the end of the stream.
func TestSubscribe_ChildShardsAtSplit(t *testing.T) {
	t.Parallel()
	eachTransport(t, shared, func(t *testing.T, c *kinesis.Client) {
		name := createStream(t, c, 1)
		consumer := registerConsumer(t, c, name)
		before := putN(t, c, name, "before", 2)
		s := subscribe(t, c, consumer, shard0, types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
		checkRecords(t, "before split", s.records(2), before...)

		if _, err := c.SplitShard(ctxFor(t, 10*time.Second), &kinesis.SplitShardInput{StreamName: &name,
			ShardToSplit:       aws.String(shard0),
			NewStartingHashKey: aws.String(new(big.Int).Lsh(big.NewInt(1), 127).String())}); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		var last *types.SubscribeToShardEvent
		for {
			ev := s.next(time.Until(deadline))
			if ev == nil {
				break
			}
			if len(ev.Records) != 0 {
				t.Fatalf("records after the split: %v", seqs(ev.Records))
			}
			last = ev
		}
		if last == nil || len(last.ChildShards) == 0 {
			t.Fatalf("the stream ended without ChildShards (last event %+v)", last)
		}
		if last.ContinuationSequenceNumber != nil {
			t.Errorf("last event's ContinuationSequenceNumber %q, want none", aws.ToString(last.ContinuationSequenceNumber))
		}
		if got := childIDs(last.ChildShards); !slices.Equal(got, []string{shardID(1), shardID(2)}) {
			t.Errorf("ChildShards %v", got)
		}
		for _, ch := range last.ChildShards {
			if !slices.Equal(ch.ParentShards, []string{shard0}) {
				t.Errorf("child %s parents %v", aws.ToString(ch.ShardId), ch.ParentShards)
			}
		}
	})
}

func TestSubscribe_Errors(t *testing.T) {
	t.Parallel()
	eachTransport(t, shared, func(t *testing.T, c *kinesis.Client) {
		name := createStream(t, c, 1)
		consumer := registerConsumer(t, c, name)
		_, err := c.SubscribeToShard(ctxFor(t, 10*time.Second), &kinesis.SubscribeToShardInput{
			ConsumerARN: aws.String(streamARN(name) + "/consumer/nope:1"), ShardId: aws.String(shard0),
			StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
		asError[*types.ResourceNotFoundException](t, err)
		_, err = c.SubscribeToShard(ctxFor(t, 10*time.Second), &kinesis.SubscribeToShardInput{
			ConsumerARN: &consumer, ShardId: aws.String("shardId-000000000009"),
			StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
		asError[*types.ResourceNotFoundException](t, err)

		// A second subscription of the same consumer and shard within 5 s is refused.
		subscribe(t, c, consumer, shard0, types.StartingPosition{Type: types.ShardIteratorTypeLatest})
		_, err = c.SubscribeToShard(ctxFor(t, 10*time.Second), &kinesis.SubscribeToShardInput{
			ConsumerARN: &consumer, ShardId: aws.String(shard0),
			StartingPosition: &types.StartingPosition{Type: types.ShardIteratorTypeLatest}})
		asError[*types.ResourceInUseException](t, err)

		// Deregistering the consumer ends its open stream with an in-stream exception, which the SDK
		// turns into the typed error of Err(). Eddy checks at the next event it would send: the next
		// append, or the 5 s heartbeat; a put makes it now.
		other := registerConsumer(t, c, name)
		s := subscribe(t, c, other, shard0, types.StartingPosition{Type: types.ShardIteratorTypeLatest})
		if _, err := c.DeregisterStreamConsumer(ctxFor(t, 10*time.Second), &kinesis.DeregisterStreamConsumerInput{
			ConsumerARN: &other}); err != nil {
			t.Fatal(err)
		}
		putRecord(t, c, name, []byte("after the consumer left"), "pk")
		deadline := time.After(10 * time.Second)
		for done := false; !done; {
			select {
			case ev, ok := <-s.stream.Events():
				done = !ok
				if e, isEvent := ev.(*types.SubscribeToShardEventStreamMemberSubscribeToShardEvent); isEvent && len(e.Value.Records) != 0 {
					t.Errorf("records delivered to a deregistered consumer: %v", seqs(e.Value.Records))
				}
			case <-deadline:
				t.Fatal("the stream did not end after DeregisterStreamConsumer")
			}
		}
		checkAPIError(t, asError[*types.ResourceNotFoundException](t, s.stream.Err()), "ResourceNotFoundException", "")
	})
}

// A backlog larger than one event (eddy caps an event at 2 MiB of record data) arrives whole and in
// order, split over several events; over h2 that also exercises flow control on big frames.
func TestSubscribe_LargeBacklog(t *testing.T) {
	t.Parallel()
	eachTransport(t, shared, func(t *testing.T, c *kinesis.Client) {
		name := createStream(t, c, 1)
		consumer := registerConsumer(t, c, name)
		var backlog []put
		for i := 0; i < 6; i++ {
			pk := fmt.Sprintf("pk%d", i)
			data := bytes.Repeat([]byte{byte('a' + i)}, 1<<20-len(pk))
			backlog = append(backlog, putRecord(t, c, name, data, pk))
		}
		s := subscribe(t, c, consumer, shard0, types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
		checkRecords(t, "large backlog", s.records(len(backlog)), backlog...)
		if len(s.events) < 3 {
			t.Errorf("6 MiB came in %d events", len(s.events))
		}
	})
}
