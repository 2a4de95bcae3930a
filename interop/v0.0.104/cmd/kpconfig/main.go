// Command kpconfig writes an offline kpclientd v0.0.104 configuration (client.toml) and the
// matching thin-client configuration (thinclient.toml) into a directory, with the reference
// v0.0.104 config types and BurntSushi/toml.
//
// Differences from the v0.0.73 writer in interop/go: the daemon config has no
// PigeonholeGeometry (the daemon derives it and sends both geometries in the handshake),
// the thin config is [Dial] only, and the daemon can listen on a WebSocket (-listen ws)
// instead of a UNIX socket (v0.0.104 accepts exactly one listener).
//
// The daemon's only pinned gateway and its one directory authority point at loopback ports
// where nothing listens, so it never reaches a mixnet; the authority is there so that
// get_directory_authorities has something to describe.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"
	kemschemes "github.com/katzenpost/hpqc/kem/schemes"
	nikeschemes "github.com/katzenpost/hpqc/nike/schemes"
	signschemes "github.com/katzenpost/hpqc/sign/schemes"

	dauth "github.com/katzenpost/katzenpost/authority/voting/server/config"
	"github.com/katzenpost/katzenpost/client/config"
	"github.com/katzenpost/katzenpost/client/thin"
	thintransport "github.com/katzenpost/katzenpost/client/thin/transport"
	clienttransport "github.com/katzenpost/katzenpost/client/transport"
	"github.com/katzenpost/katzenpost/core/sphinx/geo"
)

const (
	wireKEM            = "xwing"
	pkiSignatureScheme = "Ed25519"
	sphinxNIKE         = "x25519"
	userForwardPayload = 2000
	nrHops             = 5
	authorityName      = "offline-authority"
)

type options struct {
	dir, socket, listen, wsAddress, gateway, authority, logLevel, logFile string
	wsAnyOrigin                                                           bool
}

func main() {
	var o options
	flag.StringVar(&o.dir, "dir", "", "directory to write client.toml and thinclient.toml into")
	flag.StringVar(&o.listen, "listen", "unix", "daemon listener: unix or ws")
	flag.StringVar(&o.socket, "socket", "", "UNIX socket path (default DIR/kpclientd.sock)")
	flag.StringVar(&o.wsAddress, "ws-address", "ws://127.0.0.1:7447", "WebSocket URL the daemon listens on (-listen ws)")
	flag.BoolVar(&o.wsAnyOrigin, "ws-any-origin", false, "accept WebSocket upgrades from any Origin (a browser page served elsewhere)")
	flag.StringVar(&o.gateway, "gateway", "tcp://127.0.0.1:1", "address of the (unreachable) pinned gateway; keep it on loopback")
	flag.StringVar(&o.authority, "authority", "tcp://127.0.0.1:2", "address of the (unreachable) directory authority; keep it on loopback")
	flag.StringVar(&o.logLevel, "log-level", "DEBUG", "kpclientd log level")
	flag.StringVar(&o.logFile, "log-file", "", "kpclientd log file (default DIR/kpclientd.log)")
	flag.Parse()
	if o.dir == "" || (o.listen != "unix" && o.listen != "ws") {
		flag.Usage()
		os.Exit(2)
	}
	if o.socket == "" {
		o.socket = filepath.Join(o.dir, "kpclientd.sock")
	}
	if o.logFile == "" {
		o.logFile = filepath.Join(o.dir, "kpclientd.log")
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "kpconfig:", err)
		os.Exit(1)
	}
}

// sphinxGeometry is the docker test-network geometry, as for the v0.0.73 daemon.
func sphinxGeometry() (*geo.Geometry, error) {
	nike := nikeschemes.ByName(sphinxNIKE)
	if nike == nil {
		return nil, fmt.Errorf("unknown NIKE %q", sphinxNIKE)
	}
	return geo.GeometryFromUserForwardPayloadLength(nike, userForwardPayload, true, nrHops), nil
}

