// Command probe talks to a running kpclientd (offline is fine) in two ways
// and reports what the daemon answers:
//
//   - raw: its own length-prefixed framing, sending the minimal request maps
//     a TypeScript SDK sends (only the one set envelope member), printing
//     every daemon frame as hex plus its decoded fields;
//   - thin: the reference Go thin client (client/thin) Dial handshake and its
//     NewKeypair / NextMessageBoxIndex / GetMessageBoxIndexCounter calls.
//
// Every answer that is derivable locally is cross-checked against the
// hpqc BACAP functions; the probe exits 1 on any mismatch.
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/katzenpost/hpqc/bacap"
	"github.com/katzenpost/katzenpost/client/config"
	"github.com/katzenpost/katzenpost/client/thin"

	fx "github.com/katzenpost-effect/interop/internal/fixtures"
	"github.com/katzenpost-effect/interop/internal/vec"
)

var failures int

func failf(format string, args ...any) {
	failures++
	fmt.Printf("FAIL "+format+"\n", args...)
}

func main() {
	cfgPath := flag.String("config", "", "thinclient.toml written by kpconfig / start.sh")
	mode := flag.String("mode", "both", "raw, thin, both, or none (only -replay)")
	transcript := flag.String("transcript", "", "optional path: write the daemon frames seen in raw mode as a vector file")
	var replays []string
	flag.Func("replay", "vector file of thin.Request (e.g. written by the TS SDK): send every locally-answered request to the daemon and require a reply of the matching kind (repeatable)", func(s string) error {
		replays = append(replays, s)
		return nil
	})
	flag.Parse()
	if *cfgPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	cfg, err := thin.LoadFile(*cfgPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe: load config:", err)
		os.Exit(2)
	}
	if cfg.Dial == nil || cfg.Dial.Unix == nil {
		fmt.Fprintln(os.Stderr, "probe: thinclient.toml must use [Dial.Unix]")
		os.Exit(2)
	}
	if *mode == "raw" || *mode == "both" {
		rawProbe(cfg.Dial.Unix.Address, *transcript)
	}
	if *mode == "thin" || *mode == "both" {
		thinProbe(cfg)
	}
	for _, f := range replays {
		replayProbe(cfg.Dial.Unix.Address, f)
	}
	if failures > 0 {
		fmt.Printf("probe: %d failure(s)\n", failures)
		os.Exit(1)
	}
	fmt.Println("probe: all checks passed")
}

// ---- raw framing ----

type rawConn struct {
	c     net.Conn
	seen  []vec.Vector
	count int
}

func (r *rawConn) send(name string, m map[string]any) {
	body, err := cbor.Marshal(m)
	if err != nil {
		panic(err)
	}
	var prefix [4]byte
	binary.BigEndian.PutUint32(prefix[:], uint32(len(body)))
	if _, err := r.c.Write(append(prefix[:], body...)); err != nil {
		failf("send %s: %v", name, err)
		return
	}
	fmt.Printf(">>> %s (%d bytes) %s\n", name, len(body), hex.EncodeToString(body))
}

func (r *rawConn) recv(timeout time.Duration) (*thin.Response, []byte, error) {
	_ = r.c.SetReadDeadline(time.Now().Add(timeout))
	var prefix [4]byte
	if _, err := io.ReadFull(r.c, prefix[:]); err != nil {
		return nil, nil, err
	}
	body := make([]byte, binary.BigEndian.Uint32(prefix[:]))
	if _, err := io.ReadFull(r.c, body); err != nil {
		return nil, nil, err
	}
	resp := new(thin.Response)
	if err := cbor.Unmarshal(body, resp); err != nil {
		return nil, body, err
	}
	fields := vec.Envelope(resp)
	js, _ := json.Marshal(fields)
	r.count++
	name := "frame"
	if len(fields) == 1 {
		name = fields[0].Key
	}
	r.seen = append(r.seen, vec.Vector{Name: fmt.Sprintf("%02d/%s", r.count, name), GoType: "thin.Response", Hex: hex.EncodeToString(body), Fields: fields})
	fmt.Printf("<<< %s (%d bytes, map header 0x%02x)\n    %s\n", name, len(body), body[0], truncate(string(js), 600))
	return resp, body, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// await reads frames until pick returns true, failing after timeout.
func (r *rawConn) await(what string, timeout time.Duration, pick func(*thin.Response) bool) *thin.Response {
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			failf("timed out waiting for %s", what)
			return nil
		}
		resp, _, err := r.recv(left)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				failf("timed out waiting for %s", what)
			} else {
				failf("reading %s: %v", what, err)
			}
			return nil
		}
		if pick(resp) {
			return resp
		}
	}
}

