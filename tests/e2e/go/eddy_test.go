// End-to-end tests of eddy through the stock AWS SDK for Go v2 (service/kinesis), exactly as an
// application would configure it: a base endpoint, static credentials, the SDK's own HTTP client.
//
// TestMain starts one eddy (in memory, plaintext and TLS listeners, a certificate made here) that every
// test shares; each test makes its own streams, so tests run in parallel. Tests that need other flags
// start their own eddy with startEddy. The binary is EDDY_BIN, or <repo>/build/bin/eddy.
//
// No test sleeps for a fixed time: anything asynchronous is polled against a deadline.
package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

const (
	region    = "us-east-1"
	accountID = "000000000000"
	accessKey = "AKIDEXAMPLE"
	secretKey = "x"

	startTimeout = 15 * time.Second
	stopTimeout  = 15 * time.Second
)

// shared is the eddy every test uses unless it needs flags of its own.
var shared *eddy

func TestMain(m *testing.M) {
	// The SDK reads AWS_* variables (a CA bundle, a profile, an endpoint URL, a retry mode...); the
	// clients here are configured wholly in code, whatever the machine's environment says.
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "AWS_") {
			os.Unsetenv(name)
		}
	}
	e, err := startEddy()
	if err != nil {
		fmt.Fprintln(os.Stderr, "starting eddy:", err)
		os.Exit(1)
	}
	shared = e
	code := m.Run()
	if err := e.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping eddy:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// ---------------------------------------------------------------------------------------------------
// The eddy process

type eddy struct {
	cmd      *exec.Cmd
	exited   chan struct{} // closed once cmd.Wait returned
	waitErr  error
	dir      string
	logPath  string
	httpURL  string
	httpsURL string
	roots    *x509.CertPool // trusts the certificate this eddy serves
}

func eddyBin() string {
	if p := os.Getenv("EDDY_BIN"); p != "" {
		return p
	}
	// go test runs in the package directory, tests/e2e/go.
	p, _ := filepath.Abs(filepath.Join("..", "..", "..", "build", "bin", "eddy"))
	return p
}

// startEddy runs eddy in memory with both listeners and a certificate for 127.0.0.1 made here, and
// returns once the ready file names both endpoints.
func startEddy(extra ...string) (*eddy, error) { return startEddyCert(true, extra...) }

// startEddyCert is startEddy; with ownCert false eddy makes its own self-signed certificate (into
// $TMPDIR/eddy-tls with --in-memory, as docs/auth-and-tls.md says) and the client trusts that one.
func startEddyCert(ownCert bool, extra ...string) (*eddy, error) {
	bin := eddyBin()
	if st, err := os.Stat(bin); err != nil || st.Mode()&0o111 == 0 {
		return nil, fmt.Errorf("eddy binary not found or not executable: %s (set EDDY_BIN)", bin)
	}
	dir, err := os.MkdirTemp("", "eddy-go-e2e-")
	if err != nil {
		return nil, err
	}
	e := &eddy{dir: dir, logPath: filepath.Join(dir, "eddy.log"), exited: make(chan struct{})}
	ready := filepath.Join(dir, "ready")
	args := []string{"--in-memory", "--port", "0", "--tls-port", "0", "--ready-file", ready}
	if ownCert {
		certPath, keyPath := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
		if e.roots, err = writeSelfSignedCert(certPath, keyPath); err != nil {
			return nil, err
		}
		args = append(args, "--tls-cert", certPath, "--tls-key", keyPath)
	}
	args = append(args, extra...)
	log, err := os.Create(e.logPath)
	if err != nil {
		return nil, err
	}
	defer log.Close()
	e.cmd = exec.Command(bin, args...)
	e.cmd.Stdout = log
	e.cmd.Stderr = log
	// TMPDIR keeps anything eddy writes beside its ready file.
	e.cmd.Env = append(os.Environ(), "TMPDIR="+dir)
	if err := e.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { e.waitErr = e.cmd.Wait(); close(e.exited) }()

	deadline := time.Now().Add(startTimeout)
	for {
		if b, err := os.ReadFile(ready); err == nil {
			lines := strings.Fields(string(b))
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "http://") || !strings.HasPrefix(lines[1], "https://") {
				e.kill()
				return nil, fmt.Errorf("ready file %q: want an http and an https URL", b)
			}
			e.httpURL, e.httpsURL = lines[0], lines[1]
			if !ownCert {
				pem, err := os.ReadFile(filepath.Join(dir, "eddy-tls", "eddy-tls.crt"))
				if err != nil {
					e.kill()
					return nil, fmt.Errorf("eddy's generated certificate: %w", err)
				}
				e.roots = x509.NewCertPool()
				if !e.roots.AppendCertsFromPEM(pem) {
					e.kill()
					return nil, fmt.Errorf("eddy's generated certificate is not PEM: %q", pem)
				}
			}
			return e, nil
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("eddy exited before it was ready (%v); log:\n%s", e.waitErr, e.log())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			e.kill()
			return nil, fmt.Errorf("eddy not ready after %s; log:\n%s", startTimeout, e.log())
		}
	}
}

