package e2e

import (
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// getRecordsToEnd reads a closed shard until GetRecords stops giving a NextShardIterator, and returns
// the records and the ChildShards of that last call. An open shard never ends: the deadline fails it.
func getRecordsToEnd(t testing.TB, c *kinesis.Client, stream, shard string) ([]types.Record, []types.ChildShard) {
	t.Helper()
	it := iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &stream, ShardId: &shard,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	var recs []types.Record
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		out, err := c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: &it})
		if err != nil {
			t.Fatalf("GetRecords %s: %v", shard, err)
		}
		recs = append(recs, out.Records...)
		if out.NextShardIterator == nil {
			return recs, out.ChildShards
		}
		if len(out.ChildShards) != 0 {
			t.Fatalf("%s: ChildShards with a NextShardIterator", shard)
		}
		it = aws.ToString(out.NextShardIterator)
		if len(out.Records) == 0 {
			time.Sleep(10 * time.Millisecond) // polling a shard that has not ended yet
		}
	}
	t.Fatalf("%s never ended", shard)
	return nil, nil
}

func childIDs(cs []types.ChildShard) []string {
	var ids []string
	for _, c := range cs {
		ids = append(ids, aws.ToString(c.ShardId))
	}
	slices.Sort(ids)
	return ids
}

func TestReshard_SplitThenMerge(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	ctx := ctxFor(t, 30*time.Second)
	name := createStream(t, c, 1)
	var before []put
	for i := 0; i < 5; i++ {
		before = append(before, putRecord(t, c, name, []byte(fmt.Sprintf("before split %d", i)), fmt.Sprintf("pk%d", i)))
	}

	half := new(big.Int).Lsh(big.NewInt(1), 127)
	if _, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: &name, ShardToSplit: aws.String(shard0),
		NewStartingHashKey: aws.String(half.String())}); err != nil {
		t.Fatal(err)
	}
	waitStreamStatus(t, c, name, types.StreamStatusActive)

	ls, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Shards) != 3 {
		t.Fatalf("after SplitShard: %d shards", len(ls.Shards))
	}
	parent, left, right := ls.Shards[0], ls.Shards[1], ls.Shards[2]
	if parent.SequenceNumberRange.EndingSequenceNumber == nil {
		t.Error("the split shard has no EndingSequenceNumber")
	}
	for _, s := range []types.Shard{left, right} {
		if aws.ToString(s.ParentShardId) != shard0 || s.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Errorf("child %s: parent %q, ending %v", aws.ToString(s.ShardId), aws.ToString(s.ParentShardId),
				s.SequenceNumberRange.EndingSequenceNumber)
		}
	}
	checkHashCoverage(t, []types.Shard{left, right})
	if aws.ToString(right.HashKeyRange.StartingHashKey) != half.String() {
		t.Errorf("right child starts at %s", aws.ToString(right.HashKeyRange.StartingHashKey))
	}

	// ShardFilter AT_LATEST names only the open children.
	open, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: &name,
		ShardFilter: &types.ShardFilter{Type: types.ShardFilterTypeAtLatest}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(open.Shards); got != 2 {
		t.Errorf("AT_LATEST: %d shards, want 2", got)
	}

	// Reading the parent to its end: every record, then ChildShards in place of a next iterator.
	recs, children := getRecordsToEnd(t, c, name, shard0)
	checkSeqs(t, "parent", recs, before...)
	wantChildren := []string{aws.ToString(left.ShardId), aws.ToString(right.ShardId)}
	if !slices.Equal(childIDs(children), wantChildren) {
		t.Fatalf("ChildShards %v, want %v", childIDs(children), wantChildren)
	}
	for _, ch := range children {
		if !slices.Equal(ch.ParentShards, []string{shard0}) || ch.HashKeyRange == nil {
			t.Errorf("child %s: parents %v, range %v", aws.ToString(ch.ShardId), ch.ParentShards, ch.HashKeyRange)
		}
	}

	// New records land in the children by hash.
	after := putRecord(t, c, name, []byte("after split"), "pk-after")
	want := shardFor(t, []types.Shard{left, right}, hashKey("pk-after"))
	childRecs := readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name, ShardId: &want,
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}))
	checkSeqs(t, "child "+want, childRecs, after)

	// Merging the children back: each ends with the merged shard, whose parents are both.
	if _, err := c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: &name, ShardToMerge: left.ShardId,
		AdjacentShardToMerge: right.ShardId}); err != nil {
		t.Fatal(err)
	}
	waitStreamStatus(t, c, name, types.StreamStatusActive)
	for _, s := range wantChildren {
		_, merged := getRecordsToEnd(t, c, name, s)
		if len(merged) != 1 || aws.ToString(merged[0].ShardId) != shardID(3) {
			t.Fatalf("%s ends with ChildShards %v, want [%s]", s, childIDs(merged), shardID(3))
		}
		if !slices.Equal(merged[0].ParentShards, wantChildren) {
			t.Errorf("merged shard's parents %v, want %v", merged[0].ParentShards, wantChildren)
		}
	}
}