func rawProbe(socket, transcript string) {
	fmt.Println("== raw framing probe:", socket)
	t0 := time.Now()
	c, err := net.Dial("unix", socket)
	if err != nil {
		failf("dial: %v", err)
		return
	}
	defer c.Close()
	r := &rawConn{c: c}

	// Handshake: two unsolicited frames.
	first, _, err := r.recv(10 * time.Second)
	if err != nil || first.ConnectionStatusEvent == nil {
		failf("first frame is not connection_status_event (err=%v)", err)
	} else {
		fmt.Printf("    first frame after %v: is_connected=%v\n", time.Since(t0).Round(time.Millisecond), first.ConnectionStatusEvent.IsConnected)
	}
	second, _, err := r.recv(10 * time.Second)
	if err != nil || second.NewPKIDocumentEvent == nil {
		failf("second frame is not new_pki_document_event (err=%v)", err)
	} else {
		fmt.Printf("    pki payload: %d bytes (nil=%v)\n", len(second.NewPKIDocumentEvent.Payload), second.NewPKIDocumentEvent.Payload == nil)
	}

	// session_token as a minimal map.
	r.send("session_token", map[string]any{"session_token": map[string]any{"client_instance_token": fx.Seq(0x40, 16)}})
	st := r.await("session_token_reply", 10*time.Second, func(x *thin.Response) bool { return x.SessionTokenReply != nil })
	if st != nil {
		if len(st.SessionTokenReply.AppID) != 16 || st.SessionTokenReply.Resumed {
			failf("session_token_reply: app_id len %d resumed %v", len(st.SessionTokenReply.AppID), st.SessionTokenReply.Resumed)
		}
	}

	seed := fx.Seq(0x00, 32)
	wantWC, wantRC, wantFirst := fx.KeypairFromSeed(seed)
	wantNext, _ := wantFirst.NextIndex()

	q := fx.Seq(0x00, 16)
	r.send("new_keypair", map[string]any{"new_keypair": map[string]any{"query_id": q, "seed": seed}})
	nk := r.await("new_keypair_reply", 10*time.Second, func(x *thin.Response) bool { return x.NewKeypairReply != nil })
	if nk != nil {
		rep := nk.NewKeypairReply
		if rep.ErrorCode != 0 || rep.WriteCap == nil || rep.ReadCap == nil || rep.FirstMessageIndex == nil {
			failf("new_keypair_reply: error_code %d", rep.ErrorCode)
		} else {
			if !bytes.Equal(fx.MustBin(rep.WriteCap), fx.MustBin(wantWC)) {
				failf("new_keypair_reply.write_cap differs from hpqc derivation")
			}
			if !bytes.Equal(fx.MustBin(rep.ReadCap), fx.MustBin(wantRC)) {
				failf("new_keypair_reply.read_cap differs from hpqc derivation")
			}
			if !bytes.Equal(fx.MustBin(rep.FirstMessageIndex), fx.MustBin(wantFirst)) {
				failf("new_keypair_reply.first_message_index differs from hpqc derivation")
			}
		}
		if rep.QueryID == nil || !bytes.Equal(rep.QueryID[:], q) {
			failf("new_keypair_reply.query_id not echoed")
		}
	}

	r.send("new_keypair (seed too short)", map[string]any{"new_keypair": map[string]any{"query_id": q, "seed": fx.Seq(0, 31)}})
	nkShort := r.await("new_keypair_reply", 10*time.Second, func(x *thin.Response) bool { return x.NewKeypairReply != nil })
	if nkShort != nil && nkShort.NewKeypairReply.ErrorCode != thin.ThinClientErrorInvalidRequest {
		failf("short seed: error_code %d, want 3", nkShort.NewKeypairReply.ErrorCode)
	}

	r.send("next_message_box_index", map[string]any{"next_message_box_index": map[string]any{"query_id": q, "message_box_index": fx.MustBin(wantFirst)}})
	nx := r.await("next_message_box_index_reply", 10*time.Second, func(x *thin.Response) bool { return x.NextMessageBoxIndexReply != nil })
	if nx != nil {
		rep := nx.NextMessageBoxIndexReply
		if rep.ErrorCode != 0 || rep.NextMessageBoxIndex == nil || !bytes.Equal(fx.MustBin(rep.NextMessageBoxIndex), fx.MustBin(wantNext)) {
			failf("next_message_box_index_reply differs from NextIndex (code %d)", rep.ErrorCode)
		}
	}

	r.send("next_message_box_index (null index)", map[string]any{"next_message_box_index": map[string]any{"query_id": q}})
	nxNull := r.await("next_message_box_index_reply", 10*time.Second, func(x *thin.Response) bool { return x.NextMessageBoxIndexReply != nil })
	if nxNull != nil && nxNull.NextMessageBoxIndexReply.ErrorCode != thin.ThinClientErrorInvalidRequest {
		failf("null index: error_code %d, want 3", nxNull.NextMessageBoxIndexReply.ErrorCode)
	}

	r.send("get_message_box_index_counter", map[string]any{"get_message_box_index_counter": map[string]any{"query_id": q, "message_box_index": fx.MustBin(wantNext)}})
	gc := r.await("get_message_box_index_counter_reply", 10*time.Second, func(x *thin.Response) bool { return x.GetMessageBoxIndexCounterReply != nil })
	if gc != nil && (gc.GetMessageBoxIndexCounterReply.ErrorCode != 0 || gc.GetMessageBoxIndexCounterReply.Counter != wantNext.Idx64) {
		failf("get_message_box_index_counter_reply: counter %d code %d, want %d", gc.GetMessageBoxIndexCounterReply.Counter, gc.GetMessageBoxIndexCounterReply.ErrorCode, wantNext.Idx64)
	}

	// Needs a PKI document: offline it must fail with 4 (internal error).
	r.send("encrypt_write (offline)", map[string]any{"encrypt_write": map[string]any{"query_id": q, "plaintext": []byte("hello"), "write_cap": fx.MustBin(wantWC), "message_box_index": fx.MustBin(wantFirst)}})
	ew := r.await("encrypt_write_reply", 10*time.Second, func(x *thin.Response) bool { return x.EncryptWriteReply != nil })
	if ew != nil {
		fmt.Printf("    encrypt_write offline -> error_code %d\n", ew.EncryptWriteReply.ErrorCode)
	}

	r.send("cancel_resending_encrypted_message (unknown hash)", map[string]any{"cancel_resending_encrypted_message": map[string]any{"query_id": q, "envelope_hash": fx.Seq(0x20, 32)}})
	cc := r.await("cancel_resending_encrypted_message_reply", 10*time.Second, func(x *thin.Response) bool { return x.CancelResendingEncryptedMessageReply != nil })
	if cc != nil {
		fmt.Printf("    cancel unknown hash -> error_code %d\n", cc.CancelResendingEncryptedMessageReply.ErrorCode)
	}

	r.send("thin_close", map[string]any{"thin_close": map[string]any{}})
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var one [1]byte
	if _, err := c.Read(one[:]); err == io.EOF {
		fmt.Println("    daemon closed the socket after thin_close (EOF)")
	} else {
		fmt.Printf("    after thin_close: %v\n", err)
	}

	if transcript != "" {
		if err := vec.WriteFile(transcript, r.seen); err != nil {
			failf("write transcript: %v", err)
		}
	}
}