func (e *eddy) log() string {
	b, _ := os.ReadFile(e.logPath)
	return string(b)
}

func (e *eddy) kill() {
	_ = e.cmd.Process.Kill()
	<-e.exited
}

// stop sends SIGTERM and requires a clean exit 0 within stopTimeout, as a container runtime would.
func (e *eddy) stop() error {
	if err := e.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-e.exited:
	case <-time.After(stopTimeout):
		e.kill()
		return fmt.Errorf("eddy did not exit within %s of SIGTERM; log:\n%s", stopTimeout, e.log())
	}
	if e.waitErr != nil {
		return fmt.Errorf("eddy exited with %v after SIGTERM; log:\n%s", e.waitErr, e.log())
	}
	return os.RemoveAll(e.dir)
}

// startOwnEddy starts an eddy for one test and stops it (checking exit 0) when the test ends.
func startOwnEddy(t *testing.T, extra ...string) *eddy {
	t.Helper()
	return startOwnEddyCert(t, true, extra...)
}

func startOwnEddyCert(t *testing.T, ownCert bool, extra ...string) *eddy {
	t.Helper()
	e, err := startEddyCert(ownCert, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Error(err)
		}
	})
	return e
}

// writeSelfSignedCert makes a P-256 certificate for 127.0.0.1, ::1 and localhost, and returns a pool
// that trusts it: the SDK's client then verifies eddy as it would verify AWS.
func writeSelfSignedCert(certPath, keyPath string) (*x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "eddy go e2e"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return pool, nil
}

// ---------------------------------------------------------------------------------------------------
// Clients

// protoLog records the HTTP protocol of every response the client received, read from the raw
// response below the SDK's deserializers: "HTTP/1.1", or over TLS e.g. "HTTP/2.0 alpn=h2".
type protoLog struct {
	mu     sync.Mutex
	protos []string
}

func (p *protoLog) middleware(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("EddyRecordProto",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
			middleware.DeserializeOutput, middleware.Metadata, error,
		) {
			out, md, err := next.HandleDeserialize(ctx, in)
			if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Response != nil {
				proto := resp.Proto
				if resp.TLS != nil {
					proto += " alpn=" + resp.TLS.NegotiatedProtocol
				}
				p.mu.Lock()
				p.protos = append(p.protos, proto)
				p.mu.Unlock()
			}
			return out, md, err
		}), middleware.After)
}

func (p *protoLog) seen() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.protos...)
}

// newClient builds a client as an application would, through config.LoadDefaultConfig with nothing
// read from the environment's shared files. For https endpoints the SDK's own buildable HTTP client
// (which sets ForceAttemptHTTP2) is kept and only told to trust eddy's certificate.
func newClient(t testing.TB, e *eddy, endpoint string, protos *protoLog) *kinesis.Client {
	t.Helper()
	return newClientTransport(t, e, endpoint, protos, nil)
}

// newClientTransport is newClient with a change to the SDK's transport on top of trusting eddy.
func newClientTransport(t testing.TB, e *eddy, endpoint string, protos *protoLog, tweak func(*http.Transport)) *kinesis.Client {
	t.Helper()
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		if tr.TLSClientConfig != nil {
			tr.TLSClientConfig.RootCAs = e.roots
		}
		if tweak != nil {
			tweak(tr)
		}
	})
	cfg, err := config.LoadDefaultConfig(context.Background(),
		config.WithRegion(region),
		config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")),
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		config.WithHTTPClient(bodyRaceFreeClient{httpClient}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return kinesis.NewFromConfig(cfg, func(o *kinesis.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		if protos != nil {
			o.APIOptions = append(o.APIOptions, protos.middleware)
		}
	})
}

// bodyRaceFreeClient works around a race between smithy-go and net/http that a server as quick as
// eddy on loopback hits often (aws-sdk-go-v2 issues 1825, 2737: "use of closed network connection").
//
// smithy-go's ClientHandler closes the request body as soon as Do returns, which is when the response
// headers arrived. net/http's HTTP/1.1 writeLoop, after writing Content-Length bytes, reads the body
// once more to check that it is empty, through io.Copy and so through the body's WriteTo; smithy-go's
// safe body answers WriteTo after Close with io.EOF as an error (TestSDKQuirk_ClosedRequestBodyWriteTo),
// and net/http takes that for a write error and closes the connection: the response body being read on
// it fails (a SubscribeToShard event stream dies), or the call fails after eddy executed it and the SDK
// retries it (a second SubscribeToShard is refused as in use; a PutRecord can be stored twice). Hiding
// WriteTo makes that last read a plain Read, which after Close returns (0, io.EOF): the end of the body.
// The request bytes on the wire are the same. Real AWS answers too slowly to hit the window often.
type bodyRaceFreeClient struct{ inner aws.HTTPClient }

func (c bodyRaceFreeClient) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = struct{ io.ReadCloser }{req.Body}
	}
	return c.inner.Do(req)
}

