/**
 * Message codec: requests and responses to and from CBOR frame bodies.
 *
 * Requests are encoded minimally (one envelope key, no null fields), which the daemon
 * accepts. Responses can also be encoded the way the Go daemon does (every envelope key,
 * all null but one), which the fake daemon and the golden vectors use.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { QueryId } from "./Ids.js"
import * as Cbor from "./internal/cbor.js"
import { formatIssue } from "./internal/issue.js"
import type { WireKind } from "./internal/wire.js"
import { isEmpty, requestKinds, requests, responseKinds, responses } from "./internal/wire.js"
import { InvalidCbor, MalformedMessage } from "./ProtocolError.js"
import type { Request } from "./Request.js"
import type { KnownResponse, Response } from "./Response.js"

/**
 * Which daemon generation's response layout to produce.
 *
 * @since 0.1.0
 * @category models
 */
export type WireVersion = "v0.0.73" | "newer"

const encodeBody = (
  kind: WireKind,
  message: { readonly _tag: string },
  keep: (field: string, value: unknown) => boolean
): Either.Either<Record<string, unknown>, MalformedMessage> =>
  Either.match(Schema.encodeUnknownEither(kind.schema)(message), {
    onLeft: (error) => Either.left(new MalformedMessage({ kind: kind.key, reason: formatIssue(error) })),
    onRight: (encoded) => {
      const body: Record<string, unknown> = {}
      for (const [field, value] of Object.entries(encoded)) {
        if (field !== "_tag" && keep(field, value)) body[field] = value
      }
      return Either.right(body)
    }
  })

const decodeBody = (kind: WireKind, body: Cbor.CborValue) => {
  if (!Cbor.isRecord(body)) {
    return Either.left(new MalformedMessage({ kind: kind.key, reason: "expected a map" }))
  }
  const fast = kind.fast?.(body)
  if (fast !== undefined) return Either.right(fast)
  return Either.mapLeft(
    Schema.decodeUnknownEither(kind.schema)({ ...body, _tag: kind.tag }),
    (error) => new MalformedMessage({ kind: kind.key, reason: formatIssue(error) })
  )
}

// The first non-null member's key of a body the strict decoder refused, read leniently.
const memberKey = (body: Uint8Array, known: ReadonlyMap<string, WireKind>): string | undefined => {
  const value = Cbor.decodeLoose(body)
  if (value === undefined || !Cbor.isRecord(value)) return undefined
  for (const key in value) if (value[key] !== null && value[key] !== undefined && known.has(key)) return key
  return undefined
}

// A repeated key is well-formed CBOR but not a message: the same MalformedMessage on every
// path, naming the member it was found in when that member is known.
const cborError = (fallback: string, known: ReadonlyMap<string, WireKind>, body: Uint8Array) => (reason: string): InvalidCbor | MalformedMessage =>
  reason.startsWith(Cbor.DUPLICATE_KEY_REASON)
    ? new MalformedMessage({ kind: memberKey(body, known) ?? fallback, reason })
    : new InvalidCbor({ reason })

const noFields: ReadonlySet<string> = new Set()

// An `unknown`-typed field (connection_status_event.err) could hold what CBOR cannot carry.
const encodeWire = (kind: string) => (wire: Record<string, unknown>): Either.Either<Uint8Array, MalformedMessage> => {
  try {
    return Either.right(Cbor.encode(wire))
  } catch {
    // The encoder's message may quote the value: keep to a fixed phrase.
    return Either.left(new MalformedMessage({ kind, reason: "a field holds a value CBOR cannot carry" }))
  }
}

// The daemon's reader looks at thin_close first, then session_token, then the rest.
const requestPrecedence: ReadonlyArray<WireKind> = [
  requests.byKey.get("thin_close")!,
  ...requestKinds.filter((kind) => kind.key !== "thin_close")
]

/**
 * The request envelope key of a request (e.g. `"new_keypair"`).
 *
 * @since 0.1.0
 * @category wire
 */
