/**
 * The PKI document carried by `new_pki_document_event` (CBOR of `core/pki.Document` without
 * signatures), tolerant of v0.0.73 and newer field sets, key order and float width; and
 * service discovery over it.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { nodeIdHash } from "./Bacap.js"
import type { NodeIdHash } from "./Ids.js"
import * as Cbor from "./internal/cbor.js"
import { Bytes, nullable, scalar } from "./internal/fields.js"
import { formatIssue } from "./internal/issue.js"
import { InvalidCbor, MalformedMessage } from "./ProtocolError.js"

const str = scalar(Schema.String, "")
const num = Schema.optional(Schema.Number)
const bool = scalar(Schema.Boolean, false)
const stringMap = <S extends Schema.Schema.Any>(value: S) => nullable(Schema.Record({ key: Schema.String, value }))

/**
 * A mix, gateway or service node (`core/pki.MixDescriptor`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MixDescriptor = Schema.Struct({
  Name: str,
  Epoch: scalar(Schema.Number, 0),
  IdentityKey: nullable(Bytes),
  LinkKey: nullable(Bytes),
  MixKeys: Schema.optional(Schema.Unknown),
  Addresses: stringMap(Schema.NullOr(Schema.Array(Schema.String))),
  Kaetzchen: stringMap(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  KaetzchenAdvertizedData: stringMap(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))),
  IsGatewayNode: bool,
  IsServiceNode: bool,
  LoadWeight: scalar(Schema.Number, 0),
  AuthenticationType: str,
  Version: str
}).annotations({ identifier: "MixDescriptor" })
/** @since 0.1.0 @category models */
export type MixDescriptor = typeof MixDescriptor.Type

/**
 * A MixDescriptor as the document holds it: a byte string with its own canonical CBOR map.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MixDescriptorFromBytes: Schema.Schema<MixDescriptor, Uint8Array> = Schema.transformOrFail(
  Schema.Uint8ArrayFromSelf,
  Schema.typeSchema(MixDescriptor),
  {
    strict: true,
    decode: (bytes, _, ast) =>
      Either.match(Cbor.decodeRecord(bytes), {
        onLeft: (reason) => ParseResult.fail(new ParseResult.Type(ast, undefined, `descriptor: ${reason}`)),
        onRight: (value) => ParseResult.decodeUnknown(MixDescriptor)(value)
      }),
    encode: (descriptor) => ParseResult.map(ParseResult.encode(MixDescriptor)(descriptor), Cbor.encodeCanonical)
  }
)

/**
 * A storage replica (`core/pki.ReplicaDescriptor`, an inline map).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReplicaDescriptor = Schema.Struct({
  Name: str,
  ReplicaID: scalar(Schema.Number, 0),
  Epoch: scalar(Schema.Number, 0),
  IdentityKey: nullable(Bytes),
  LinkKey: nullable(Bytes),
  EnvelopeKeys: Schema.optional(Schema.Unknown),
  Addresses: stringMap(Schema.NullOr(Schema.Array(Schema.String)))
}).annotations({ identifier: "ReplicaDescriptor" })
/** @since 0.1.0 @category models */
export type ReplicaDescriptor = typeof ReplicaDescriptor.Type

const descriptors = Schema.optional(Schema.NullOr(Schema.Array(MixDescriptorFromBytes)))