// checkProtos requires every response the client got to have come over the protocol want.
func checkProtos(t *testing.T, p *protoLog, want string) {
	t.Helper()
	seen := p.seen()
	if len(seen) == 0 {
		t.Fatal("no responses recorded")
	}
	for _, s := range seen {
		if s != want {
			t.Fatalf("protocol %q, want %q (all: %v)", s, want, seen)
		}
	}
}

// httpClient is a client of the shared eddy's plaintext port (HTTP/1.1: Go does not speak h2c).
func httpClient(t testing.TB) *kinesis.Client { return newClient(t, shared, shared.httpURL, nil) }

// ---------------------------------------------------------------------------------------------------
// Streams

var nameSeq atomic.Int64

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// uniqueName is a legal stream or consumer name that says which test made it.
func uniqueName(t testing.TB) string {
	n := unsafeName.ReplaceAllString(t.Name(), "-")
	if len(n) > 80 {
		n = n[len(n)-80:]
	}
	return fmt.Sprintf("go-%s-%d-%d", n, os.Getpid(), nameSeq.Add(1))
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// waitActive waits for the stream with the SDK's own waiter, polling fast instead of its 10 s default.
func waitActive(t testing.TB, c *kinesis.Client, name string) {
	t.Helper()
	w := kinesis.NewStreamExistsWaiter(c, func(o *kinesis.StreamExistsWaiterOptions) {
		o.MinDelay = 20 * time.Millisecond
		o.MaxDelay = 200 * time.Millisecond
	})
	if err := w.Wait(context.Background(), &kinesis.DescribeStreamInput{StreamName: &name}, 10*time.Second); err != nil {
		t.Fatalf("stream %s not ACTIVE: %v", name, err)
	}
}

// createStream makes a provisioned stream and waits until it is ACTIVE.
func createStream(t testing.TB, c *kinesis.Client, shards int32) string {
	t.Helper()
	name := uniqueName(t)
	if _, err := c.CreateStream(ctxFor(t, 10*time.Second), &kinesis.CreateStreamInput{
		StreamName: &name, ShardCount: aws.Int32(shards),
	}); err != nil {
		t.Fatalf("CreateStream %s: %v", name, err)
	}
	waitActive(t, c, name)
	return name
}

// registerConsumer registers a consumer on the stream and waits until it is ACTIVE.
func registerConsumer(t testing.TB, c *kinesis.Client, stream string) string {
	t.Helper()
	out, err := c.RegisterStreamConsumer(ctxFor(t, 10*time.Second), &kinesis.RegisterStreamConsumerInput{
		StreamARN: aws.String(streamARN(stream)), ConsumerName: aws.String(uniqueName(t)),
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.Consumer.ConsumerARN)
	eventually(t, 10*time.Second, "consumer ACTIVE", func() (bool, error) {
		d, err := c.DescribeStreamConsumer(context.Background(), &kinesis.DescribeStreamConsumerInput{ConsumerARN: &arn})
		if err != nil {
			return false, err
		}
		return d.ConsumerDescription.ConsumerStatus == types.ConsumerStatusActive, nil
	})
	return arn
}

func streamARN(name string) string {
	return fmt.Sprintf("arn:aws:kinesis:%s:%s:stream/%s", region, accountID, name)
}

// eventually polls cond every 10 ms until it returns true or d passes.
func eventually(t testing.TB, d time.Duration, what string, cond func() (bool, error)) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ok, err := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s (last error: %v)", what, d, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// waitStreamStatus polls DescribeStreamSummary until the stream has the status.
func waitStreamStatus(t testing.TB, c *kinesis.Client, name string, want types.StreamStatus) {
	t.Helper()
	eventually(t, 10*time.Second, "stream "+name+" "+string(want), func() (bool, error) {
		out, err := c.DescribeStreamSummary(context.Background(), &kinesis.DescribeStreamSummaryInput{StreamName: &name})
		if err != nil {
			return false, err
		}
		return out.StreamDescriptionSummary.StreamStatus == want, nil
	})
}

// asError is errors.As for a typed SDK error, failing the test when err is not one.
func asError[T error](t testing.TB, err error) T {
	t.Helper()
	var target T
	if err == nil {
		t.Fatalf("want %T, got no error", target)
	}
	if !errors.As(err, &target) {
		t.Fatalf("want %T, got %T: %v", target, err, err)
	}
	return target
}

// toMillis truncates to the millisecond: Kinesis timestamps carry no finer precision.
func toMillis(ts time.Time) time.Time { return ts.Truncate(time.Millisecond) }
