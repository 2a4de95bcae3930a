package vec

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/fxamacker/cbor/v2"
	"github.com/katzenpost/katzenpost/client/thin"
)

// Envelope returns the `fields` object of an envelope (thin.Request or
// thin.Response): only its non-nil members, each walked with dropEmpty.
func Envelope(env any) Obj {
	all := Fields(env, true).(Obj)
	out := Obj{}
	for _, kv := range all {
		if kv.Value != nil {
			out = append(out, kv)
		}
	}
	return out
}

// Decode decodes hexStr with the reference decoder (package-level
// cbor.Unmarshal) into a fresh value of goType.
func Decode(goType, hexStr string) (any, error) {
	raw, err := hex.DecodeString(hexStr)
	if err != nil {
		return nil, fmt.Errorf("hex: %w", err)
	}
	var v any
	switch goType {
	case "thin.Request":
		r := new(thin.Request)
		err = cbor.Unmarshal(raw, r)
		v = r
	case "thin.Response":
		r := new(thin.Response)
		err = cbor.Unmarshal(raw, r)
		v = r
	default:
		return nil, fmt.Errorf("unsupported go_type %q (want thin.Request or thin.Response)", goType)
	}
	if err != nil {
		return nil, fmt.Errorf("cbor.Unmarshal into %s: %w", goType, err)
	}
	return v, nil
}

// CheckVector decodes one vector and compares every entry of its `fields`
// (given as generic JSON decoded with UseNumber) against the decoded Go value.
// Envelope members that `fields` does not name must decode to nil.
// It returns one message per mismatch.
func CheckVector(goType, hexStr string, fields any) []string {
	v, err := Decode(goType, hexStr)
	if err != nil {
		return []string{err.Error()}
	}
	actual, err := normalize(Fields(v, false))
	if err != nil {
		return []string{err.Error()}
	}
	exp, ok := fields.(map[string]any)
	if !ok {
		return []string{"fields is not a JSON object"}
	}
	act := actual.(map[string]any)
	var errs []string
	keys := make([]string, 0, len(act))
	for k := range act {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, named := exp[k]; !named && act[k] != nil {
			errs = append(errs, fmt.Sprintf("%s: envelope member is set after decoding but not named in fields", k))
		}
	}
	for _, k := range sortedKeys(exp) {
		if _, known := act[k]; !known {
			errs = append(errs, fmt.Sprintf("%s: not a member of %s at v0.0.73", k, goType))
			continue
		}
		errs = append(errs, compare(k, exp[k], act[k])...)
	}
	return errs
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// normalize round-trips a Fields tree through JSON so it has the same
// representation as a parsed vector file.
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return ParseJSON(b)
}

// ParseJSON decodes JSON keeping numbers exact.
func ParseJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isHex(s string) bool {
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return len(s)%2 == 0
}

func show(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func compare(path string, exp, act any) []string {
	switch e := exp.(type) {
	case nil:
		if act != nil {
			return []string{fmt.Sprintf("%s: expected null, decoded %s", path, show(act))}
		}
		return nil
	case map[string]any:
		a, ok := act.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an object, decoded %s", path, show(act))}
		}
		var errs []string
		for _, k := range sortedKeys(e) {
			av, present := a[k]
			if !present {
				errs = append(errs, fmt.Sprintf("%s.%s: no such field in the Go type", path, k))
				continue
			}
			errs = append(errs, compare(path+"."+k, e[k], av)...)
		}
		return errs
	case []any:
		a, ok := act.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: expected an array, decoded %s", path, show(act))}
		}
		if len(a) != len(e) {
			return []string{fmt.Sprintf("%s: expected %d elements, decoded %d", path, len(e), len(a))}
		}
		var errs []string
		for i := range e {
			errs = append(errs, compare(fmt.Sprintf("%s[%d]", path, i), e[i], a[i])...)
		}
		return errs
	case json.Number:
		switch a := act.(type) {
		case json.Number:
			if a.String() == e.String() {
				return nil
			}
		case string:
			if isDecimal(a) && a == e.String() {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: expected %s, decoded %s", path, e, show(act))}
	case string:
		switch a := act.(type) {
		case string:
			if a == e || (isHex(a) && isHex(e) && strings.EqualFold(a, e)) {
				return nil
			}
		case json.Number:
			if isDecimal(e) && a.String() == e {
				return nil
			}
		}
		return []string{fmt.Sprintf("%s: expected %q, decoded %s", path, e, show(act))}
	case bool:
		if a, ok := act.(bool); ok && a == e {
			return nil
		}
		return []string{fmt.Sprintf("%s: expected %v, decoded %s", path, e, show(act))}
	}
	return []string{fmt.Sprintf("%s: unsupported expected value %s", path, show(exp))}
}

// MarshalValue converts a Fields tree into generic JSON (numbers kept exact).
func MarshalValue(v any) (any, error) { return normalize(v) }
