package e2e

import (
	"bytes"
	"crypto/md5"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

const shard0 = "shardId-000000000000"

// put is one PutRecord with the wall-clock window it happened in.
type put struct {
	data       []byte
	pk         string
	seq        string
	sent, recv time.Time
}

func putRecord(t testing.TB, c *kinesis.Client, stream string, data []byte, pk string) put {
	t.Helper()
	sent := time.Now()
	out, err := c.PutRecord(ctxFor(t, 10*time.Second), &kinesis.PutRecordInput{
		StreamName: &stream, Data: data, PartitionKey: &pk,
	})
	if err != nil {
		t.Fatalf("PutRecord: %v", err)
	}
	if aws.ToString(out.SequenceNumber) == "" || aws.ToString(out.ShardId) == "" {
		t.Fatalf("PutRecord answered %+v", out)
	}
	return put{data: data, pk: pk, seq: aws.ToString(out.SequenceNumber), sent: sent, recv: time.Now()}
}

// afterMillis waits until the wall clock is at least 2 ms past ts, so that a record put next gets a
// later ApproximateArrivalTimestamp (millisecond resolution) than one acknowledged before ts.
func afterMillis(ts time.Time) {
	for time.Since(ts) < 2*time.Millisecond {
		time.Sleep(200 * time.Microsecond)
	}
}

func iterator(t testing.TB, c *kinesis.Client, in *kinesis.GetShardIteratorInput) string {
	t.Helper()
	out, err := c.GetShardIterator(ctxFor(t, 10*time.Second), in)
	if err != nil {
		t.Fatalf("GetShardIterator %s: %v", in.ShardIteratorType, err)
	}
	if aws.ToString(out.ShardIterator) == "" {
		t.Fatalf("GetShardIterator %s: no iterator", in.ShardIteratorType)
	}
	return aws.ToString(out.ShardIterator)
}

// readAll follows NextShardIterator until a call returns no records, and returns every record read.
func readAll(t testing.TB, c *kinesis.Client, it string) []types.Record {
	t.Helper()
	var all []types.Record
	for i := 0; i < 100; i++ {
		out, err := c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: &it})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		all = append(all, out.Records...)
		if len(out.Records) == 0 || out.NextShardIterator == nil {
			return all
		}
		it = aws.ToString(out.NextShardIterator)
	}
	t.Fatal("GetRecords never ran dry")
	return nil
}

func seqs(rs []types.Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, aws.ToString(r.SequenceNumber))
	}
	return out
}

func checkSeqs(t testing.TB, what string, got []types.Record, want ...put) {
	t.Helper()
	var w []string
	for _, p := range want {
		w = append(w, p.seq)
	}
	if fmt.Sprint(seqs(got)) != fmt.Sprint(w) {
		t.Errorf("%s: sequence numbers %v, want %v", what, seqs(got), w)
	}
}

