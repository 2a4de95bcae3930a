package main

import (
	"encoding/hex"

	"github.com/katzenpost/hpqc/bacap"
	"github.com/katzenpost/hpqc/hash"

	fx "github.com/katzenpost-effect/interop/internal/fixtures"
	"github.com/katzenpost-effect/interop/internal/vec"
)

const nextIndexChain = 5

func indexFields(m *bacap.MessageBoxIndex) vec.Obj {
	return vec.Obj{
		vec.P("idx64", vec.Uint(m.Idx64)),
		vec.P("hex", hex.EncodeToString(fx.MustBin(m))),
	}
}

func bacapVectors() any {
	var out []any
	for _, s := range fx.Seeds {
		wc, rc, first := fx.KeypairFromSeed(s.Seed)
		wcb := fx.MustBin(wc)
		wch := hash.Sum256(wcb)

		var chain []any
		cur := first
		for i := 0; i < nextIndexChain; i++ {
			next, err := cur.NextIndex()
			if err != nil {
				panic(err)
			}
			chain = append(chain, indexFields(next))
			cur = next
		}
		adv, err := first.AdvanceIndexTo(first.Idx64 + 1000)
		if err != nil {
			panic(err)
		}

		out = append(out, vec.Obj{
			vec.P("name", s.Name),
			vec.P("seed", hex.EncodeToString(s.Seed)),
			vec.P("write_cap", hex.EncodeToString(wcb)),
			vec.P("read_cap", hex.EncodeToString(fx.MustBin(rc))),
			vec.P("first_message_index", indexFields(first)),
			vec.P("write_cap_hash", hex.EncodeToString(wch[:])),
			vec.P("next_indexes", chain),
			vec.P("advance_by_1000", indexFields(adv)),
		})
	}
	return vec.Obj{
		vec.P("comment", "kpclientd v0.0.73 new_keypair derivation: seed -> hpqc rand.NewDeterministicRandReader -> bacap.NewWriteCap (hpqc v0.0.78). write_cap = 168 B, read_cap = 136 B, message box index = 104 B (Idx64 u64 LE | K_i | E_i | HKDF state). next_indexes[i] = NextIndex applied i+1 times to first_message_index. write_cap_hash = BLAKE2b-256(write_cap). idx64 is a JSON number when <= 2^53, else a decimal string."),
		vec.P("vectors", out),
	}
}
