// Command vectors writes the Go-side conformance vectors for the
// katzenpost-effect TypeScript SDK: thin-protocol requests and responses
// encoded by the reference types (katzenpost v0.0.73, client/thin) with
// fxamacker/cbor defaults, BACAP derivations, and a PKI document.
package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fxamacker/cbor/v2"

	"github.com/katzenpost-effect/interop/internal/vec"
)

func main() {
	out := flag.String("out", "", "directory to write requests.json, responses.json, bacap.json, pki.json into")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := generate(*out); err != nil {
		fail(err)
	}
}

func generate(out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b := newBacapSet()
	pkiOut, canonical := pkiVectors()

	var reqs []vec.Vector
	for _, r := range requests(b) {
		reqs = append(reqs, encode(r.name, "thin.Request", r.msg))
	}
	var resps []vec.Vector
	for _, r := range responses(b, canonical) {
		resps = append(resps, encode(r.name, "thin.Response", r.msg))
	}

	for name, v := range map[string]any{
		"requests.json":  reqs,
		"responses.json": resps,
		"bacap.json":     bacapVectors(),
		"pki.json":       pkiOut,
	} {
		if err := vec.WriteFile(filepath.Join(out, name), v); err != nil {
			return err
		}
	}
	fmt.Printf("wrote %d requests, %d responses, bacap.json, pki.json to %s\n", len(reqs), len(resps), out)
	return nil
}

// encode marshals an envelope with the package-level cbor.Marshal (what
// both kpclientd and the Go thin client use), then self-checks: decoding the
// bytes with cbor.Unmarshal must re-encode to the same bytes and must match
// the recorded fields.
func encode[T any](name, goType string, msg *T) vec.Vector {
	raw, err := cbor.Marshal(msg)
	if err != nil {
		fail(fmt.Errorf("%s: %w", name, err))
	}
	v := vec.Vector{Name: name, GoType: goType, Hex: hex.EncodeToString(raw), Fields: vec.Envelope(msg)}

	back := new(T)
	if err := cbor.Unmarshal(raw, back); err != nil {
		fail(fmt.Errorf("%s: decode: %w", name, err))
	}
	again, err := cbor.Marshal(back)
	if err != nil || !bytes.Equal(again, raw) {
		fail(fmt.Errorf("%s: re-encoding after decode differs", name))
	}
	fieldsJSON, err := vec.MarshalValue(v.Fields)
	if err != nil {
		fail(err)
	}
	if errs := vec.CheckVector(goType, v.Hex, fieldsJSON); len(errs) > 0 {
		fail(fmt.Errorf("%s: self-check: %v", name, errs))
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "vectors:", err)
	os.Exit(1)
}
