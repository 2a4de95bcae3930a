// Package sqisign has the API surface hpqc's sign/sqisign wrapper uses, without SQIsign:
// every operation fails with ErrUnsupported. The sizes are SQIsign level 1's, which the
// wrapper checks at init.
package sqisign

import (
	"errors"
	"io"
)

// Level 1 sizes, in bytes.
const (
	PublicKeyBytes = 65
	SecretKeyBytes = 353
	SignatureBytes = 148
)

// ErrUnsupported is returned by every operation of this stand-in.
var ErrUnsupported = errors.New("sqisign: unsupported in this build (stub bindings)")

// KeyGen always fails.
func KeyGen(_ io.Reader) ([]byte, []byte, error) { return nil, nil, ErrUnsupported }

// Sign always fails.
func Sign(_ io.Reader, _ []byte, _ []byte) ([]byte, error) { return nil, ErrUnsupported }

// Verify always fails.
func Verify(_ []byte, _ []byte, _ []byte) (bool, error) { return false, ErrUnsupported }