// ---- reference thin client ----

func thinProbe(cfg *thin.Config) {
	fmt.Println("== reference thin client probe")
	tc := thin.NewThinClient(cfg, &config.Logging{Level: "ERROR"})
	t0 := time.Now()
	if err := tc.Dial(); err != nil {
		failf("thin Dial: %v", err)
		return
	}
	fmt.Printf("    Dial handshake ok in %v; IsConnected=%v; PKIDocument nil=%v\n", time.Since(t0).Round(time.Millisecond), tc.IsConnected(), tc.PKIDocument() == nil)

	seed := fx.Seq(0x80, 32)
	wc, rc, first, err := tc.NewKeypair(seed)
	if err != nil {
		failf("thin NewKeypair: %v", err)
	} else {
		wWC, wRC, wFirst := fx.KeypairFromSeed(seed)
		if !bytes.Equal(fx.MustBin(wc), fx.MustBin(wWC)) || !bytes.Equal(fx.MustBin(rc), fx.MustBin(wRC)) || !bytes.Equal(fx.MustBin(first), fx.MustBin(wFirst)) {
			failf("thin NewKeypair differs from hpqc derivation")
		}
		next, err := tc.NextMessageBoxIndex(first)
		if err != nil {
			failf("thin NextMessageBoxIndex: %v", err)
		} else if want, _ := first.NextIndex(); !bytes.Equal(fx.MustBin(next), fx.MustBin(want)) {
			failf("thin NextMessageBoxIndex differs from hpqc NextIndex")
		}
		ctr, err := tc.GetMessageBoxIndexCounter(first)
		if err != nil || ctr != first.Idx64 {
			failf("thin GetMessageBoxIndexCounter: %d %v (want %d)", ctr, err, first.Idx64)
		}
		_, _, _, _, err = tc.EncryptWrite([]byte("x"), wc, first)
		fmt.Printf("    EncryptWrite offline -> %v\n", err)
		var _ *bacap.MessageBoxIndex = next
	}
	if err := tc.Close(); err != nil {
		failf("thin Close: %v", err)
	}
	fmt.Println("    thin client closed")
}
