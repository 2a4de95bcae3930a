// A stand-in for github.com/katzenpost/sqisign/bindings/go, whose real module links a
// prebuilt static library that cannot be had here. kpclientd with the default Ed25519 PKI
// scheme never calls SQIsign; every entry point here returns ErrUnsupported.
module github.com/katzenpost/sqisign/bindings/go

go 1.26.2
