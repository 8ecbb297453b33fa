package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// roundTrip runs the calls an application makes first, so each TLS test sees real traffic both ways.
func roundTrip(t *testing.T, c *kinesis.Client) {
	t.Helper()
	ctx := ctxFor(t, 20*time.Second)
	name := createStream(t, c, 2)
	if _, err := c.ListStreams(ctx, &kinesis.ListStreamsInput{}); err != nil {
		t.Fatal(err)
	}
	// The largest PutRecords: 5 MiB of data and keys, some 7 MB of JSON, so that h2 flow control has
	// to open the window several times on the way in and on the way out (GetRecords).
	in := &kinesis.PutRecordsInput{StreamName: &name}
	for i := 0; i < 5; i++ {
		in.Records = append(in.Records, types.PutRecordsRequestEntry{Data: bytes.Repeat([]byte{byte(i)}, 1<<20-2),
			PartitionKey: aws.String("pk"), ExplicitHashKey: aws.String("0")})
	}
	out, err := c.PutRecords(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt32(out.FailedRecordCount) != 0 {
		t.Fatalf("%d records failed", aws.ToInt32(out.FailedRecordCount))
	}
	recs := readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name,
		ShardId: aws.String(shard0), ShardIteratorType: types.ShardIteratorTypeTrimHorizon}))
	if len(recs) != len(in.Records) {
		t.Fatalf("%d records back over TLS, want %d", len(recs), len(in.Records))
	}
	for i, r := range recs {
		if !bytes.Equal(r.Data, in.Records[i].Data) {
			t.Fatalf("record %d differs", i)
		}
	}
}

// The SDK's default HTTP client sets ForceAttemptHTTP2, so on https:// Go offers h2 by ALPN and
// eddy must pick it.
func TestTLS_DefaultClientNegotiatesH2(t *testing.T) {
	t.Parallel()
	protos := &protoLog{}
	roundTrip(t, newClient(t, shared, shared.httpsURL, protos))
	checkProtos(t, protos, "HTTP/2.0 alpn=h2")
}

// A client that offers only http/1.1 gets HTTP/1.1 over TLS.
func TestTLS_HTTP1OnlyClient(t *testing.T) {
	t.Parallel()
	protos := &protoLog{}
	roundTrip(t, newClientTransport(t, shared, shared.httpsURL, protos, func(tr *http.Transport) {
		tr.ForceAttemptHTTP2 = false
		tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
	}))
	checkProtos(t, protos, "HTTP/1.1 alpn=http/1.1")
}

// Without --tls-cert eddy makes its own certificate; trusting that file is enough for the SDK.
func TestTLS_GeneratedCertificate(t *testing.T) {
	t.Parallel()
	e := startOwnEddyCert(t, false)
	protos := &protoLog{}
	c := newClient(t, e, e.httpsURL, protos)
	if _, err := c.ListStreams(ctxFor(t, 10*time.Second), &kinesis.ListStreamsInput{}); err != nil {
		t.Fatal(err)
	}
	checkProtos(t, protos, "HTTP/2.0 alpn=h2")

	// And a client that does not trust it is refused by Go's verification, not by eddy.
	untrusted := newClientTransport(t, e, e.httpsURL, nil, func(tr *http.Transport) { tr.TLSClientConfig.RootCAs = nil })
	_, err := untrusted.ListStreams(ctxFor(t, 10*time.Second), &kinesis.ListStreamsInput{},
		func(o *kinesis.Options) { o.RetryMaxAttempts = 1 })
	if err == nil {
		t.Fatal("an untrusted certificate was accepted")
	}
	var certErr *tls.CertificateVerificationError
	if !errors.As(err, &certErr) {
		t.Errorf("want a certificate verification error, got %v", err)
	}
}

// Go multiplexes concurrent calls as streams of its h2 connections: 64 PutRecords at once, all stored.
func TestTLS_ConcurrentCallsOverH2(t *testing.T) {
	t.Parallel()
	protos := &protoLog{}
	c := newClient(t, shared, shared.httpsURL, protos)
	name := createStream(t, c, 1)
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.PutRecord(context.Background(), &kinesis.PutRecordInput{StreamName: &name,
				Data: bytes.Repeat([]byte{byte(i)}, 10_000), PartitionKey: aws.String(fmt.Sprint(i))})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	recs := readAll(t, c, iterator(t, c, &kinesis.GetShardIteratorInput{StreamName: &name,
		ShardId: aws.String(shard0), ShardIteratorType: types.ShardIteratorTypeTrimHorizon}))
	if len(recs) != n {
		t.Fatalf("%d records stored, want %d", len(recs), n)
	}
	checkProtos(t, protos, "HTTP/2.0 alpn=h2")
}