/**
 * The PKI document. Every field is optional: newer daemons dropped several.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PkiDocument = Schema.Struct({
  Epoch: scalar(Schema.Number, 0),
  GenesisEpoch: num,
  SendRatePerMinute: num,
  Mu: num,
  MuMaxDelay: num,
  LambdaP: num,
  LambdaPMaxDelay: num,
  LambdaL: num,
  LambdaLMaxDelay: num,
  LambdaD: num,
  LambdaDMaxDelay: num,
  LambdaM: num,
  LambdaMMaxDelay: num,
  LambdaG: num,
  LambdaGMaxDelay: num,
  LambdaR: num,
  LambdaRMaxDelay: num,
  Topology: Schema.optional(Schema.NullOr(Schema.Array(Schema.NullOr(Schema.Array(MixDescriptorFromBytes))))),
  GatewayNodes: descriptors,
  ServiceNodes: descriptors,
  StorageReplicas: Schema.optional(Schema.NullOr(Schema.Array(ReplicaDescriptor))),
  ConfiguredReplicaIDs: Schema.optional(Schema.NullOr(Bytes)),
  ConfiguredReplicaIdentityKeys: Schema.optional(Schema.NullOr(Schema.Array(Bytes))),
  ReplicaEnvelopeKeys: Schema.optional(Schema.Unknown),
  SharedRandomCommit: Schema.optional(Schema.Unknown),
  SharedRandomReveal: Schema.optional(Schema.Unknown),
  SharedRandomValue: Schema.optional(Schema.NullOr(Bytes)),
  PriorSharedRandom: Schema.optional(Schema.NullOr(Schema.Array(Bytes))),
  SphinxGeometryHash: Schema.optional(Schema.NullOr(Bytes)),
  Version: Schema.optional(Schema.String),
  PKISignatureScheme: Schema.optional(Schema.String)
}).annotations({ identifier: "PkiDocument" })
/** @since 0.1.0 @category models */
export type PkiDocument = typeof PkiDocument.Type

/**
 * Decodes a `new_pki_document_event` payload.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (payload: Uint8Array): Either.Either<PkiDocument, InvalidCbor | MalformedMessage> =>
  Either.flatMap(
    Either.mapLeft(Cbor.decodeRecord(payload), (reason) => new InvalidCbor({ reason })),
    (value) =>
      Either.mapLeft(
        Schema.decodeUnknownEither(PkiDocument)(value),
        (error) => new MalformedMessage({ kind: "pki document", reason: formatIssue(error) })
      )
  )

/**
 * Encodes a document the way the daemon does at handshake (canonical CBOR); for fakes and tests.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (document: PkiDocument): Either.Either<Uint8Array, MalformedMessage> =>
  Either.mapBoth(Schema.encodeEither(PkiDocument)(document), {
    onLeft: (error) => new MalformedMessage({ kind: "pki document", reason: formatIssue(error) }),
    onRight: (encoded) => {
      const fields: Record<string, unknown> = { ...encoded }
      for (const field of floatFields) {
        const value = fields[field]
        if (typeof value === "number") fields[field] = new Cbor.GoFloat(value)
      }
      return Cbor.encodeCanonical(fields)
    }
  })

// The document's float64 fields; the rest of its numbers are integers.
const floatFields = ["Mu", "LambdaP", "LambdaL", "LambdaD", "LambdaM", "LambdaG", "LambdaR"] as const

/**
 * A service found in the document: where to send (`destinationIdHash`, `recipientQueueId`).
 *
 * @since 0.1.0
 * @category models
 */
export interface ServiceDescriptor {
  readonly capability: string
  readonly recipientQueueId: Uint8Array
  readonly destinationIdHash: NodeIdHash
  readonly node: MixDescriptor
}

const encoder = new TextEncoder()

/**
 * Every service node entry advertising `capability` (`Kaetzchen[capability].endpoint`), as
 * the reference `FindServices` does: service nodes only, endpoints of 1..32 bytes.
 *
 * @since 0.1.0
 * @category discovery
 */
export const findServices = (document: PkiDocument, capability: string): ReadonlyArray<ServiceDescriptor> => {
  const found: Array<ServiceDescriptor> = []
  for (const node of document.ServiceNodes ?? []) {
    const endpoint = node.Kaetzchen?.[capability]?.["endpoint"]
    if (typeof endpoint !== "string" || node.IdentityKey === null) continue
    const recipientQueueId = encoder.encode(endpoint)
    if (recipientQueueId.length === 0 || recipientQueueId.length > 32) continue
    found.push({ capability, recipientQueueId, destinationIdHash: nodeIdHash(node.IdentityKey), node })
  }
  return found
}
