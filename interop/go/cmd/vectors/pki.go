package main

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/katzenpost/hpqc/hash"
	"github.com/katzenpost/katzenpost/client/common"
	cpki "github.com/katzenpost/katzenpost/core/pki"

	fx "github.com/katzenpost-effect/interop/internal/fixtures"
	"github.com/katzenpost-effect/interop/internal/vec"
)

const (
	docEpoch     = 200000
	replicaEpoch = 2900
)

func mixDesc(name string, idStart byte, port int, gateway, service bool) *cpki.MixDescriptor {
	d := &cpki.MixDescriptor{
		Name:          name,
		Epoch:         docEpoch,
		IdentityKey:   fx.Seq(idStart, 32),
		LinkKey:       fx.Seq(idStart+0x40, 32),
		MixKeys:       map[uint64][]byte{docEpoch: fx.Seq(idStart+0x80, 32)},
		Addresses:     map[string][]string{"tcp": {fmt.Sprintf("tcp://127.0.0.1:%d", port)}},
		IsGatewayNode: gateway,
		IsServiceNode: service,
		LoadWeight:    0,
		Version:       cpki.DescriptorVersion,
	}
	return d
}

func buildDocument() *cpki.Document {
	sn1 := mixDesc("servicenode1", 0x10, 30011, false, true)
	sn1.Kaetzchen = map[string]map[string]interface{}{
		"courier": {"endpoint": "courier"},
		"echo":    {"endpoint": "+echo"},
	}
	sn1.KaetzchenAdvertizedData = map[string]map[string]interface{}{
		"courier": {"linkPublicKey": hex.EncodeToString(fx.Seq(0x70, 32))},
	}
	sn2 := mixDesc("servicenode2", 0x20, 30012, false, true)
	sn2.Kaetzchen = map[string]map[string]interface{}{
		"courier":  {"endpoint": "courier"},
		"echo":     {"endpoint": "+echo"},
		"testdest": {"endpoint": "+testdest"},
	}
	gw := mixDesc("gateway1", 0x30, 30001, true, false)
	mix1 := mixDesc("mix1", 0x40, 30021, false, false)
	mix2 := mixDesc("mix2", 0x50, 30022, false, false)
	mix3 := mixDesc("mix3", 0x60, 30023, false, false)

	replica := func(name string, id uint8, start byte, port int) *cpki.ReplicaDescriptor {
		return &cpki.ReplicaDescriptor{
			Name:         name,
			ReplicaID:    id,
			Epoch:        docEpoch,
			IdentityKey:  fx.Seq(start, 32),
			LinkKey:      fx.Seq(start+0x40, 32),
			EnvelopeKeys: map[uint64][]byte{replicaEpoch: fx.Seq(start+0x80, 32)},
			Addresses:    map[string][]string{"tcp": {fmt.Sprintf("tcp://127.0.0.1:%d", port)}},
		}
	}
	r0 := replica("replica0", 0, 0x90, 30031)
	r1 := replica("replica1", 1, 0xa0, 30032)

	return &cpki.Document{
		Epoch:                         docEpoch,
		GenesisEpoch:                  199000,
		SendRatePerMinute:             100,
		Mu:                            0.005,
		MuMaxDelay:                    1000,
		LambdaP:                       0.5,
		LambdaPMaxDelay:               30000,
		LambdaL:                       0.25,
		LambdaLMaxDelay:               30000,
		LambdaD:                       0.001,
		LambdaDMaxDelay:               30000,
		LambdaM:                       0.0005,
		LambdaMMaxDelay:               30000,
		LambdaG:                       0,
		LambdaGMaxDelay:               30000,
		LambdaR:                       0.125,
		LambdaRMaxDelay:               30000,
		Topology:                      [][]*cpki.MixDescriptor{{mix1}, {mix2}, {mix3}},
		GatewayNodes:                  []*cpki.MixDescriptor{gw},
		ServiceNodes:                  []*cpki.MixDescriptor{sn1, sn2},
		StorageReplicas:               []*cpki.ReplicaDescriptor{r0, r1},
		ConfiguredReplicaIDs:          []uint8{0, 1},
		ConfiguredReplicaIdentityKeys: [][]byte{r0.IdentityKey, r1.IdentityKey},
		ReplicaEnvelopeKeys: map[uint8]map[uint64][]byte{
			0: {replicaEpoch: r0.EnvelopeKeys[replicaEpoch]},
			1: {replicaEpoch: r1.EnvelopeKeys[replicaEpoch]},
		},
		SharedRandomCommit: map[[32]byte][]byte{*fx.A32(0xb0): fx.Seq(0xc0, 8)},
		SharedRandomReveal: map[[32]byte][]byte{*fx.A32(0xb0): fx.Seq(0xd0, 8)},
		SharedRandomValue:  fx.Seq(0xe0, 32),
		PriorSharedRandom:  [][]byte{fx.Seq(0xf0, 32)},
		SphinxGeometryHash: fx.Seq(0x00, 32),
		Version:            cpki.DocumentVersion,
		PKISignatureScheme: "Ed25519 Sphincs+",
	}
}

