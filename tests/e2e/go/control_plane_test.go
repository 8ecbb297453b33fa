package e2e

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func TestControlPlane_CreateDescribeListShards(t *testing.T) {
	t.Parallel()
	protos := &protoLog{}
	c := newClient(t, shared, shared.httpURL, protos)
	ctx := ctxFor(t, 20*time.Second)
	before := time.Now().Add(-time.Second)
	name := createStream(t, c, 3)

	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if reqID, _ := awsmiddleware.GetRequestIDMetadata(sum.ResultMetadata); reqID == "" {
		t.Error("no x-amzn-RequestId on DescribeStreamSummary")
	}
	d := sum.StreamDescriptionSummary
	if aws.ToString(d.StreamName) != name || aws.ToString(d.StreamARN) != streamARN(name) {
		t.Errorf("name/ARN = %q %q", aws.ToString(d.StreamName), aws.ToString(d.StreamARN))
	}
	if d.StreamStatus != types.StreamStatusActive || aws.ToInt32(d.OpenShardCount) != 3 {
		t.Errorf("status %s, open shards %d", d.StreamStatus, aws.ToInt32(d.OpenShardCount))
	}
	if aws.ToInt32(d.RetentionPeriodHours) != 24 {
		t.Errorf("RetentionPeriodHours = %d, want 24", aws.ToInt32(d.RetentionPeriodHours))
	}
	if d.StreamModeDetails == nil || d.StreamModeDetails.StreamMode != types.StreamModeProvisioned {
		t.Errorf("StreamModeDetails = %+v", d.StreamModeDetails)
	}
	if d.EncryptionType != types.EncryptionTypeNone {
		t.Errorf("EncryptionType = %q", d.EncryptionType)
	}
	created := aws.ToTime(d.StreamCreationTimestamp)
	if created.Before(before) || created.After(time.Now().Add(time.Second)) {
		t.Errorf("StreamCreationTimestamp %v not around now", created)
	}

	// Shards cover the whole 128-bit hash space, in order, without gaps.
	shards, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if len(shards.Shards) != 3 {
		t.Fatalf("ListShards: %d shards", len(shards.Shards))
	}
	checkHashCoverage(t, shards.Shards)
	for i, s := range shards.Shards {
		if want := shardID(i); aws.ToString(s.ShardId) != want {
			t.Errorf("shard %d id %q, want %q", i, aws.ToString(s.ShardId), want)
		}
		if s.SequenceNumberRange == nil || aws.ToString(s.SequenceNumberRange.StartingSequenceNumber) == "" ||
			s.SequenceNumberRange.EndingSequenceNumber != nil {
			t.Errorf("shard %d SequenceNumberRange %+v: want open", i, s.SequenceNumberRange)
		}
	}

	// Paging through ListShards with MaxResults and NextToken (which must go alone).
	var paged []string
	in := &kinesis.ListShardsInput{StreamName: &name, MaxResults: aws.Int32(2)}
	for {
		out, err := c.ListShards(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range out.Shards {
			paged = append(paged, aws.ToString(s.ShardId))
		}
		if out.NextToken == nil {
			break
		}
		in = &kinesis.ListShardsInput{NextToken: out.NextToken, MaxResults: aws.Int32(2)}
	}
	if !slices.Equal(paged, []string{shardID(0), shardID(1), shardID(2)}) {
		t.Errorf("paged ListShards = %v", paged)
	}

	// The same stream by ARN, and in ListStreams' summaries.
	byARN, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: aws.String(streamARN(name))})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(byARN.StreamDescriptionSummary.StreamName) != name {
		t.Errorf("by ARN: %q", aws.ToString(byARN.StreamDescriptionSummary.StreamName))
	}
	found := false
	p := kinesis.NewListStreamsPaginator(c, &kinesis.ListStreamsInput{Limit: aws.Int32(5)})
	for p.HasMorePages() && !found {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.StreamSummaries {
			if aws.ToString(s.StreamName) == name {
				found = true
				if aws.ToString(s.StreamARN) != streamARN(name) || s.StreamStatus != types.StreamStatusActive {
					t.Errorf("summary %+v", s)
				}
			}
		}
	}
	if !found {
		t.Errorf("ListStreams paginator never named %s", name)
	}

	// Plain http:// is HTTP/1.1 for Go's transport: it has no h2c.
	for _, p := range protos.seen() {
		if p != "HTTP/1.1" {
			t.Fatalf("protocol %s on http://, want HTTP/1.1", p)
		}
	}
}