export const requestKey = (request: Request): string => requests.byTag.get(request._tag)!.key

/**
 * Whether a v0.0.73 daemon knows this request. Sending it one it does not know crashes it.
 *
 * @since 0.1.0
 * @category wire
 */
export const isKnownToV0073 = (request: Request): boolean => requests.byTag.get(request._tag)!.v0073

/**
 * The request as a CBOR map value (one envelope key, null fields left out).
 *
 * @since 0.1.0
 * @category encoding
 */
export const requestToWire = (request: Request): Either.Either<Record<string, unknown>, MalformedMessage> => {
  const kind = requests.byTag.get(request._tag)!
  return Either.map(encodeBody(kind, request, (field, value) => keepsRequestField(kind, field, value)), (body) => ({ [kind.key]: body }))
}

// Go drops nil fields of requests, and empty ones it tags `omitempty`.
const keepsRequestField = (kind: WireKind, field: string, value: unknown): boolean => value !== null && !(kind.omitEmpty.has(field) && isEmpty(value))

/**
 * Encodes a request to a frame body. A small body is a view on a shared buffer (see
 * `Frame.allocate`): read it through `byteOffset` and `length`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeRequest = (request: Request): Either.Either<Uint8Array, MalformedMessage> => {
  // The hot path: fields through their fast encoders, the envelope through the small CBOR
  // writer; same bytes as below (property-tested), which handles everything else.
  const kind = requests.byTag.get(request._tag)!
  const fast = kind.encodeFast
  const values = fast?.encode(request)
  if (fast !== undefined && values !== undefined) {
    for (let i = 0; i < values.length; i++) {
      if (!keepsRequestField(kind, fast.names[i]!, values[i])) values[i] = Cbor.OMIT
    }
    const bytes = Cbor.encodeEnvelope(kind.key, fast.names, values)
    if (bytes !== undefined) return Either.right(bytes)
  }
  return Either.flatMap(requestToWire(request), encodeWire("request"))
}

/**
 * Decodes a request frame body (the daemon's side; used by the fake daemon). Like the Go
 * daemon, `thin_close` wins over `session_token`, which wins over the rest.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeRequest = (body: Uint8Array): Either.Either<Request, InvalidCbor | MalformedMessage> =>
  Either.flatMap(Either.mapLeft(Cbor.decodeEnvelope(body), cborError("request", requests.byKey, body)), (value) => {
    if (!Cbor.isRecord(value)) return Either.left(new MalformedMessage({ kind: "request", reason: "expected a map" }))
    for (const kind of requestPrecedence) {
      const member = value[kind.key]
      if (member !== null && member !== undefined) return decodeBody(kind, member)
    }
    const unknown = Object.keys(value).find((key) => value[key] !== null && value[key] !== undefined)
    return Either.left(
      new MalformedMessage({
        kind: "request",
        reason: unknown === undefined ? "no request key is set" : `unknown request key "${unknown}"`
      })
    )
  })

/**
 * The response as a Go daemon lays it out: every envelope key of the version in declaration
 * order, all null but this one; nil fields as null, `omitempty` fields left out when empty.
 *
 * @since 0.1.0
 * @category encoding
 */
export const responseToWire = (
  response: KnownResponse,
  version: WireVersion = "v0.0.73"
): Either.Either<Record<string, unknown>, MalformedMessage> => {
  const kind = responses.byTag.get(response._tag)!
  const { omitEmpty, omitNil } = kind
  const newer = version === "newer" ? noFields : kind.newerFields
  return Either.map(
    encodeBody(
      kind,
      response,
      (field, value) => !((omitEmpty.has(field) || newer.has(field)) && isEmpty(value)) && !(omitNil.has(field) && value === null)
    ),
    (body) => {
      const envelope: Record<string, unknown> = {}
      for (const other of responseKinds) {
        if (other === kind) envelope[other.key] = body
        else if (version === "newer" || other.v0073) envelope[other.key] = null
      }
      return envelope
    }
  )
}

