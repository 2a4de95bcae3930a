package main

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/katzenpost/katzenpost/client/thin"

	"github.com/katzenpost-effect/interop/internal/vec"
)

// replyKind maps the request kinds kpclientd v0.0.73 answers locally (no
// mixnet round trip) to the reply member that must come back.
var replyKind = map[string]string{
	"session_token":                                 "session_token_reply",
	"new_keypair":                                   "new_keypair_reply",
	"encrypt_read":                                  "encrypt_read_reply",
	"encrypt_write":                                 "encrypt_write_reply",
	"cancel_resending_encrypted_message":            "cancel_resending_encrypted_message_reply",
	"cancel_resending_copy_command":                 "cancel_resending_copy_command_reply",
	"next_message_box_index":                        "next_message_box_index_reply",
	"get_message_box_index_counter":                 "get_message_box_index_counter_reply",
	"create_courier_envelopes_from_payload":         "create_courier_envelopes_from_payload_reply",
	"create_courier_envelopes_from_multi_payload":   "create_courier_envelopes_from_multi_payload_reply",
	"create_courier_envelopes_from_tombstone_range": "create_courier_envelopes_from_tombstone_range_reply",
}

// replayProbe sends the exact bytes of each locally-answered request in a
// vector file over one connection and waits for the matching reply. Requests
// that go to the mixnet (send_message, start_resending_*) and thin_close are
// skipped: offline they would only queue, and thin_close ends the session.
func replayProbe(socket, file string) {
	fmt.Println("== replay:", file)
	raw, err := os.ReadFile(file)
	if err != nil {
		failf("replay: %v", err)
		return
	}
	parsed, err := vec.ParseJSON(raw)
	if err != nil {
		failf("replay: %v", err)
		return
	}
	list, _ := parsed.([]any)
	c, err := net.Dial("unix", socket)
	if err != nil {
		failf("replay dial: %v", err)
		return
	}
	defer c.Close()
	r := &rawConn{c: c}
	// drain the two handshake frames
	for i := 0; i < 2; i++ {
		if _, _, err := r.recv(10 * time.Second); err != nil {
			failf("replay handshake: %v", err)
			return
		}
	}
	sent, skipped := 0, 0
	for _, item := range list {
		o, _ := item.(map[string]any)
		name, _ := o["name"].(string)
		if gt, _ := o["go_type"].(string); gt != "thin.Request" {
			skipped++
			continue
		}
		hexStr, _ := o["hex"].(string)
		body, err := hex.DecodeString(hexStr)
		if err != nil {
			failf("replay %s: %v", name, err)
			continue
		}
		req := new(thin.Request)
		if err := cbor.Unmarshal(body, req); err != nil {
			failf("replay %s: does not decode: %v", name, err)
			continue
		}
		members := vec.Envelope(req)
		if len(members) != 1 {
			failf("replay %s: %d envelope members set", name, len(members))
			continue
		}
		want, local := replyKind[members[0].Key]
		if !local {
			fmt.Printf("    skip %s (%s is not answered locally)\n", name, members[0].Key)
			skipped++
			continue
		}
		var prefix [4]byte
		binary.BigEndian.PutUint32(prefix[:], uint32(len(body)))
		if _, err := c.Write(append(prefix[:], body...)); err != nil {
			failf("replay %s: write: %v", name, err)
			return
		}
		sent++
		resp := r.await(want+" for "+name, 10*time.Second, func(x *thin.Response) bool {
			f := vec.Envelope(x)
			return len(f) == 1 && f[0].Key == want
		})
		if resp == nil {
			// The connection is unusable; tell a crash from a dropped socket.
			time.Sleep(200 * time.Millisecond)
			if c2, err := net.Dial("unix", socket); err != nil {
				failf("daemon no longer accepts connections after %s (crashed? see kpclientd.stdout): %v", name, err)
			} else {
				c2.Close()
				failf("daemon dropped the connection after %s (request did not decode?)", name)
			}
			return
		}
		fmt.Printf("    ok   %s -> %s\n", name, want)
	}
	fmt.Printf("    replayed %d requests, skipped %d\n", sent, skipped)
}
