/**
 * A plausible PKI document for the fake daemon: the shape a v0.0.73 directory authority
 * publishes (mix topology, gateways, service nodes offering `echo` and `courier`, storage
 * replicas with envelope keys for the current replica epoch), with deterministic keys.
 * Nothing in it is signed or usable for real Sphinx routing.
 *
 * @since 0.1.0
 */
import type { PkiDocument } from "@katzenpost-effect/core"
import { blake2b } from "@noble/hashes/blake2.js"
import { hkdf } from "@noble/hashes/hkdf.js"
import { label } from "./internal/pigeonhole/bytes.js"
import { ed25519PublicKey } from "./internal/pigeonhole/keypair.js"

/** Katzenpost's epoch origin (2017-06-01T00:00:00Z) and period (20 minutes). */
const EPOCH_ORIGIN = Date.UTC(2017, 5, 1)
const EPOCH_PERIOD = 20 * 60 * 1000
/** Replica epochs are weekly: 504 mix epochs. */
const MIX_EPOCHS_PER_REPLICA_EPOCH = (7 * 24 * 60 * 60 * 1000) / EPOCH_PERIOD
/** A CTIDH1024-X25519 public key is 160 bytes. */
const ENVELOPE_KEY_SIZE = 160

/**
 * The mix epoch at a time (milliseconds since 1970); 0 before the origin.
 *
 * @since 0.1.0
 * @category epochs
 */
export const epochAt = (millis: number): number => Math.max(0, Math.floor((millis - EPOCH_ORIGIN) / EPOCH_PERIOD))

/**
 * The replica epoch (weekly) that contains a mix epoch.
 *
 * @since 0.1.0
 * @category epochs
 */
export const replicaEpochOf = (epoch: number): number => Math.floor(epoch / MIX_EPOCHS_PER_REPLICA_EPOCH)

/**
 * What to build.
 *
 * @since 0.1.0
 * @category models
 */
export interface PkiOptions {
  /** The document's epoch (default 0; the engine passes the epoch of its clock). */
  readonly epoch?: number
  /** Seeds every key, so two networks can differ (default "katzenpost-effect"). */
  readonly seed?: string
  /** Gateway nodes (default 1). */
  readonly gateways?: number
  /** Mix layers (default 3) and mixes per layer (default 2). */
  readonly mixLayers?: number
  /** @see mixLayers */
  readonly mixesPerLayer?: number
  /** Service nodes, each offering `echo` and `courier` (default 2). */
  readonly serviceNodes?: number
  /** Storage replicas (default 3; at least 2, as Pigeonhole needs). */
  readonly replicas?: number
}

const SALT = label("katzenpost-effect plausible pki v1")
const bytesFor = (seed: string, purpose: string, size: number): Uint8Array => hkdf(blake2b, label(seed), SALT, label(purpose), size)

const descriptor = (
  seed: string,
  epoch: number,
  name: string,
  port: number,
  role: "mix" | "gateway" | "service"
): PkiDocument.MixDescriptor => ({
  Name: name,
  Epoch: epoch,
  IdentityKey: ed25519PublicKey(bytesFor(seed, `${name}/identity`, 32)),
  LinkKey: bytesFor(seed, `${name}/link`, 32),
  MixKeys: new Map([0, 1, 2].map((i) => [epoch + i, bytesFor(seed, `${name}/mix/${epoch + i}`, 32)])),
  Addresses: { tcp: [`tcp://127.0.0.1:${port}`] },
  Kaetzchen: role === "service"
    ? { echo: { endpoint: "+echo" }, courier: { endpoint: "courier" } }
    : null,
  KaetzchenAdvertizedData: role === "service"
    ? { courier: { linkPublicKey: bytesFor(seed, `${name}/courier-link`, 32) } }
    : null,
  IsGatewayNode: role === "gateway",
  IsServiceNode: role === "service",
  LoadWeight: 0,
  AuthenticationType: "",
  Version: "v1"
})

/**
 * Builds the document. Service discovery on it finds one `echo` (`"+echo"`) and one
 * `courier` (`"courier"`) per service node.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makePkiDocument = (options: PkiOptions = {}): PkiDocument.PkiDocument => {
  const seed = options.seed ?? "katzenpost-effect"
  const epoch = options.epoch ?? 0
  const replicaEpoch = replicaEpochOf(epoch)
  const count = (n: number | undefined, fallback: number, min: number) => Math.max(min, Math.floor(n ?? fallback))
  let port = 30000
  const gateways = Array.from({ length: count(options.gateways, 1, 1) }, (_, i) => descriptor(seed, epoch, `gateway${i + 1}`, port++, "gateway"))
  const topology = Array.from(
    { length: count(options.mixLayers, 3, 1) },
    (_, layer) =>
      Array.from({ length: count(options.mixesPerLayer, 2, 1) }, (_, i) => descriptor(seed, epoch, `mix${layer + 1}-${i + 1}`, port++, "mix"))
  )
  const services = Array.from(
    { length: count(options.serviceNodes, 2, 1) },
    (_, i) => descriptor(seed, epoch, `servicenode${i + 1}`, port++, "service")
  )
  const replicas = Array.from({ length: count(options.replicas, 3, 2) }, (_, i): PkiDocument.ReplicaDescriptor => ({
    Name: `replica${i + 1}`,
    ReplicaID: i,
    Epoch: epoch,
    IdentityKey: ed25519PublicKey(bytesFor(seed, `replica${i}/identity`, 32)),
    LinkKey: bytesFor(seed, `replica${i}/link`, 32),
    EnvelopeKeys: new Map([replicaEpoch, replicaEpoch + 1].map((e) => [e, bytesFor(seed, `replica${i}/envelope/${e}`, ENVELOPE_KEY_SIZE)])),
    Addresses: { tcp: [`tcp://127.0.0.1:${port++}`] }
  }))
  return {
    Epoch: epoch,
    GenesisEpoch: Math.max(0, epoch - 1000),
    SendRatePerMinute: 0,
    Mu: 0.005,
    MuMaxDelay: 1000,
    LambdaP: 0.002,
    LambdaPMaxDelay: 1000,
    LambdaL: 0.0005,
    LambdaLMaxDelay: 1000,
    LambdaD: 0.0005,
    LambdaDMaxDelay: 3000,
    LambdaM: 0.2,
    LambdaMMaxDelay: 100,
    LambdaG: 0,
    LambdaGMaxDelay: 100,
    LambdaR: 0.1,
    LambdaRMaxDelay: 100,
    Topology: topology,
    GatewayNodes: gateways,
    ServiceNodes: services,
    StorageReplicas: replicas,
    ConfiguredReplicaIDs: Uint8Array.from(replicas.map((r) => r.ReplicaID)),
    ConfiguredReplicaIdentityKeys: replicas.flatMap((r) => (r.IdentityKey === null ? [] : [r.IdentityKey])),
    ReplicaEnvelopeKeys: new Map(replicas.map((r) => [r.ReplicaID, r.EnvelopeKeys])),
    SharedRandomCommit: new Map(),
    SharedRandomReveal: new Map(),
    SharedRandomValue: bytesFor(seed, `srv/${epoch}`, 32),
    PriorSharedRandom: [bytesFor(seed, `srv/${epoch - 1}`, 32)],
    SphinxGeometryHash: bytesFor(seed, "sphinx-geometry", 32),
    Version: "v1",
    PKISignatureScheme: "Ed25519"
  }
}
