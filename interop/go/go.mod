module github.com/katzenpost-effect/interop

go 1.26.2

require (
	github.com/BurntSushi/toml v1.6.0
	github.com/fxamacker/cbor/v2 v2.9.1
	github.com/katzenpost/hpqc v0.0.78
	github.com/katzenpost/katzenpost v0.0.73
	golang.org/x/crypto v0.49.0
)

require (
	codeberg.org/vula/highctidh v1.0.2025051200 // indirect
	filippo.io/edwards25519 v1.2.0 // indirect
	filippo.io/mlkem768 v0.0.0-20260214141301-2e7bebc7d88d // indirect
	github.com/agl/gcmsiv v0.0.0-20190418185415-e8dcd2f151dc // indirect
	github.com/katzenpost/chacha20 v0.0.1 // indirect
	github.com/katzenpost/chacha20poly1305 v0.0.1 // indirect
	github.com/katzenpost/circl v1.3.8-0.20260413165442-e2d217fd59f5 // indirect
	github.com/katzenpost/sntrup4591761 v0.0.0-20231024131303-8755eb1986b8 // indirect
	github.com/katzenpost/sphincsplus v0.0.2 // indirect
	github.com/mattn/go-pointer v0.0.1 // indirect
	github.com/x448/float16 v0.8.4 // indirect
	gitlab.com/yawning/aez.git v0.0.0-20211027044916-e49e68abd344 // indirect
	gitlab.com/yawning/bsaes.git v0.0.0-20190805113838-0a714cd429ec // indirect
	golang.org/x/net v0.52.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
	golang.org/x/text v0.36.0 // indirect
	gopkg.in/op/go-logging.v1 v1.0.0-20160211212156-b2cb9fa56473 // indirect
)
