// Command vectors writes the BACAP vectors of hpqc v0.0.86 (what kpclientd v0.0.104's
// new_keypair derives) next to the v0.0.78 ones that interop/go writes: same seeds, same
// JSON shape, plus a few more seeds, into OUT/bacap-hpqc-v0.0.86.json; and v0.0.104's
// message_sent_event frames (with forward_route / return_route) into
// OUT/message-sent-v0.0.104.json.
//
// hpqc v0.0.86 changed the start-index clamp of NewMessageBoxIndex: bytes 7 and 15 of the
// two little-endian summands are masked with 0x3f, where v0.0.78 masked bytes 0 and 8 with
// 0x2f. Everything else (keystream, NextIndex, caps layout) is unchanged.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/katzenpost/hpqc/bacap"
	"github.com/katzenpost/hpqc/hash"
	"github.com/katzenpost/hpqc/rand"
)

type index struct {
	Idx64 json.RawMessage `json:"idx64"`
	Hex   string          `json:"hex"`
}

type vector struct {
	Name         string  `json:"name"`
	Seed         string  `json:"seed"`
	WriteCap     string  `json:"write_cap"`
	ReadCap      string  `json:"read_cap"`
	First        index   `json:"first_message_index"`
	WriteCapHash string  `json:"write_cap_hash"`
	Next         []index `json:"next_indexes"`
	Advance1000  index   `json:"advance_by_1000"`
}

type file struct {
	Comment string   `json:"comment"`
	Vectors []vector `json:"vectors"`
}

type binary interface{ MarshalBinary() ([]byte, error) }

func mustBin(m binary) []byte {
	b, err := m.MarshalBinary()
	if err != nil {
		panic(err)
	}
	return b
}

// idx64 is a JSON number up to 2^53, else a decimal string (as in the v0.0.78 file).
func indexOf(m *bacap.MessageBoxIndex) index {
	n := strconv.FormatUint(m.Idx64, 10)
	if m.Idx64 > 1<<53 {
		n = strconv.Quote(n)
	}
	return index{Idx64: json.RawMessage(n), Hex: hex.EncodeToString(mustBin(m))}
}

func fill(b byte) []byte {
	out := make([]byte, 32)
	for i := range out {
		out[i] = b
	}
	return out
}

func seq(start byte) []byte {
	out := make([]byte, 32)
	for i := range out {
		out[i] = start + byte(i)
	}
	return out
}

func seeds() []struct {
	name string
	seed []byte
} {
	list := []struct {
		name string
		seed []byte
	}{{"seq_00_1f", seq(0x00)}, {"zeros", fill(0x00)}, {"ones_ff", fill(0xff)}, {"seq_80_9f", seq(0x80)}}
	for i := 0; i < 4; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("katzenpost-effect bacap seed %d", i)))
		list = append(list, struct {
			name string
			seed []byte
		}{fmt.Sprintf("sha256_%d", i), h[:]})
	}
	return list
}

func main() {
	out := flag.String("out", "", "directory to write bacap-hpqc-v0.0.86.json into")
	flag.Parse()
	if *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	f := file{Comment: "kpclientd v0.0.104 new_keypair derivation: seed -> hpqc rand.NewDeterministicRandReader -> bacap.NewWriteCap (hpqc v0.0.86: start-index summands masked at bytes 7 and 15 with 0x3f; v0.0.78 masked bytes 0 and 8 with 0x2f). Same shape as bacap.json (hpqc v0.0.78). next_indexes[i] = NextIndex applied i+1 times to first_message_index. write_cap_hash = BLAKE2b-256(write_cap). idx64 is a JSON number when <= 2^53, else a decimal string."}
	for _, s := range seeds() {
		rng, err := rand.NewDeterministicRandReader(s.seed)
		if err != nil {
			panic(err)
		}
		wc, err := bacap.NewWriteCap(rng)
		if err != nil {
			panic(err)
		}
		first := wc.GetMessageBoxIndex()
		wcb := mustBin(wc)
		wch := hash.Sum256(wcb)
		v := vector{
			Name: s.name, Seed: hex.EncodeToString(s.seed), WriteCap: hex.EncodeToString(wcb),
			ReadCap: hex.EncodeToString(mustBin(wc.ReadCap())), First: indexOf(first),
			WriteCapHash: hex.EncodeToString(wch[:]),
		}
		cur := first
		for i := 0; i < 5; i++ {
			if cur, err = cur.NextIndex(); err != nil {
				panic(err)
			}
			v.Next = append(v.Next, indexOf(cur))
		}
		adv, err := first.AdvanceIndexTo(first.Idx64 + 1000)
		if err != nil {
			panic(err)
		}
		v.Advance1000 = indexOf(adv)
		f.Vectors = append(f.Vectors, v)
	}
	writeJSON(filepath.Join(*out, "bacap-hpqc-v0.0.86.json"), f)
	writeJSON(filepath.Join(*out, "message-sent-v0.0.104.json"), messageSentEvents())
}

func writeJSON(path string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		panic(err)
	}
}
