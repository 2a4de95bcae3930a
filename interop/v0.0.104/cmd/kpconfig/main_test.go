package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/katzenpost/katzenpost/client/config"
	"github.com/katzenpost/katzenpost/client/thin"
)

func write(t *testing.T, o options) (*config.Config, *thin.Config, string) {
	t.Helper()
	o.dir = t.TempDir()
	if o.socket == "" {
		o.socket = filepath.Join(o.dir, "kpclientd.sock")
	}
	o.logFile = filepath.Join(o.dir, "kpclientd.log")
	o.logLevel = "DEBUG"
	o.gateway = "tcp://127.0.0.1:1"
	o.authority = "tcp://127.0.0.1:2"
	if err := run(o); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFile(filepath.Join(o.dir, "client.toml"))
	if err != nil {
		t.Fatal(err)
	}
	thinCfg, err := thin.LoadFile(filepath.Join(o.dir, "thinclient.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile(filepath.Join(o.dir, "thinclient.toml"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg, thinCfg, string(text)
}

// The default writes a UNIX listener and a [Dial]-only thinclient.toml (no geometry: the
// v0.0.104 daemon announces it in the handshake).
func TestUnixListenerAndDialOnlyThinConfig(t *testing.T) {
	cfg, thinCfg, text := write(t, options{listen: "unix"})
	if cfg.Listen.Unix == nil || cfg.Listen.Ws != nil || cfg.Listen.Tcp != nil {
		t.Fatalf("want exactly a unix listener, got %+v", cfg.Listen)
	}
	if thinCfg.Dial.Unix == nil || thinCfg.Dial.Unix.Address != cfg.Listen.Unix.Address {
		t.Fatalf("thin dial %+v does not match the listener", thinCfg.Dial)
	}
	if strings.Contains(text, "Geometry") {
		t.Fatalf("thinclient.toml has a geometry section:\n%s", text)
	}
	if peers := cfg.VotingAuthority.Peers; len(peers) != 1 || peers[0].Identifier != "offline-authority" || peers[0].Addresses[0] != "tcp://127.0.0.1:2" {
		t.Fatalf("want the one offline authority, got %+v", cfg.VotingAuthority.Peers)
	}
	if cfg.SphinxGeometry.UserForwardPayloadLength != 2000 || cfg.SphinxGeometry.NrHops != 5 {
		t.Fatalf("unexpected geometry %+v", cfg.SphinxGeometry)
	}
}

// -listen ws writes [Listen.Ws] (Origin checked unless -ws-any-origin) and [Dial.Ws].
func TestWebSocketListener(t *testing.T) {
	for _, anyOrigin := range []bool{false, true} {
		cfg, thinCfg, _ := write(t, options{listen: "ws", wsAddress: "ws://127.0.0.1:7447", wsAnyOrigin: anyOrigin})
		if cfg.Listen.Ws == nil || cfg.Listen.Unix != nil {
			t.Fatalf("want exactly a ws listener, got %+v", cfg.Listen)
		}
		if cfg.Listen.Ws.InsecureSkipVerify != anyOrigin {
			t.Fatalf("InsecureSkipVerify = %v, want %v", cfg.Listen.Ws.InsecureSkipVerify, anyOrigin)
		}
		if thinCfg.Dial.Ws == nil || thinCfg.Dial.Ws.Address != "ws://127.0.0.1:7447" {
			t.Fatalf("thin dial %+v", thinCfg.Dial)
		}
	}
}
