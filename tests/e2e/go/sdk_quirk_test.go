package e2e

import (
	"bytes"
	"context"
	"io"
	"testing"

	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The pinned smithy-go answers WriteTo on a closed request body with io.EOF, which is why every client
// here goes through bodyRaceFreeClient. If this fails after an SDK update, the quirk is gone and
// bodyRaceFreeClient can go too.
func TestSDKQuirk_ClosedRequestBodyWriteTo(t *testing.T) {
	req, err := smithyhttp.NewStackRequest().(*smithyhttp.Request).SetStream(bytes.NewReader([]byte("{}")))
	if err != nil {
		t.Fatal(err)
	}
	body := req.Build(context.Background()).Body
	if err := body.Close(); err != nil {
		t.Fatal(err)
	}
	w, ok := body.(io.WriterTo)
	if !ok {
		t.Fatalf("request body %T has no WriteTo any more: bodyRaceFreeClient is not needed", body)
	}
	if _, err := w.WriteTo(io.Discard); err != io.EOF {
		t.Fatalf("WriteTo after Close: %v, want io.EOF; bodyRaceFreeClient is not needed", err)
	}
}
