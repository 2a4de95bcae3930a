package vec

import (
	"strings"
	"testing"
)

// The minimal session_token map a TypeScript client may send (only the one
// set member), tokens 00..0f.
const minimalSessionToken = "a16d73657373696f6e5f746f6b656ea175636c69656e745f696e7374616e63655f746f6b656e50000102030405060708090a0b0c0d0e0f"

func parse(t *testing.T, s string) any {
	t.Helper()
	v, err := ParseJSON([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCheckVector(t *testing.T) {
	cases := []struct {
		name, goType, hex, fields, wantErr string
	}{
		{"minimal ok", "thin.Request", minimalSessionToken, `{"session_token":{"client_instance_token":"000102030405060708090a0b0c0d0e0f"}}`, ""},
		{"wrong bytes", "thin.Request", minimalSessionToken, `{"session_token":{"client_instance_token":"ff0102030405060708090a0b0c0d0e0f"}}`, "session_token.client_instance_token"},
		{"unnamed member set", "thin.Request", minimalSessionToken, `{}`, "session_token: envelope member is set"},
		{"unknown field", "thin.Request", "a16a7468696e5f636c6f7365a0", `{"thin_close":{"x":1}}`, "thin_close.x: no such field"},
		{"unknown member", "thin.Request", "a16a7468696e5f636c6f7365a0", `{"get_pki_document":{}}`, "not a member"},
		// new_keypair with a wrong-length BACAP blob must fail the decode, as in kpclientd.
		{"bad bacap length", "thin.Request", "a1766e6578745f6d6573736167655f626f785f696e646578a1716d6573736167655f626f785f696e6465784100", `{}`, "cbor.Unmarshal"},
		{"big int as string", "thin.Response", "a178236765745f6d6573736167655f626f785f696e6465785f636f756e7465725f7265706c79a167636f756e7465721bffffffffffffffff", `{"get_message_box_index_counter_reply":{"counter":"18446744073709551615"}}`, ""},
	}
	for _, c := range cases {
		errs := CheckVector(c.goType, c.hex, parse(t, c.fields))
		joined := strings.Join(errs, "; ")
		if c.wantErr == "" && len(errs) > 0 {
			t.Errorf("%s: unexpected errors: %s", c.name, joined)
		}
		if c.wantErr != "" && !strings.Contains(joined, c.wantErr) {
			t.Errorf("%s: want error containing %q, got %q", c.name, c.wantErr, joined)
		}
	}
}