func TestDataPlane_PutRecordGetRecordsEveryIteratorType(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	name := createStream(t, c, 1)
	shard := aws.String(shard0)

	binary := make([]byte, 256) // every byte value: Data is opaque bytes, base64 on the wire
	for i := range binary {
		binary[i] = byte(i)
	}
	a := putRecord(t, c, name, binary, "pk-a")
	afterMillis(a.recv)
	b := putRecord(t, c, name, []byte("record b"), "pk-b")
	afterMillis(b.recv)
	// The largest record: data and partition key together are 1 MiB.
	mib := bytes.Repeat([]byte("0123456789abcdef"), 64*1024)[:1<<20-len("pk-c")]
	cRec := putRecord(t, c, name, mib, "pk-c")

	// TRIM_HORIZON: all three, bytes and partition keys exact, arrival times to the millisecond.
	it := iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name, ShardId: shard,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	got, err := c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: &it})
	if err != nil {
		t.Fatal(err)
	}
	checkSeqs(t, "TRIM_HORIZON", got.Records, a, b, cRec)
	if len(got.Records) != 3 {
		t.Fatalf("%d records", len(got.Records))
	}
	for i, p := range []put{a, b, cRec} {
		r := got.Records[i]
		if !bytes.Equal(r.Data, p.data) {
			t.Errorf("record %d: %d bytes back, want %d (equal: false)", i, len(r.Data), len(p.data))
		}
		if aws.ToString(r.PartitionKey) != p.pk {
			t.Errorf("record %d: partition key %q", i, aws.ToString(r.PartitionKey))
		}
		if r.EncryptionType != "" && r.EncryptionType != types.EncryptionTypeNone {
			t.Errorf("record %d: EncryptionType %q", i, r.EncryptionType)
		}
		arr := aws.ToTime(r.ApproximateArrivalTimestamp)
		if arr.IsZero() {
			t.Fatalf("record %d: no ApproximateArrivalTimestamp", i)
		}
		if !arr.Equal(toMillis(arr)) {
			t.Errorf("record %d: arrival %s is not a whole millisecond", i, arr.Format(time.RFC3339Nano))
		}
		if arr.Before(toMillis(p.sent)) || arr.After(p.recv) {
			t.Errorf("record %d: arrival %s outside its PutRecord call [%s, %s]", i,
				arr.Format(time.RFC3339Nano), p.sent.Format(time.RFC3339Nano), p.recv.Format(time.RFC3339Nano))
		}
	}
	if aws.ToInt64(got.MillisBehindLatest) != 0 {
		t.Errorf("MillisBehindLatest %d at the tip, want 0", aws.ToInt64(got.MillisBehindLatest))
	}
	if got.NextShardIterator == nil || got.ChildShards != nil {
		t.Errorf("open shard: NextShardIterator %v, ChildShards %v", got.NextShardIterator, got.ChildShards)
	}
	arrA := aws.ToTime(got.Records[0].ApproximateArrivalTimestamp)
	arrB := aws.ToTime(got.Records[1].ApproximateArrivalTimestamp)
	if !arrB.After(arrA) {
		t.Fatalf("records put 2 ms apart share arrival %s", arrA)
	}

	// Limit 1: one record, behind the tip by at least the 2 ms between puts; the next iterator goes on.
	it = iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name, ShardId: shard,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	one, err := c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: &it, Limit: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	checkSeqs(t, "Limit 1", one.Records, a)
	if behind := aws.ToInt64(one.MillisBehindLatest); behind < 2 || behind > time.Since(a.sent).Milliseconds()+1 {
		t.Errorf("MillisBehindLatest %d after the oldest record, want between 2 and %d", behind,
			time.Since(a.sent).Milliseconds()+1)
	}
	checkSeqs(t, "after Limit 1", readAll(t, c, aws.ToString(one.NextShardIterator)), b, cRec)

	// Sequence-number iterators, by stream name and by ARN.
	checkSeqs(t, "AT_SEQUENCE_NUMBER", readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{
		StreamName: &name, ShardId: shard, ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber,
		StartingSequenceNumber: &b.seq})), b, cRec)
	checkSeqs(t, "AFTER_SEQUENCE_NUMBER", readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{
		StreamARN: aws.String(streamARN(name)), ShardId: shard,
		ShardIteratorType: types.ShardIteratorTypeAfterSequenceNumber, StartingSequenceNumber: &b.seq})), cRec)

	// AT_TIMESTAMP is inclusive and exact to the millisecond: A's own arrival starts at A, one
	// millisecond later starts at B, B's arrival at B, a time before everything at A.
	at := func(ts time.Time) []types.Record {
		return readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name, ShardId: shard,
			ShardIteratorType: types.ShardIteratorTypeAtTimestamp, Timestamp: aws.Time(ts)}))
	}
	checkSeqs(t, "AT_TIMESTAMP arrival(A)", at(arrA), a, b, cRec)
	checkSeqs(t, "AT_TIMESTAMP arrival(A)+1ms", at(arrA.Add(time.Millisecond)), b, cRec)
	checkSeqs(t, "AT_TIMESTAMP arrival(B)", at(arrB), b, cRec)
	checkSeqs(t, "AT_TIMESTAMP arrival(B)-1ms", at(arrB.Add(-time.Millisecond)), b, cRec)
	checkSeqs(t, "AT_TIMESTAMP an hour ago", at(time.Now().Add(-time.Hour)), a, b, cRec)
	checkSeqs(t, "AT_TIMESTAMP now", at(time.Now()))

	// LATEST sees only what comes after it.
	latest := iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name, ShardId: shard,
		ShardIteratorType: types.ShardIteratorTypeLatest})
	empty, err := c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: &latest})
	if err != nil {
		t.Fatal(err)
	}
	if len(empty.Records) != 0 || empty.NextShardIterator == nil || aws.ToInt64(empty.MillisBehindLatest) != 0 {
		t.Errorf("LATEST before a put: %d records, next %v, behind %d", len(empty.Records),
			empty.NextShardIterator, aws.ToInt64(empty.MillisBehindLatest))
	}
	d := putRecord(t, c, name, []byte("record d"), "pk-d")
	checkSeqs(t, "LATEST (old iterator)", readAll(t, c, latest), d)
	checkSeqs(t, "LATEST (next iterator)", readAll(t, c, aws.ToString(empty.NextShardIterator)), d)
}

// hashKey is the 128-bit hash Kinesis routes a partition key by: MD5 as a big-endian integer.
func hashKey(pk string) *big.Int {
	sum := md5.Sum([]byte(pk))
	return new(big.Int).SetBytes(sum[:])
}

