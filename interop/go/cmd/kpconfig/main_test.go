package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The geometry the offline daemon uses must be the docker test-network
// geometry documented for thinclient.toml (wire-protocol.md §6).
func TestGeometriesMatchDocumentedThinConfig(t *testing.T) {
	sg, pg, err := Geometries()
	if err != nil {
		t.Fatal(err)
	}
	ints := map[string][2]int{
		"PacketLength":                 {sg.PacketLength, 3082},
		"NrHops":                       {sg.NrHops, 5},
		"HeaderLength":                 {sg.HeaderLength, 476},
		"RoutingInfoLength":            {sg.RoutingInfoLength, 410},
		"PerHopRoutingInfoLength":      {sg.PerHopRoutingInfoLength, 82},
		"SURBLength":                   {sg.SURBLength, 572},
		"SphinxPlaintextHeaderLength":  {sg.SphinxPlaintextHeaderLength, 2},
		"PayloadTagLength":             {sg.PayloadTagLength, 32},
		"ForwardPayloadLength":         {sg.ForwardPayloadLength, 2574},
		"UserForwardPayloadLength":     {sg.UserForwardPayloadLength, 2000},
		"NextNodeHopLength":            {sg.NextNodeHopLength, 65},
		"SPRPKeyMaterialLength":        {sg.SPRPKeyMaterialLength, 64},
		"MaxPlaintextPayloadLength":    {pg.MaxPlaintextPayloadLength, 1553},
		"CourierQueryReadLength":       {pg.CourierQueryReadLength, 359},
		"CourierQueryWriteLength":      {pg.CourierQueryWriteLength, 2000},
		"CourierQueryReplyReadLength":  {pg.CourierQueryReplyReadLength, 1698},
		"CourierQueryReplyWriteLength": {pg.CourierQueryReplyWriteLength, 50},
	}
	for k, v := range ints {
		if v[0] != v[1] {
			t.Errorf("%s = %d, documented %d", k, v[0], v[1])
		}
	}
	if sg.NIKEName != "x25519" || sg.KEMName != "" || pg.NIKEName != "CTIDH1024-X25519" || pg.SignatureSchemeName != "Ed25519" {
		t.Errorf("scheme names: %q %q %q %q", sg.NIKEName, sg.KEMName, pg.NIKEName, pg.SignatureSchemeName)
	}
}

func TestWritesLoadableConfigs(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "d.sock")
	if err := run(dir, sock, "tcp://127.0.0.1:1", "INFO", filepath.Join(dir, "d.log")); err != nil {
		t.Fatal(err)
	}
	thinCfg, err := os.ReadFile(filepath.Join(dir, "thinclient.toml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"[SphinxGeometry]", "[PigeonholeGeometry]", "[Dial]", "[Dial.Unix]", sock} {
		if !strings.Contains(string(thinCfg), want) {
			t.Errorf("thinclient.toml lacks %q", want)
		}
	}
}
