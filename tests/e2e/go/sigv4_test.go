package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

// With --auth=sigv4 eddy recomputes every signature: the Go SDK's signer must agree with it over
// HTTP/1.1 and h2, for ordinary calls and for SubscribeToShard, and the account comes from the key.
func TestSigV4Strict(t *testing.T) {
	t.Parallel()
	const key, secret, account = "AKIAGOE2E00000000001", "go-e2e-secret", "123456789012"
	creds := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(creds, []byte(key+" "+secret+" "+account+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := startOwnEddy(t, "--auth", "sigv4", "--credentials-file", creds)
	// A client with other credentials needs a signer of its own: the SDK's signer caches the derived
	// signing key by access key id and day, so a copy of a client's options (whose auth schemes hold
	// that signer) would sign with the right secret's key whatever secret it was given.
	withKey := func(c *kinesis.Client, id, sec string) *kinesis.Client {
		return kinesis.New(c.Options(), func(o *kinesis.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(id, sec, "")
			o.HTTPSignerV4 = v4.NewSigner()
			o.AuthSchemes = nil // rebuilt around the new signer
			o.RetryMaxAttempts = 1
		})
	}
	eachTransport(t, e, func(t *testing.T, c *kinesis.Client) {
		c = withKey(c, key, secret)
		name := createStream(t, c, 1)
		arn := "arn:aws:kinesis:" + region + ":" + account + ":stream/" + name
		sum, err := c.DescribeStreamSummary(ctxFor(t, 10*time.Second), &kinesis.DescribeStreamSummaryInput{StreamName: &name})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(sum.StreamDescriptionSummary.StreamARN); got != arn {
			t.Errorf("ARN %s, want the credentials file's account: %s", got, arn)
		}
		out, err := c.RegisterStreamConsumer(ctxFor(t, 10*time.Second), &kinesis.RegisterStreamConsumerInput{
			StreamARN: &arn, ConsumerName: aws.String("signed")})
		if err != nil {
			t.Fatal(err)
		}
		s := subscribe(t, c, aws.ToString(out.Consumer.ConsumerARN), shard0,
			types.StartingPosition{Type: types.ShardIteratorTypeTrimHorizon})
		p := putRecord(t, c, name, []byte("signed"), "pk")
		checkRecords(t, "signed subscription", s.records(1), p)

		// Kinesis's model has no shapes for these: the SDK gives a GenericAPIError with AWS's code.
		_, err = withKey(c, key, "not-the-secret").ListStreams(ctxFor(t, 10*time.Second), &kinesis.ListStreamsInput{})
		g := asError[*smithy.GenericAPIError](t, err)
		if g.Code != "InvalidSignatureException" || !strings.Contains(g.Message, "The request signature we calculated does not match") {
			t.Errorf("wrong secret: %s: %s", g.Code, g.Message)
		}
		_, err = withKey(c, "AKIAUNKNOWN000000000", secret).ListStreams(ctxFor(t, 10*time.Second), &kinesis.ListStreamsInput{})
		g = asError[*smithy.GenericAPIError](t, err)
		if g.Code != "UnrecognizedClientException" || g.Message != "The security token included in the request is invalid." {
			t.Errorf("unknown key: %s: %s", g.Code, g.Message)
		}
	})
}
