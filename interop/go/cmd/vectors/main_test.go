package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/katzenpost-effect/interop/internal/vec"
)

// committed is where the vectors live in the monorepo.
const committed = "../../../../packages/core/test/vectors/go"

var files = []string{"requests.json", "responses.json", "bacap.json", "pki.json"}

// TestCommittedVectorsAreCurrent regenerates the vectors and requires them to
// be byte-identical to the committed ones.
func TestCommittedVectorsAreCurrent(t *testing.T) {
	if _, err := os.Stat(committed); err != nil {
		t.Skipf("no committed vectors at %s", committed)
	}
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join(committed, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want, got) {
			t.Errorf("%s differs from a fresh run; regenerate with: go run ./cmd/vectors -out %s", f, committed)
		}
	}
}

// TestGenerateTwiceIsStable guards determinism independently of the
// committed copy.
func TestGenerateTwiceIsStable(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := generate(a); err != nil {
		t.Fatal(err)
	}
	if err := generate(b); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s is not deterministic", f)
		}
	}
}

// TestRoundTripThroughChecker feeds the generated envelopes to the same
// checker the TypeScript-produced files go through.
func TestRoundTripThroughChecker(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"requests.json", "responses.json"} {
		raw, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		parsed, err := vec.ParseJSON(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, item := range parsed.([]any) {
			o := item.(map[string]any)
			if errs := vec.CheckVector(o["go_type"].(string), o["hex"].(string), o["fields"]); len(errs) > 0 {
				t.Errorf("%s %v: %v", f, o["name"], errs)
			}
		}
	}
}
