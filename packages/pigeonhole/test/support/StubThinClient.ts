/**
 * A scripted ThinClient for the pigeonhole tests: it records every request and answers
 * from a handler. `boxStore` is a tiny in-memory Pigeonhole (boxes keyed by index) that
 * answers like a healthy daemon; tests wrap it to script failures.
 */
import {
  Bacap,
  EnvelopeDescriptor,
  EnvelopeHash,
  MessageBoxIndex,
  NodeIdHash,
  NoPkiDocument,
  PkiDocument,
  type ReadCap,
  referenceGeometry,
  RequestTimeout,
  Response,
  Rpc,
  ServiceNotFound,
  WriteCap
} from "@katzenpost-effect/core"
import { type ClientEvent, ConnectionState, type RequestOptions, ThinClient, type TransportError } from "@katzenpost-effect/transport"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"

export type Handler = (request: Rpc.QueryRequest) => Effect.Effect<Response.QueryReply, TransportError>

export interface Stub {
  /** Every request, in the order the service sent them. */
  readonly requests: Array<Rpc.QueryRequest>
  readonly layer: Layer.Layer<ThinClient.ThinClient>
}

const isReplyTo = <R extends Rpc.QueryRequest>(request: R, reply: Response.QueryReply): reply is Rpc.ReplyOf<R> =>
  reply._tag === Rpc.replyTag[request._tag]

export const stub = (
  handler: Handler,
  options: { readonly couriers?: number; readonly maxPlaintext?: number } = {}
): Stub => {
  const requests: Array<Rpc.QueryRequest> = []
  const services: Array<PkiDocument.ServiceDescriptor> = []
  for (let i = 0; i < (options.couriers ?? 0); i++) {
    services.push({
      capability: "courier",
      recipientQueueId: new TextEncoder().encode(`courier-${i}`),
      destinationIdHash: NodeIdHash.make(new Uint8Array(32).fill(i + 1)),
      node: PkiDocument.MixDescriptor.make({ Name: `courier-${i}` })
    })
  }
  const unused = Effect.die("not used by the pigeonhole tests")
  const client: ThinClient.ThinClient = {
    // Like the real client, a request's own timeout fails it with RequestTimeout.
    request: <R extends Rpc.QueryRequest>(request: R, requestOptions?: RequestOptions) =>
      Effect.suspend(() => {
        requests.push(request)
        return handler(request)
      }).pipe(
        Effect.flatMap((reply): Effect.Effect<Rpc.ReplyOf<R>> =>
          isReplyTo(request, reply) ? Effect.succeed(reply) : Effect.die(`stub answered ${request._tag} with ${reply._tag}`)
        ),
        (self) => {
          const timeout = requestOptions?.timeout
          if (timeout === undefined) return self
          const millis = Duration.toMillis(Duration.decode(timeout))
          return Effect.timeoutFail(self, {
            duration: timeout,
            onTimeout: () => new RequestTimeout({ operation: request._tag, millis })
          })
        }
      ),
    requestAll: (all, requestOptions) => Effect.forEach(all, (one) => Effect.exit(client.request(one, requestOptions)), { concurrency: "unbounded" }),
    events: Stream.empty,
    subscribe: Effect.acquireRelease(Queue.unbounded<ClientEvent>(), Queue.shutdown),
    isConnected: Effect.succeed(true),
    isDaemonConnected: Effect.succeed(true),
    connectionState: Effect.succeed(new ConnectionState({ daemon: true, mixnet: true })),
    connectionChanges: Stream.make(new ConnectionState({ daemon: true, mixnet: true })),
    pkiDocumentChanges: Stream.empty,
    instanceToken: Effect.succeed(Option.none()),
    geometry: Effect.succeed({
      ...referenceGeometry,
      pigeonhole: {
        ...referenceGeometry.pigeonhole,
        MaxPlaintextPayloadLength: options.maxPlaintext ?? referenceGeometry.pigeonhole.MaxPlaintextPayloadLength
      }
    }),
    pkiDocument: Effect.fail(new NoPkiDocument()),
    pkiDocumentForEpoch: () => Effect.fail(new NoPkiDocument()),
    getServices: (capability) => services.length === 0 ? Effect.fail(new ServiceNotFound({ capability })) : Effect.succeed(services),
    getService: () => unused,
    sendMessage: () => unused,
    sendMessageWithoutReply: () => unused,
    blockingSendMessage: () => unused,
    disconnect: Effect.void
  }
  return { requests, layer: Layer.succeed(ThinClient.ThinClient, client) }
}

