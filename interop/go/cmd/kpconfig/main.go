// Command kpconfig writes an "offline" kpclientd v0.0.73 configuration
// (client.toml) and the matching thin-client configuration
// (thinclient.toml) into a directory.
//
// The daemon listens on a UNIX socket; its only pinned gateway points at a
// loopback port where nothing listens, and it has no directory authorities,
// so it never reaches a mixnet. Geometries come from the reference
// constructors with the docker test-network parameters (x25519 Sphinx NIKE,
// UserForwardPayloadLength 2000, 5 hops, pigeonhole NIKE CTIDH1024-X25519).
// Both files are encoded with BurntSushi/toml from the reference config
// types, as katzenpost's own genconfig does.
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
	pgeo "github.com/katzenpost/katzenpost/pigeonhole/geo"
	replicaCommon "github.com/katzenpost/katzenpost/replica/common"
)

const (
	wireKEM            = "xwing"
	pkiSignatureScheme = "Ed25519"
	sphinxNIKE         = "x25519"
	userForwardPayload = 2000
	nrHops             = 5
)

func main() {
	dir := flag.String("dir", "", "directory to write client.toml and thinclient.toml into")
	socket := flag.String("socket", "", "UNIX socket path for the daemon (default DIR/kpclientd.sock)")
	gateway := flag.String("gateway", "tcp://127.0.0.1:1", "address of the (unreachable) pinned gateway; keep it on loopback")
	logLevel := flag.String("log-level", "DEBUG", "kpclientd log level")
	logFile := flag.String("log-file", "", "kpclientd log file (default DIR/kpclientd.log)")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
		os.Exit(2)
	}
	if *socket == "" {
		*socket = filepath.Join(*dir, "kpclientd.sock")
	}
	if *logFile == "" {
		*logFile = filepath.Join(*dir, "kpclientd.log")
	}
	if err := run(*dir, *socket, *gateway, *logLevel, *logFile); err != nil {
		fmt.Fprintln(os.Stderr, "kpconfig:", err)
		os.Exit(1)
	}
}

// Geometries returns the Sphinx and Pigeonhole geometries used by the
// offline daemon.
func Geometries() (*geo.Geometry, *pgeo.Geometry, error) {
	nike := nikeschemes.ByName(sphinxNIKE)
	if nike == nil {
		return nil, nil, fmt.Errorf("unknown NIKE %q", sphinxNIKE)
	}
	sg := geo.GeometryFromUserForwardPayloadLength(nike, userForwardPayload, true, nrHops)
	pg, err := pgeo.NewGeometryFromSphinx(sg, replicaCommon.NikeScheme)
	if err != nil {
		return nil, nil, err
	}
	return sg, pg, nil
}

func seed(label string, n int) []byte {
	out := make([]byte, 0, n)
	for i := 0; len(out) < n; i++ {
		h := sha256.Sum256([]byte(fmt.Sprintf("katzenpost-effect offline gateway %s %d", label, i)))
		out = append(out, h[:]...)
	}
	return out[:n]
}

func run(dir, socket, gatewayAddr, logLevel, logFile string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	sg, pg, err := Geometries()
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
	// Fixed public keys for a gateway that does not exist.
	idPub, _ := signScheme.DeriveKey(seed("identity", signScheme.SeedSize()))
	linkPub, _ := kemScheme.DeriveKeyPair(seed("link", kemScheme.SeedSize()))

	cfg := &config.Config{
		Listen:             &clienttransport.ListenConfig{Unix: &clienttransport.UnixListenConfig{Address: socket}},
		PKISignatureScheme: pkiSignatureScheme,
		WireKEMScheme:      wireKEM,
		SphinxGeometry:     sg,
		PigeonholeGeometry: pg,
		Logging:            &config.Logging{File: logFile, Level: logLevel},
		UpstreamProxy:      &config.UpstreamProxy{Type: "none"},
		Debug:              &config.Debug{DisableDecoyTraffic: true},
		VotingAuthority:    &config.VotingAuthority{Peers: []*dauth.Authority{}},
		PinnedGateways: &config.Gateways{Gateways: []*config.Gateway{{
			WireKEMScheme:      wireKEM,
			Name:               "offline-gateway",
			IdentityKey:        idPub,
			LinkKey:            config.LinkPublicKey{PublicKey: linkPub},
			PKISignatureScheme: pkiSignatureScheme,
			Addresses:          []string{gatewayAddr},
		}}},
	}
	thinCfg := &thin.Config{
		SphinxGeometry:     sg,
		PigeonholeGeometry: pg,
		Dial:               &thintransport.DialConfig{Unix: &thintransport.UnixDialConfig{Address: socket}},
	}

	clientPath := filepath.Join(dir, "client.toml")
	thinPath := filepath.Join(dir, "thinclient.toml")
	if err := writeTOML(clientPath, cfg); err != nil {
		return err
	}
	if err := writeTOML(thinPath, thinCfg); err != nil {
		return err
	}
	// Round-trip through the reference loaders so a bad file fails here,
	// not inside the daemon.
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