/**
 * Encodes a response to a frame body, Go-style.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeResponse = (
  response: KnownResponse,
  version: WireVersion = "v0.0.73"
): Either.Either<Uint8Array, MalformedMessage> => Either.flatMap(responseToWire(response, version), encodeWire("response"))

/**
 * Decodes a response frame body. A response whose only non-null key is unknown becomes an
 * `UnknownResponse`; a known member wins over unknown ones (forward compatibility). These are
 * `MalformedMessage` on every path (fast or general decoder): no non-null key, two non-null
 * known members (the daemon sets exactly one), a key repeated in any map (naming the known
 * member, if any), a malformed known member. A key that is not valid UTF-8 reads
 * with replacement characters, so it is an unknown key; a float where an integer is expected
 * reads as that number (cborg does not tell `3.0` from `3`), so a whole float passes and a
 * fractional one fails its schema.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeResponse = (body: Uint8Array): Either.Either<Response, InvalidCbor | MalformedMessage> =>
  Either.flatMap(Either.mapLeft(Cbor.decodeEnvelope(body), cborError("response", responses.byKey, body)), (value) => {
    if (!Cbor.isRecord(value)) return Either.left(new MalformedMessage({ kind: "response", reason: "expected a map" }))
    let known: WireKind | undefined
    let unknownKey: string | undefined
    for (const key in value) {
      const member = value[key]
      if (member === null || member === undefined) continue
      const kind = responses.byKey.get(key)
      if (kind === undefined) unknownKey ??= key
      else if (known !== undefined) return Either.left(new MalformedMessage({ kind: "response", reason: "more than one member is set" }))
      else known = kind
    }
    if (known !== undefined) return decodeBody(known, value[known.key]!)
    return unknownKey === undefined
      ? Either.left(new MalformedMessage({ kind: "response", reason: "no response key is set" }))
      : Either.right({ _tag: "UnknownResponse", key: unknownKey, value: value[unknownKey] })
  })

const decodeQueryId = Schema.decodeUnknownOption(QueryId)

const QUERY_ID_KEY = new TextEncoder().encode("query_id")

// `query_id` as a text key followed by a 16-byte byte string, found by scanning the bytes.
const scanQueryId = (body: Uint8Array): Option.Option<QueryId> => {
  const last = body.length - (1 + QUERY_ID_KEY.length + 1 + 16)
  outer: for (let i = 0; i <= last; i++) {
    if (body[i] !== 0x60 + QUERY_ID_KEY.length) continue
    for (let j = 0; j < QUERY_ID_KEY.length; j++) if (body[i + 1 + j] !== QUERY_ID_KEY[j]) continue outer
    const at = i + 1 + QUERY_ID_KEY.length
    if (body[at] !== 0x50) continue
    return decodeQueryId(body.slice(at + 1, at + 17))
  }
  return Option.none()
}

/**
 * The `query_id` of a response body that failed to decode, recovered as far as possible: the
 * body is read leniently (indefinite lengths, `undefined`, tags, trailing bytes accepted) and
 * the 16-byte `query_id` of the first non-null member with a known response key is taken;
 * when even that fails, the bytes are scanned for a `query_id` key followed by 16 bytes. Lets
 * a caller whose reply cannot be decoded be told so instead of waiting for it.
 *
 * @since 0.1.0
 * @category decoding
 */
export const peekQueryId = (body: Uint8Array): Option.Option<QueryId> => {
  const value = Cbor.decodeLoose(body)
  if (value !== undefined && Cbor.isRecord(value)) {
    for (const key in value) {
      const member = value[key]
      if (member === null || member === undefined || !responses.byKey.has(key)) continue
      if (Cbor.isRecord(member)) {
        const id = decodeQueryId(member.query_id)
        if (Option.isSome(id)) return id
      }
      break
    }
  }
  return scanQueryId(body)
}