// seed is deterministic key material for the gateway that does not exist.
func seed(label string, n int) []byte {
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("katzenpost-effect offline gateway %s %d", label, i)))
		out = append(out, h[:]...)
	}
	return out[:n]
}

func listenAndDial(o options) (*clienttransport.ListenConfig, *thintransport.DialConfig) {
	if o.listen == "ws" {
		return &clienttransport.ListenConfig{Ws: &clienttransport.WsListenConfig{Address: o.wsAddress, InsecureSkipVerify: o.wsAnyOrigin}},
			&thintransport.DialConfig{Ws: &thintransport.WsDialConfig{Address: o.wsAddress}}
	}
	return &clienttransport.ListenConfig{Unix: &clienttransport.UnixListenConfig{Address: o.socket}},
		&thintransport.DialConfig{Unix: &thintransport.UnixDialConfig{Address: o.socket}}
}

func run(o options) error {
	if err := os.MkdirAll(o.dir, 0o700); err != nil {
		return err
	}
	sg, err := sphinxGeometry()
	if err != nil {
		return err
	}
	signScheme := signschemes.ByName(pkiSignatureScheme)
	if signScheme == nil {
		return fmt.Errorf("unknown signature scheme %q", pkiSignatureScheme)
	}
	kemScheme := kemschemes.ByName(wireKEM)
	if kemScheme == nil {
		return fmt.Errorf("unknown KEM %q", wireKEM)
	}
	idPub, _ := signScheme.DeriveKey(seed("identity", signScheme.SeedSize()))
	linkPub, _ := kemScheme.DeriveKeyPair(seed("link", kemScheme.SeedSize()))
	authorityID, _ := signScheme.DeriveKey(seed("authority identity", signScheme.SeedSize()))
	authorityLink, _ := kemScheme.DeriveKeyPair(seed("authority link", kemScheme.SeedSize()))

	listen, dial := listenAndDial(o)
	cfg := &config.Config{
		Listen:             listen,
		PKISignatureScheme: pkiSignatureScheme,
		WireKEMScheme:      wireKEM,
		SphinxGeometry:     sg,
		Logging:            &config.Logging{File: o.logFile, Level: o.logLevel},
		UpstreamProxy:      &config.UpstreamProxy{Type: "none"},
		Debug:              &config.Debug{DisableDecoyTraffic: true},
		VotingAuthority: &config.VotingAuthority{Peers: []*dauth.Authority{{
			Identifier:         authorityName,
			IdentityPublicKey:  authorityID,
			PKISignatureScheme: pkiSignatureScheme,
			LinkPublicKey:      dauth.LinkPublicKey{PublicKey: authorityLink},
			WireKEMScheme:      wireKEM,
			Addresses:          []string{o.authority},
		}}},
		PinnedGateways: &config.Gateways{Gateways: []*config.Gateway{{
			WireKEMScheme:      wireKEM,
			Name:               "offline-gateway",
			IdentityKey:        idPub,
			LinkKey:            config.LinkPublicKey{PublicKey: linkPub},
			PKISignatureScheme: pkiSignatureScheme,
			Addresses:          []string{o.gateway},
		}}},
	}
	thinCfg := &thin.Config{Dial: dial}

	clientPath := filepath.Join(o.dir, "client.toml")
	thinPath := filepath.Join(o.dir, "thinclient.toml")
	if err := writeTOML(clientPath, cfg); err != nil {
		return err
	}
	if err := writeTOML(thinPath, thinCfg); err != nil {
		return err
	}
	// Round-trip through the reference loaders so a bad file fails here, not in the daemon.
	if _, err := config.LoadFile(clientPath); err != nil {
		return fmt.Errorf("client.toml does not load: %w", err)
	}
	if _, err := thin.LoadFile(thinPath); err != nil {
		return fmt.Errorf("thinclient.toml does not load: %w", err)
	}
	fmt.Println(clientPath)
	fmt.Println(thinPath)
	return nil
}

func writeTOML(path string, v any) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := toml.NewEncoder(f).Encode(v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