// ---------------------------------------------------------------------------------------
// Fixtures

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const utf8 = new TextEncoder()

/** A WriteCap of 168 bytes whose first index starts at counter `start`. */
export const writeCapFor = (fill: number, start = 1n): WriteCap => {
  const bytes = new Uint8Array(168).fill(fill)
  new DataView(bytes.buffer).setBigUint64(64, start, true)
  return new WriteCap(bytes)
}
export const readCapFor = (writeCap: WriteCap): ReadCap => Bacap.readCapOf(writeCap)
export const next = (index: MessageBoxIndex): MessageBoxIndex => Either.getOrThrow(Bacap.nextIndex(index))
export const courierHash = NodeIdHash.make(new Uint8Array(32).fill(7))
export const courierQueue = utf8.encode("courier")

const envelopeHashOf = (kind: "r" | "w", index: MessageBoxIndex, plaintext: Uint8Array | null) =>
  EnvelopeHash.make(Bacap.blake2b256(new Uint8Array([...utf8.encode(kind), ...index.bytes, ...(plaintext ?? [])])))

/** What a replying daemon sends for each request kind, given the box contents. */
export interface BoxStore {
  readonly boxes: Map<string, Uint8Array>
  readonly handler: Handler
}

/**
 * A healthy daemon in memory: writes store the plaintext of their box, reads return it.
 * A read of an empty box waits (default) or answers BoxIdNotFound (no retry); a second
 * write of a box answers BoxAlreadyExists when asked to, success otherwise.
 */