// defaultModeEncoding returns cbor.Marshal(doc). Go encodes map members in
// random iteration order in default mode (SortNone); only the document's
// ReplicaEnvelopeKeys has more than one member here, so we encode a number of
// times and keep the bytewise smallest encoding, which is one of the
// encodings Go really emits.
func defaultModeEncoding(doc *cpki.Document) ([]byte, int) {
	var best []byte
	seen := map[string]bool{}
	for i := 0; i < 256; i++ {
		b, err := cbor.Marshal(doc)
		if err != nil {
			panic(err)
		}
		seen[string(b)] = true
		if best == nil || bytes.Compare(b, best) < 0 {
			best = b
		}
	}
	return best, len(seen)
}

func pkiVectors() (any, []byte) {
	doc := buildDocument()

	canonMode, err := cbor.CanonicalEncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	doc.Signatures = nil
	canonical, err := canonMode.Marshal(doc)
	if err != nil {
		panic(err)
	}
	def, variants := defaultModeEncoding(doc)
	if variants > 2 {
		panic(fmt.Sprintf("unexpected number of default-mode encodings: %d", variants))
	}

	// Decode the canonical blob the way the Go thin client does
	// (cbor.Unmarshal into cpki.Document) and derive the expected views
	// from the decoded value.
	decoded := new(cpki.Document)
	if err := cbor.Unmarshal(canonical, decoded); err != nil {
		panic(err)
	}
	decodedDef := new(cpki.Document)
	if err := cbor.Unmarshal(def, decodedDef); err != nil {
		panic(err)
	}
	if decodedDef.Epoch != decoded.Epoch || len(decodedDef.ServiceNodes) != len(decoded.ServiceNodes) {
		panic("default and canonical encodings decode differently")
	}

	services := func(capability string) []any {
		var out []any
		for _, s := range common.FindServices(capability, decoded) {
			id := hash.Sum256(s.MixDescriptor.IdentityKey)
			out = append(out, vec.Obj{
				vec.P("capability", capability),
				vec.P("node_name", s.MixDescriptor.Name),
				vec.P("endpoint", string(s.RecipientQueueID)),
				vec.P("recipient_queue_id", vec.Hex(s.RecipientQueueID)),
				vec.P("identity_key", vec.Hex(s.MixDescriptor.IdentityKey)),
				vec.P("destination_id_hash", vec.Hex(id[:])),
			})
		}
		return out
	}

	descriptor := func(d *cpki.MixDescriptor) vec.Obj {
		blob, err := d.MarshalBinary()
		if err != nil {
			panic(err)
		}
		return vec.Obj{
			vec.P("hex", hex.EncodeToString(blob)),
			vec.P("fields", vec.StructFields(d, true)),
		}
	}
	var descriptors []any
	for _, layer := range decoded.Topology {
		for _, d := range layer {
			descriptors = append(descriptors, descriptor(d))
		}
	}
	for _, d := range decoded.GatewayNodes {
		descriptors = append(descriptors, descriptor(d))
	}
	for _, d := range decoded.ServiceNodes {
		descriptors = append(descriptors, descriptor(d))
	}

	var replicas []any
	for _, r := range decoded.StorageReplicas {
		replicas = append(replicas, vec.Fields(r, true))
	}

	expected := vec.Obj{
		vec.P("Epoch", vec.Uint(decoded.Epoch)),
		vec.P("GenesisEpoch", vec.Uint(decoded.GenesisEpoch)),
		vec.P("SendRatePerMinute", vec.Uint(decoded.SendRatePerMinute)),
		vec.P("Mu", decoded.Mu),
		vec.P("LambdaP", decoded.LambdaP),
		vec.P("LambdaL", decoded.LambdaL),
		vec.P("LambdaD", decoded.LambdaD),
		vec.P("LambdaM", decoded.LambdaM),
		vec.P("LambdaG", decoded.LambdaG),
		vec.P("LambdaR", decoded.LambdaR),
		vec.P("Version", decoded.Version),
		vec.P("PKISignatureScheme", decoded.PKISignatureScheme),
		vec.P("SphinxGeometryHash", vec.Hex(decoded.SphinxGeometryHash)),
		vec.P("topology_layers", len(decoded.Topology)),
		vec.P("gateway_names", names(decoded.GatewayNodes)),
		vec.P("service_node_names", names(decoded.ServiceNodes)),
		vec.P("services", vec.Obj{
			vec.P("courier", services("courier")),
			vec.P("echo", services("echo")),
			vec.P("testdest", services("testdest")),
		}),
		vec.P("storage_replicas", replicas),
		vec.P("mix_descriptors", descriptors),
	}

	out := vec.Obj{
		vec.P("comment", "core/pki.Document v0.0.73 without signatures. canonical = cbor.CanonicalEncOptions() (kpclientd handshake blob, client/pki.go getDocument); default = cbor.Marshal(doc) (later broadcasts, client/listener.go doUpdateFromPKIDoc). Go's default mode writes map members in random order; default_hex is the bytewise smallest of the encodings observed. Every MixDescriptor is a CBOR byte string holding canonical CBOR (MarshalBinary). Hashes are BLAKE2b-256 (hpqc hash.Sum256)."),
		vec.P("go_type", "cpki.Document"),
		vec.P("canonical_hex", hex.EncodeToString(canonical)),
		vec.P("default_hex", hex.EncodeToString(def)),
		vec.P("fields", expected),
	}
	return out, canonical
}

func names(ds []*cpki.MixDescriptor) []any {
	out := []any{}
	for _, d := range ds {
		out = append(out, d.Name)
	}
	return out
}
