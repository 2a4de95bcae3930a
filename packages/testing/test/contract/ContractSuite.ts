/**
 * The contract suite: what the SDK expects of any kpclientd, written once and run against
 * the fake daemon (test/contract/fake.test.ts) and a real kpclientd v0.0.73
 * (test-kpclientd/, `npm run test:kpclientd`) offline (no mixnet, no PKI document), and
 * against a kpclientd on the live loopback mixnet (test-mixnet/, `npm run test:mixnet`).
 * Expectations that only hold offline (the handshake's offline status, refused direct sends,
 * error code 4 without a document) run only for offline targets; online targets check the
 * online counterpart instead.
 */
import { assert, describe, it } from "@effect/vitest"
import { Bacap, EnvelopeDescriptor, EnvelopeHash, newQueryId, randomBytes, Request, type WriteCap } from "@katzenpost-effect/core"
import { ContactVoucher, Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { type ClientEvent, Directory, ThinClient } from "@katzenpost-effect/transport"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"

/** What a target gives the suite. */
export interface ContractTarget {
  /** The daemon plus a connected ThinClient.ThinClient (fresh per test). */
  readonly layer: Layer.Layer<ThinClient.ThinClient | Target, unknown>
  /**
   * Seconds one new connection may take to complete its handshake (default 0). kpclientd
   * v0.0.104 offline holds every connection 30 s; the suite's waits grow by this much per
   * connection a test makes.
   */
  readonly handshakeSeconds?: number
  /** The BACAP generation the daemon derives keypairs with (default hpqc v0.0.78, kpclientd v0.0.73). */
  readonly bacap?: Bacap.Generation
  /**
   * What the daemon does with the calls kpclientd v0.0.104 added (directory, vouchers):
   * `"unsupported"` (v0.0.73: the SDK refuses them without sending) or `"v0.0.104"` (offline
   * answers). Left out, the test is not run.
   */
  readonly newCalls?: "unsupported" | "v0.0.104"
  /** Whether the daemon is off the mixnet without a PKI document (default) or on a live one. */
  readonly mixnet?: "offline" | "online"
}

/** Target-specific controls. */
export class Target extends Context.Tag("@katzenpost-effect/testing/contract/Target")<Target, {
  /** Kill the daemon (no shutdown event) and start a new process on the same socket. */
  readonly restart: Effect.Effect<void, unknown>
  /** Requests the daemon received, when the target can tell (the fake can, a real daemon cannot). */
  readonly received: Option.Option<Effect.Effect<ReadonlyArray<Request.Request>>>
}>() {}

const seed = (byte: number) => new Uint8Array(32).fill(byte)

const within = <A, E, R>(effect: Effect.Effect<A, E, R>, what: string, seconds: number) =>
  effect.pipe(Effect.timeoutFail({ duration: Duration.seconds(seconds), onTimeout: () => new Error(`timed out: ${what}`) }))

/** Resolves once the daemon reports the mixnet status wanted (a daemon just started may say true at first). */
const awaitMixnet = (connected: boolean) =>
  Effect.gen(function*() {
    const client = yield* ThinClient.ThinClient
    yield* client.isConnected.pipe(
      Effect.repeat({ until: (now) => now === connected, schedule: Schedule.spaced("50 millis") })
    )
  })
const awaitOffline = awaitMixnet(false)

/**
 * The error of an effect that must fail (use it instead of `Effect.flip` in tests that can
 * meet a live daemon). A success becomes a defect with a short message:
 * `Effect.flip` would throw the raw success value (a reply full of byte arrays), which vitest
 * then tried to serialize and diff, spinning for minutes after the run instead of failing.
 */
export const failure = <A, E, R>(effect: Effect.Effect<A, E, R>, what: string): Effect.Effect<E, never, R> =>
  Effect.matchEffect(effect, {
    onFailure: Effect.succeed,
    onSuccess: () => Effect.dieMessage(`expected ${what} to fail, but it succeeded`)
  })

const nextReconnection = (events: Queue.Dequeue<ClientEvent>) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (event._tag === "DaemonReconnectedEvent") return event
    }
  })

const pigeonhole = (indexes: "local" | "daemon", keypairs: "local" | "daemon" = "daemon") =>
  Effect.flatMap(ThinClient.ThinClient, (client) => Pigeonhole.make({ indexes, keypairs }).pipe(Effect.provideService(ThinClient.ThinClient, client)))