export const boxStore = (): BoxStore => {
  const boxes = new Map<string, Uint8Array>()
  const waiters = new Map<string, Array<Deferred.Deferred<Uint8Array>>>()
  const pending = new Map<string, { readonly box: string; readonly plaintext: Uint8Array | null }>()
  const arqReply = (query_id: Rpc.QueryRequest["query_id"], error_code: number, plaintext: Uint8Array | null = null) =>
    Response.StartResendingEncryptedMessageReply.make({
      query_id,
      plaintext,
      error_code,
      courier_identity_hash: courierHash,
      courier_queue_id: courierQueue
    })
  const handler: Handler = (request) => {
    switch (request._tag) {
      case "NewKeypair": {
        const writeCap = writeCapFor((request.seed ?? new Uint8Array(1))[0] ?? 0)
        return Effect.succeed(
          Response.NewKeypairReply.make({
            query_id: request.query_id,
            write_cap: writeCap,
            read_cap: Bacap.readCapOf(writeCap),
            first_message_index: Bacap.firstIndex(writeCap)
          })
        )
      }
      case "EncryptRead":
      case "EncryptWrite": {
        const index = request.message_box_index ?? new MessageBoxIndex(new Uint8Array(104))
        const plaintext = request._tag === "EncryptWrite" ? request.plaintext : null
        const envelopeHash = envelopeHashOf(request._tag === "EncryptWrite" ? "w" : "r", index, plaintext)
        pending.set(hex(envelopeHash), { box: hex(index.bytes), plaintext })
        const fields = {
          query_id: request.query_id,
          message_ciphertext: utf8.encode(`ciphertext ${hex(envelopeHash)}`),
          envelope_descriptor: new EnvelopeDescriptor(new Uint8Array(8).fill(9)),
          envelope_hash: envelopeHash,
          next_message_box_index: next(index)
        }
        return Effect.succeed(
          request._tag === "EncryptRead" ? Response.EncryptReadReply.make(fields) : Response.EncryptWriteReply.make(fields)
        )
      }
      case "StartResendingEncryptedMessage": {
        const op = pending.get(hex(request.envelope_hash ?? new Uint8Array(0)))
        if (op === undefined) return Effect.succeed(arqReply(request.query_id, 4))
        const readReply = (stored: Uint8Array) => stored.length === 0 ? arqReply(request.query_id, 11, stored) : arqReply(request.query_id, 0, stored)
        if (request.write_cap !== null) {
          const exists = boxes.has(op.box)
          if (exists && request.no_idempotent_box_already_exists) return Effect.succeed(arqReply(request.query_id, 10))
          if (exists) return Effect.succeed(arqReply(request.query_id, 0))
          const plaintext = op.plaintext ?? new Uint8Array(0)
          boxes.set(op.box, plaintext)
          const woken = waiters.get(op.box) ?? []
          waiters.delete(op.box)
          return Effect.as(Effect.forEach(woken, (waiter) => Deferred.succeed(waiter, plaintext)), arqReply(request.query_id, 0))
        }
        const stored = boxes.get(op.box)
        if (stored !== undefined) return Effect.succeed(readReply(stored))
        if (request.no_retry_on_box_id_not_found) return Effect.succeed(arqReply(request.query_id, 1))
        // The daemon keeps retrying a default read: answer once the box is written.
        return Effect.gen(function*() {
          const waiter = yield* Deferred.make<Uint8Array>()
          waiters.set(op.box, [...(waiters.get(op.box) ?? []), waiter])
          return readReply(yield* Deferred.await(waiter))
        })
      }
      case "CancelResendingEncryptedMessage":
        return Effect.succeed(Response.CancelResendingEncryptedMessageReply.make({ query_id: request.query_id }))
      case "CancelResendingCopyCommand":
        return Effect.succeed(Response.CancelResendingCopyCommandReply.make({ query_id: request.query_id }))
      case "StartResendingCopyCommand":
        return Effect.succeed(Response.StartResendingCopyCommandReply.make({ query_id: request.query_id }))
      case "NextMessageBoxIndex":
        return Effect.succeed(
          Response.NextMessageBoxIndexReply.make({
            query_id: request.query_id,
            next_message_box_index: request.message_box_index === null ? null : next(request.message_box_index)
          })
        )
      case "GetMessageBoxIndexCounter":
        return Effect.succeed(
          Response.GetMessageBoxIndexCounterReply.make({
            query_id: request.query_id,
            counter: request.message_box_index === null ? 0n : Bacap.counter(request.message_box_index)
          })
        )
      case "CreateCourierEnvelopesFromPayload": {
        const start = request.dest_start_index ?? new MessageBoxIndex(new Uint8Array(104))
        const payload = request.payload ?? new Uint8Array(0)
        const envelopes: Array<Uint8Array> = []
        let index = start
        for (let at = 0; at < Math.max(payload.length, 1); at += 1000) {
          envelopes.push(payload.slice(at, at + 1000))
          index = next(index)
        }
        return Effect.succeed(
          Response.CreateCourierEnvelopesFromPayloadReply.make({ query_id: request.query_id, envelopes, next_dest_index: index })
        )
      }
      case "CreateCourierEnvelopesFromMultiPayload": {
        const destinations = request.destinations ?? []
        const all = new Uint8Array([
          ...(request.buffer ?? []),
          ...destinations.flatMap((d) => [...(d.payload ?? [])])
        ])
        // Elements of 100 bytes; the residue stays in the buffer until is_last.
        const whole = request.is_last ? all.length : all.length - (all.length % 100)
        const envelopes: Array<Uint8Array> = []
        for (let at = 0; at < whole; at += 100) envelopes.push(all.slice(at, Math.min(at + 100, whole)))
        return Effect.succeed(
          Response.CreateCourierEnvelopesFromMultiPayloadReply.make({
            query_id: request.query_id,
            envelopes,
            buffer: request.is_last ? null : all.slice(whole),
            next_dest_indices: destinations.map((d) => (d.start_index === null ? null : next(d.start_index)))
          })
        )
      }
      case "CreateCourierEnvelopesFromTombstoneRange":
        return Effect.succeed(
          Response.CreateCourierEnvelopesFromTombstoneRangeReply.make({
            query_id: request.query_id,
            envelopes: Array.from({ length: request.max_count }, () => new Uint8Array(3)),
            buffer: null,
            next_dest_index: request.dest_start_index
          })
        )
      default:
        return Effect.die(`the stub does not answer ${request._tag}`)
    }
  }
  return { boxes, handler }
}
