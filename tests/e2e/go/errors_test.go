package e2e

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

// checkAPIError checks what every modelled error shares: smithy.APIError with the code and the
// message, a client fault, and the message on the typed error too.
func checkAPIError(t testing.TB, err error, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("%v is not a smithy.APIError", err)
	}
	if apiErr.ErrorCode() != code {
		t.Errorf("ErrorCode %q, want %q", apiErr.ErrorCode(), code)
	}
	if !strings.Contains(apiErr.ErrorMessage(), message) {
		t.Errorf("ErrorMessage %q, want it to contain %q", apiErr.ErrorMessage(), message)
	}
	if apiErr.ErrorFault() != smithy.FaultClient {
		t.Errorf("ErrorFault %v, want client", apiErr.ErrorFault())
	}
}

func TestErrors_Typed(t *testing.T) {
	t.Parallel()
	c := httpClient(t)
	name := createStream(t, c, 1)
	missing := uniqueName(t) + "-missing"

	t.Run("ResourceNotFoundException", func(t *testing.T) {
		_, err := c.DescribeStreamSummary(ctxFor(t, 10*time.Second), &kinesis.DescribeStreamSummaryInput{StreamName: &missing})
		e := asError[*types.ResourceNotFoundException](t, err)
		want := "Stream " + missing + " under account " + accountID + " not found."
		if aws.ToString(e.Message) != want {
			t.Errorf("message %q, want %q", aws.ToString(e.Message), want)
		}
		checkAPIError(t, err, "ResourceNotFoundException", want)

		_, err = c.GetShardIterator(ctxFor(t, 10*time.Second), &kinesis.GetShardIteratorInput{StreamName: &name,
			ShardId: aws.String("shardId-000000000007"), ShardIteratorType: types.ShardIteratorTypeLatest})
		checkAPIError(t, asError[*types.ResourceNotFoundException](t, err), "ResourceNotFoundException",
			"shardId-000000000007")
	})

	t.Run("ResourceInUseException", func(t *testing.T) {
		_, err := c.CreateStream(ctxFor(t, 10*time.Second), &kinesis.CreateStreamInput{StreamName: &name, ShardCount: aws.Int32(1)})
		checkAPIError(t, asError[*types.ResourceInUseException](t, err), "ResourceInUseException", name)
	})

	t.Run("InvalidArgumentException", func(t *testing.T) {
		tooBig := "340282366920938463463374607431768211456" // 2^128
		_, err := c.PutRecord(ctxFor(t, 10*time.Second), &kinesis.PutRecordInput{StreamName: &name, Data: []byte("x"),
			PartitionKey: aws.String("pk"), ExplicitHashKey: &tooBig})
		checkAPIError(t, asError[*types.InvalidArgumentException](t, err), "InvalidArgumentException", tooBig)

		_, err = c.GetRecords(ctxFor(t, 10*time.Second), &kinesis.GetRecordsInput{ShardIterator: aws.String("bm90IGFuIGl0ZXJhdG9y")})
		checkAPIError(t, asError[*types.InvalidArgumentException](t, err), "InvalidArgumentException", "ShardIterator")

		// A timestamp in the future is refused, as AWS refuses it.
		_, err = c.GetShardIterator(ctxFor(t, 10*time.Second), &kinesis.GetShardIteratorInput{StreamName: &name,
			ShardId: aws.String(shard0), ShardIteratorType: types.ShardIteratorTypeAtTimestamp,
			Timestamp: aws.Time(time.Now().Add(time.Hour))})
		checkAPIError(t, asError[*types.InvalidArgumentException](t, err), "InvalidArgumentException",
			"cannot be greater than the currentTimestampInMillis")

		_, err = c.DecreaseStreamRetentionPeriod(ctxFor(t, 10*time.Second), &kinesis.DecreaseStreamRetentionPeriodInput{
			StreamName: &name, RetentionPeriodHours: aws.Int32(48)})
		asError[*types.InvalidArgumentException](t, err)
	})

	t.Run("ValidationException", func(t *testing.T) {
		// The Go SDK checks only required members itself; lengths are the server's to check.
		_, err := c.PutRecord(ctxFor(t, 10*time.Second), &kinesis.PutRecordInput{StreamName: &name, Data: []byte("x"),
			PartitionKey: aws.String(strings.Repeat("k", 257))})
		checkAPIError(t, asError[*types.ValidationException](t, err), "ValidationException",
			"at 'partitionKey' failed to satisfy constraint: Member must have length less than or equal to 256")
	})

	t.Run("DryRunOperationException", func(t *testing.T) {
		_, err := c.PutRecord(ctxFor(t, 10*time.Second), &kinesis.PutRecordInput{StreamName: &name, Data: []byte("x"),
			PartitionKey: aws.String("pk"), DryRun: aws.Bool(true)})
		asError[*types.DryRunOperationException](t, err)
	})

	t.Run("ExpiredNextTokenException or InvalidArgumentException for a forged token", func(t *testing.T) {
		_, err := c.ListShards(ctxFor(t, 10*time.Second), &kinesis.ListShardsInput{NextToken: aws.String("Zm9yZ2Vk")})
		var expired *types.ExpiredNextTokenException
		var invalid *types.InvalidArgumentException
		if !errors.As(err, &expired) && !errors.As(err, &invalid) {
			t.Fatalf("forged NextToken: %T %v", err, err)
		}
	})
}

// LimitExceededException is a throttling code to the SDK's retryer; with retries off it comes back
// typed at once.
func TestErrors_LimitExceeded(t *testing.T) {
	t.Parallel()
	e := startOwnEddy(t, "--shard-limit", "2")
	c := kinesis.New(newClient(t, e, e.httpURL, nil).Options(), func(o *kinesis.Options) { o.RetryMaxAttempts = 1 })
	_, err := c.CreateStream(ctxFor(t, 10*time.Second), &kinesis.CreateStreamInput{StreamName: aws.String(uniqueName(t)),
		ShardCount: aws.Int32(3)})
	checkAPIError(t, asError[*types.LimitExceededException](t, err), "LimitExceededException", "")
}
