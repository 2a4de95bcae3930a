// Command check decodes conformance vectors written by another
// implementation (e.g. the TypeScript SDK) with the Go reference decoder and
// verifies the values they claim.
//
// Input: a JSON array of {name, go_type, hex, fields}; go_type is
// "thin.Request" or "thin.Response". Each hex is decoded with the
// package-level cbor.Unmarshal (what kpclientd v0.0.73 does) into that type;
// every value in fields must equal the decoded Go value (same JSON mapping as
// the vectors command: byte strings as hex, big integers as decimal strings),
// and envelope members not named in fields must decode to nil.
// Exits 1 naming each failing message and field.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/katzenpost-effect/interop/internal/vec"
)

func main() {
	in := flag.String("in", "", "vector file to check")
	quiet := flag.Bool("q", false, "only print failures")
	defType := flag.String("go-type", "", "go_type to assume for entries that have none (thin.Request or thin.Response)")
	flag.Parse()
	if *in == "" {
		flag.Usage()
		os.Exit(2)
	}
	raw, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(2)
	}
	parsed, err := vec.ParseJSON(raw)
	if err != nil {
		fmt.Fprintln(os.Stderr, "check: parse:", err)
		os.Exit(2)
	}
	list, ok := parsed.([]any)
	if !ok {
		fmt.Fprintln(os.Stderr, "check: input is not a JSON array")
		os.Exit(2)
	}
	failed := 0
	for i, item := range list {
		obj, ok := item.(map[string]any)
		if !ok {
			fmt.Printf("FAIL [%d]: not an object\n", i)
			failed++
			continue
		}
		name, _ := obj["name"].(string)
		if name == "" {
			name = fmt.Sprintf("[%d]", i)
		}
		goType, _ := obj["go_type"].(string)
		if goType == "" {
			goType = *defType
		}
		hexStr, _ := obj["hex"].(string)
		fields := obj["fields"]
		// Accept the flat layout {kind, fields: {member fields}} too.
		if kind, ok := obj["kind"].(string); ok && kind != "" {
			if m, ok := fields.(map[string]any); ok {
				if _, nested := m[kind]; !nested {
					fields = map[string]any{kind: m}
				}
			}
		}
		errs := vec.CheckVector(goType, hexStr, fields)
		if len(errs) > 0 {
			failed++
			for _, e := range errs {
				fmt.Printf("FAIL %s: %s\n", name, e)
			}
			continue
		}
		if !*quiet {
			fmt.Printf("ok   %s\n", name)
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(list)-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