/** Registers the suite under `name` for a target. */
export const contractSuite = (name: string, target: ContractTarget): void => {
  const handshake = target.handshakeSeconds ?? 0
  const generation = target.bacap ?? "hpqc-v0.0.78"
  // A test makes at most three connections (first, and a reconnection after a drop or restart).
  const live = <A, E>(title: string, body: Effect.Effect<A, E, ThinClient.ThinClient | Target | Scope.Scope>) =>
    it.live(title, () => Effect.scoped(body).pipe(Effect.provide(target.layer)), 60_000 + 3_000 * handshake)
  const short = 15
  const reconnection = short + handshake

  const offline = (target.mixnet ?? "offline") === "offline"
  /** A test that only holds for an offline daemon (or only for a live one). */
  const liveIf = (when: boolean) => (when ? live : (title: string) => it.skip(title))

  describe(`contract: ${name}`, () => {
    live(
      `completes the handshake: daemon connected, an instance token, the mixnet ${offline ? "offline" : "online"}`,
      Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        assert.isTrue(yield* client.isDaemonConnected)
        const token = yield* client.instanceToken
        assert.isTrue(Option.isSome(token))
        assert.strictEqual(Option.getOrThrow(token).length, 16)
        yield* within(awaitMixnet(!offline), `${offline ? "offline" : "online"} status`, offline ? short : 50)
      })
    )

    live(
      "resumes the same session after disconnect",
      Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        const before = yield* client.instanceToken
        const events = yield* client.subscribe
        yield* client.disconnect
        const reconnected = yield* within(nextReconnection(events), "reconnection", reconnection)
        assert.isTrue(reconnected.sameInstance)
        assert.isTrue(reconnected.resumed)
        assert.deepStrictEqual(yield* client.instanceToken, before)
        const service = yield* pigeonhole("daemon")
        const keypair = yield* service.newKeypair(seed(7))
        assert.strictEqual(keypair.writeCap.bytes.length, 168)
      })
    )

    live(
      "survives a daemon restart with calls in flight: each ends exactly once",
      Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        const target = yield* Target
        const service = yield* pigeonhole("daemon")
        const { writeCap } = yield* service.newKeypair(seed(9))
        const before = Option.getOrThrow(yield* client.instanceToken)
        const events = yield* client.subscribe
        // An ARQ write the offline daemon can only queue: it stays in flight across the restart.
        let completions = 0
        // It must outlive the reconnection to be replayed, then end on its own.
        const arq = yield* client.request(yield* arqWrite(writeCap), { timeout: Duration.seconds(3 + handshake) }).pipe(
          Effect.ensuring(Effect.sync(() => completions++)),
          Effect.fork
        )
        yield* target.restart
        const reconnected = yield* within(nextReconnection(events), "reconnection", reconnection)
        assert.isFalse(reconnected.sameInstance)
        assert.isAtLeast(reconnected.replayed, 1)
        const after = Option.getOrThrow(yield* client.instanceToken)
        assert.notDeepEqual(Array.from(after), Array.from(before))
        // A local call made now is answered by the new process.
        const again = yield* service.newKeypair(seed(9), { waitForConnection: true })
        assert.deepStrictEqual(again.writeCap.bytes, writeCap.bytes)
        const exit = yield* within(Fiber.await(arq), "the in-flight ARQ call to end", reconnection)
        assert.isTrue(Exit.isExit(exit))
        assert.strictEqual(completions, 1)
      })
    )

    live(
      "derives the same caps from the same seed, and refuses a 31-byte seed without a round trip",
      Effect.gen(function*() {
        const service = yield* pigeonhole("daemon")
        const a = yield* service.newKeypair(seed(1))
        const b = yield* service.newKeypair(seed(1))
        const c = yield* service.newKeypair(seed(2))
        assert.deepStrictEqual(a.writeCap.bytes, b.writeCap.bytes)
        assert.deepStrictEqual(a.readCap.bytes, b.readCap.bytes)
        assert.notDeepEqual(Array.from(a.writeCap.bytes), Array.from(c.writeCap.bytes))
        assert.deepStrictEqual(Bacap.readCapOf(a.writeCap).bytes, a.readCap.bytes)
        const target = yield* Target
        const count = yield* receivedCount(target)
        const refused = yield* failure(service.newKeypair(new Uint8Array(31)), "newKeypair of a 31-byte seed")
        assert.strictEqual(refused._tag, "InvalidArgument")
        assert.deepStrictEqual(yield* receivedCount(target), count)
      })
    )

    live(
      `derives keypairs exactly as the local BACAP (${generation}), which keypairs: "local" detects`,
      Effect.gen(function*() {
        const service = yield* pigeonhole("daemon")
        const detecting = yield* pigeonhole("local", "local")
        for (const bytes of [seed(11), Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i)]) {
          const remote = yield* service.newKeypair(bytes)
          const local = Either.getOrThrow(Bacap.newKeypair(bytes, generation))
          assert.deepStrictEqual(remote.writeCap.bytes, local.writeCap.bytes)
          assert.deepStrictEqual(remote.readCap.bytes, local.readCap.bytes)
          assert.deepStrictEqual(remote.firstIndex.bytes, local.firstIndex.bytes)
          assert.deepStrictEqual((yield* detecting.newKeypair(bytes)).writeCap.bytes, remote.writeCap.bytes)
        }
      })
    )

    live(
      "answers a new_keypair seed that is not 32 bytes with code 3 and no caps",
      Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        for (const length of [0, 31, 33, 64]) {
          const reply = yield* client.request(Request.NewKeypair.make({ query_id: yield* newQueryId, seed: new Uint8Array(length).fill(1) }))
          assert.strictEqual(reply.error_code, 3, `${length} bytes`)
          assert.isNull(reply.write_cap, `${length} bytes`)
        }
      })
    )

    live(
      "answers next index and counter exactly as the local BACAP derivation",
      Effect.gen(function*() {
        const daemon = yield* pigeonhole("daemon")
        const local = yield* pigeonhole("local")
        const { firstIndex } = yield* daemon.newKeypair(seed(3))
        let index = firstIndex
        for (let i = 0; i < 3; i++) {
          const remote = yield* daemon.nextMessageBoxIndex(index)
          const mine = yield* local.nextMessageBoxIndex(index)
          assert.deepStrictEqual(remote.bytes, mine.bytes)
          assert.strictEqual(yield* daemon.messageBoxIndexCounter(remote), Bacap.counter(mine))
          index = remote
        }
      })
    )

    liveIf(offline)(
      "fails encryptWrite without a PKI document with the error of code 4",
      Effect.gen(function*() {
        const service = yield* pigeonhole("daemon")
        const { firstIndex, writeCap } = yield* service.newKeypair(seed(4))
        const error = yield* failure(
          service.encryptWrite(new TextEncoder().encode("hi"), writeCap, firstIndex),
          "encryptWrite without a PKI document"
        )
        assert.strictEqual(error._tag, "InternalError")
        assert.strictEqual("code" in error ? error.code : undefined, 4)
      })
    )

    liveIf(!offline)(
      "encrypts a write with the live PKI document",
      Effect.gen(function*() {
        const service = yield* pigeonhole("daemon")
        const { firstIndex, writeCap } = yield* service.newKeypair(seed(4))
        const envelope = yield* service.encryptWrite(new TextEncoder().encode("hi"), writeCap, firstIndex, { timeout: "2 minutes" })
        assert.deepStrictEqual(envelope.boxIndex.bytes, firstIndex.bytes)
      })
    )

    live(
      "succeeds in cancelling unknown envelope and copy hashes",
      Effect.gen(function*() {
        const service = yield* pigeonhole("daemon")
        yield* service.cancelResending(EnvelopeHash.make(yield* randomBytes(32)))
        const { writeCap } = yield* service.newKeypair(seed(5))
        yield* service.cancelResendingCopyCommand(Bacap.writeCapHash(writeCap))
      })
    )

    if (target.newCalls === "unsupported") {
      live(
        "refuses the v0.0.104 calls (directory, vouchers) with UnsupportedRequest, sending nothing",
        Effect.gen(function*() {
          const target = yield* Target
          const directory = yield* Directory.make
          const vouchers = yield* ContactVoucher.make
          const count = yield* receivedCount(target)
          const calls: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }>> = [
            directory.getPkiDocument(),
            directory.getDirectoryAuthorities(),
            vouchers.mint(new Uint8Array(168), "alice"),
            vouchers.induct(new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)),
            vouchers.open(new Uint8Array(1), new Uint8Array(1), new Uint8Array(1)),
            vouchers.deriveStream(new Uint8Array(1))
          ]
          for (const call of calls) assert.strictEqual((yield* Effect.flip(call))._tag, "UnsupportedRequest")
          assert.deepStrictEqual(yield* receivedCount(target), count)
          // Still alive and answering.
          assert.strictEqual((yield* (yield* pigeonhole("daemon")).newKeypair(seed(12))).writeCap.bytes.length, 168)
        })
      )
    }

    if (target.newCalls === "v0.0.104") {
      live(
        "answers the v0.0.104 calls offline: no document (code 10), its one authority, a full voucher exchange, code 28 on a forged payload",
        Effect.gen(function*() {
          const directory = yield* Directory.make
          const vouchers = yield* ContactVoucher.make
          assert.strictEqual((yield* Effect.flip(directory.getPkiDocument()))._tag, "ServiceUnavailable")
          // interop/v0.0.104 kpconfig configures one unreachable authority.
          const [authority, ...others] = yield* directory.getDirectoryAuthorities()
          assert.strictEqual(others.length, 0)
          assert.strictEqual(authority?.identifier, "offline-authority")
          assert.strictEqual(authority?.pki_signature_scheme, "Ed25519")
          assert.strictEqual(authority?.wire_kem_scheme, "xwing")
          assert.deepStrictEqual(authority?.addresses, ["tcp://127.0.0.1:2"])
          assert.match(authority?.link_public_key_pem ?? "", /^-----BEGIN XWING PUBLIC KEY-----\n/)
          const pem = /^-----BEGIN ED25519 PUBLIC KEY-----\n([A-Za-z0-9+/=\n]+)-----END ED25519 PUBLIC KEY-----\n$/.exec(
            authority?.identity_public_key_pem ?? ""
          )
          const identityKey = new Uint8Array(Buffer.from(pem?.[1] ?? "", "base64"))
          assert.strictEqual(identityKey.length, 32)
          assert.deepStrictEqual(authority?.identity_key_hash, Bacap.blake2b256(identityKey))
          const alice = yield* (yield* pigeonhole("daemon")).newKeypair(seed(13))
          const bob = yield* (yield* pigeonhole("daemon")).newKeypair(seed(14))
          const minted = yield* vouchers.mint(alice.writeCap.bytes, "alice")
          const inducted = yield* vouchers.induct(minted.voucher, minted.voucherPayload, bob.readCap.bytes)
          assert.strictEqual(inducted.displayName, "alice")
          const derived = yield* vouchers.deriveStream(minted.voucher)
          assert.deepStrictEqual(derived.voucherReadCap, inducted.voucherReadCap)
          const opened = yield* vouchers.open(minted.voucherSecretKey, inducted.sealedReply, alice.writeCap.bytes)
          assert.deepStrictEqual(opened.whoReply, bob.readCap.bytes)
          assert.deepStrictEqual(opened.salt, inducted.salt)
          assert.deepStrictEqual(derived.voucherReadCap, minted.voucherReadCap)
          const forged = minted.voucherPayload.slice()
          forged[forged.length - 1] = forged[forged.length - 1]! ^ 1
          const mismatch = yield* Effect.flip(vouchers.induct(minted.voucher, forged, bob.readCap.bytes))
          assert.strictEqual(mismatch._tag, "VoucherHashMismatch")
          assert.strictEqual(mismatch.message, "Voucher payload does not hash to the voucher")
        })
      )
    }

    liveIf(offline)(
      "refuses direct sends while offline instead of queueing them in the daemon",
      Effect.gen(function*() {
        const client = yield* ThinClient.ThinClient
        const target = yield* Target
        yield* within(awaitOffline, "offline status", short)
        const count = yield* receivedCount(target)
        const destination = Bacap.nodeIdHash(new Uint8Array(32))
        const error = yield* failure(client.sendMessageWithoutReply(new Uint8Array([1]), destination, new Uint8Array([1])), "an offline send")
        assert.strictEqual(error._tag, "DaemonOffline")
        const blocking = yield* failure(client.blockingSendMessage(new Uint8Array([1]), destination, new Uint8Array([1])), "an offline blocking send")
        assert.strictEqual(blocking._tag, "DaemonOffline")
        assert.deepStrictEqual(yield* receivedCount(target), count)
      })
    )
  })
}

const receivedCount = (target: Context.Tag.Service<Target>) =>
  Option.match(target.received, {
    onNone: () => Effect.succeed(-1),
    onSome: (requests) => Effect.map(requests, (all) => all.length)
  })

/** A well-formed ARQ write (real cap, opaque envelope) that an offline daemon accepts and queues. */
const arqWrite = (writeCap: WriteCap) =>
  Effect.gen(function*() {
    const request: Request.StartResendingEncryptedMessage = {
      _tag: "StartResendingEncryptedMessage",
      query_id: yield* newQueryId,
      read_cap: null,
      write_cap: writeCap,
      message_box_index: Bacap.firstIndex(writeCap),
      reply_index: null,
      envelope_descriptor: new EnvelopeDescriptor(yield* randomBytes(48)),
      message_ciphertext: yield* randomBytes(64),
      envelope_hash: EnvelopeHash.make(yield* randomBytes(32)),
      no_retry_on_box_id_not_found: false,
      no_idempotent_box_already_exists: false
    }
    return request
  })