func shardFor(t testing.TB, shards []types.Shard, h *big.Int) string {
	t.Helper()
	for _, s := range shards {
		lo, _ := new(big.Int).SetString(aws.ToString(s.HashKeyRange.StartingHashKey), 10)
		hi, _ := new(big.Int).SetString(aws.ToString(s.HashKeyRange.EndingHashKey), 10)
		if h.Cmp(lo) >= 0 && h.Cmp(hi) <= 0 {
			return aws.ToString(s.ShardId)
		}
	}
	t.Fatalf("no shard holds hash %s", h)
	return ""
}

func TestDataPlane_PutRecordsRoutesByHashAndExplicitHashKey(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	ctx := ctxFor(t, 30*time.Second)
	name := createStream(t, c, 4)
	ls, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	maxKey := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	// The first key of shard 2's range: the boundary must route exactly (128-bit compare).
	lo2, _ := new(big.Int).SetString(aws.ToString(ls.Shards[2].HashKeyRange.StartingHashKey), 10)

	type entry struct {
		pk, ehk string
		data    []byte
	}
	var entries []entry
	for i := 0; i < 20; i++ {
		entries = append(entries, entry{pk: fmt.Sprintf("key-%d", i), data: []byte(fmt.Sprintf("payload %d", i))})
	}
	entries = append(entries,
		entry{pk: "explicit-max", ehk: maxKey.String(), data: []byte("to the last shard")},
		entry{pk: "explicit-zero", ehk: "0", data: []byte("to the first shard")},
		entry{pk: "explicit-boundary", ehk: lo2.String(), data: []byte("to shard 2")},
		entry{pk: "explicit-below", ehk: new(big.Int).Sub(lo2, big.NewInt(1)).String(), data: []byte("to shard 1")},
	)
	in := &kinesis.PutRecordsInput{StreamName: &name}
	for _, e := range entries {
		r := types.PutRecordsRequestEntry{Data: e.data, PartitionKey: aws.String(e.pk)}
		if e.ehk != "" {
			r.ExplicitHashKey = aws.String(e.ehk)
		}
		in.Records = append(in.Records, r)
	}
	out, err := c.PutRecords(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.FailedRecordCount) != 0 || len(out.Records) != len(entries) {
		t.Fatalf("PutRecords: %d failed, %d results for %d records", aws.ToInt32(out.FailedRecordCount),
			len(out.Records), len(entries))
	}
	perShard := map[string][]int{} // shard -> entry indexes, in put order
	for i, r := range out.Records {
		if r.ErrorCode != nil || r.ErrorMessage != nil {
			t.Errorf("record %d: error %s %s", i, aws.ToString(r.ErrorCode), aws.ToString(r.ErrorMessage))
		}
		h := hashKey(entries[i].pk)
		if entries[i].ehk != "" {
			h, _ = new(big.Int).SetString(entries[i].ehk, 10)
		}
		if want := shardFor(t, ls.Shards, h); aws.ToString(r.ShardId) != want {
			t.Errorf("record %d (%s): shard %s, want %s", i, entries[i].pk, aws.ToString(r.ShardId), want)
		}
		perShard[aws.ToString(r.ShardId)] = append(perShard[aws.ToString(r.ShardId)], i)
	}
	for want, idx := range map[string]int{shardID(3): 20, shardID(0): 21, shardID(2): 22, shardID(1): 23} {
		if got := aws.ToString(out.Records[idx].ShardId); got != want {
			t.Errorf("%s went to %s, want %s", entries[idx].pk, got, want)
		}
	}

	// Each shard gives back exactly its records, in put order, with the sequence numbers PutRecords
	// reported, which increase numerically.
	for shard, idx := range perShard {
		recs := readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name,
			ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeTrimHorizon}))
		if len(recs) != len(idx) {
			t.Errorf("%s: %d records back, want %d", shard, len(recs), len(idx))
			continue
		}
		prev := big.NewInt(-1)
		for j, r := range recs {
			e := entries[idx[j]]
			if aws.ToString(r.SequenceNumber) != aws.ToString(out.Records[idx[j]].SequenceNumber) ||
				!bytes.Equal(r.Data, e.data) || aws.ToString(r.PartitionKey) != e.pk {
				t.Errorf("%s record %d: %s %q %q, want %s %q %q", shard, j, aws.ToString(r.SequenceNumber), r.Data,
					aws.ToString(r.PartitionKey), aws.ToString(out.Records[idx[j]].SequenceNumber), e.data, e.pk)
			}
			n, ok := new(big.Int).SetString(aws.ToString(r.SequenceNumber), 10)
			if !ok || n.Cmp(prev) <= 0 {
				t.Errorf("%s: sequence number %s does not increase", shard, aws.ToString(r.SequenceNumber))
			}
			prev = n
		}
	}
}