// The waiters poll DescribeStream; a stream that stays CREATING and then DELETING for a while makes
// them actually wait, and shows the intermediate statuses.
func TestControlPlane_Waiters(t *testing.T) {
	t.Parallel()
	e := startOwnEddy(t, "--create-stream-ms", "300", "--delete-stream-ms", "300")
	c := newClient(t, e, e.httpURL, nil)
	ctx := ctxFor(t, 20*time.Second)
	name := uniqueName(t)
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: &name, ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.StreamDescription.StreamStatus; s != types.StreamStatusCreating {
		t.Errorf("right after CreateStream: %s, want CREATING", s)
	}
	start := time.Now()
	out, err := kinesis.NewStreamExistsWaiter(c, func(o *kinesis.StreamExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 100 * time.Millisecond
	}).WaitForOutput(ctx, &kinesis.DescribeStreamInput{StreamName: &name}, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if out.StreamDescription.StreamStatus != types.StreamStatusActive {
		t.Errorf("waiter returned %s", out.StreamDescription.StreamStatus)
	}
	if time.Since(start) < 100*time.Millisecond {
		t.Errorf("StreamExistsWaiter returned after %s: the stream was never CREATING?", time.Since(start))
	}

	if _, err := c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: &name}); err != nil {
		t.Fatal(err)
	}
	d, err = c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.StreamDescription.StreamStatus; s != types.StreamStatusDeleting {
		t.Errorf("right after DeleteStream: %s, want DELETING", s)
	}
	// StreamNotExists succeeds on ResourceNotFoundException, so this also shows the error is typed.
	if err := kinesis.NewStreamNotExistsWaiter(c, func(o *kinesis.StreamNotExistsWaiterOptions) {
		o.MinDelay = 50 * time.Millisecond
		o.MaxDelay = 100 * time.Millisecond
	}).Wait(ctx, &kinesis.DescribeStreamInput{StreamName: &name}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestControlPlane_DescribeLimitsAndRetention(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	ctx := ctxFor(t, 10*time.Second)
	name := createStream(t, c, 2)
	lim, err := c.DescribeLimits(ctx, &kinesis.DescribeLimitsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(lim.ShardLimit) <= 0 || aws.ToInt32(lim.OpenShardCount) < 2 {
		t.Errorf("DescribeLimits %d/%d", aws.ToInt32(lim.OpenShardCount), aws.ToInt32(lim.ShardLimit))
	}
	if _, err := c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{
		StreamName: &name, RetentionPeriodHours: aws.Int32(48),
	}); err != nil {
		t.Fatal(err)
	}
	// AddTagsToStream / ListTagsForStream round trip the map the Go SDK sends.
	if _, err := c.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{
		StreamName: &name, Tags: map[string]string{"team": "go", "env": "e2e"},
	}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTagsForStream(ctx, &kinesis.ListTagsForStreamInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tg := range tags.Tags {
		got = append(got, aws.ToString(tg.Key)+"="+aws.ToString(tg.Value))
	}
	slices.Sort(got)
	if strings.Join(got, ",") != "env=e2e,team=go" {
		t.Errorf("tags %v", got)
	}
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: &name})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(sum.StreamDescriptionSummary.RetentionPeriodHours) != 48 {
		t.Errorf("retention %d, want 48", aws.ToInt32(sum.StreamDescriptionSummary.RetentionPeriodHours))
	}
}

// shardID is the id of the n-th shard of a stream, as Kinesis names them.
func shardID(n int) string { return fmt.Sprintf("shardId-%012d", n) }

// checkHashCoverage checks that the shards' hash key ranges tile 0..2^128-1 in order.
func checkHashCoverage(t testing.TB, shards []types.Shard) {
	t.Helper()
	next := big.NewInt(0)
	for _, s := range shards {
		lo, ok1 := new(big.Int).SetString(aws.ToString(s.HashKeyRange.StartingHashKey), 10)
		hi, ok2 := new(big.Int).SetString(aws.ToString(s.HashKeyRange.EndingHashKey), 10)
		if !ok1 || !ok2 {
			t.Fatalf("shard %s: hash range %+v not decimal", aws.ToString(s.ShardId), s.HashKeyRange)
		}
		if lo.Cmp(next) != 0 {
			t.Fatalf("shard %s starts at %s, want %s", aws.ToString(s.ShardId), lo, next)
		}
		next.Add(hi, big.NewInt(1))
	}
	if want := new(big.Int).Lsh(big.NewInt(1), 128); next.Cmp(want) != 0 {
		t.Fatalf("shards end at %s, want 2^128", next)
	}
}

// The SDK's own paginators: DescribeStream's (handwritten: ExclusiveStartShardId and HasMoreShards)
// and ListStreamConsumers' (NextToken sent together with the StreamARN, as the SDK does).
func TestControlPlane_Paginators(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	ctx := ctxFor(t, 20*time.Second)
	name := createStream(t, c, 5)

	var shards []string
	pages := 0
	p := kinesis.NewDescribeStreamPaginator(c, &kinesis.DescribeStreamInput{StreamName: &name, Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, s := range page.StreamDescription.Shards {
			shards = append(shards, aws.ToString(s.ShardId))
		}
	}
	if want := []string{shardID(0), shardID(1), shardID(2), shardID(3), shardID(4)}; !slices.Equal(shards, want) || pages != 3 {
		t.Errorf("DescribeStream pages: %d pages, shards %v", pages, shards)
	}

	var registered []string
	for i := 0; i < 5; i++ {
		registered = append(registered, registerConsumer(t, c, name))
	}
	var listed []string
	pages = 0
	cp := kinesis.NewListStreamConsumersPaginator(c, &kinesis.ListStreamConsumersInput{
		StreamARN: aws.String(streamARN(name)), MaxResults: aws.Int32(2)})
	for cp.HasMorePages() {
		page, err := cp.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, cons := range page.Consumers {
			listed = append(listed, aws.ToString(cons.ConsumerARN))
			if cons.ConsumerStatus != types.ConsumerStatusActive || cons.ConsumerCreationTimestamp == nil {
				t.Errorf("consumer %+v", cons)
			}
		}
	}
	slices.Sort(registered)
	slices.Sort(listed)
	if !slices.Equal(listed, registered) || pages != 3 {
		t.Errorf("ListStreamConsumers: %d pages, %v, want %v", pages, listed, registered)
	}
}
