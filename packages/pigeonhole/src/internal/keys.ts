/** Keypairs and message box indexes, derived locally or by the daemon as configured. */
import { Bacap, type ErrorCodes, InvalidArgument, type MessageBoxIndex, Request as Req } from "@katzenpost-effect/core"
import { Telemetry, type TransportError } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { type Seed, SEED_SIZE } from "../Keypair.js"
import type { Pigeonhole } from "../Pigeonhole.js"
import { generationFor } from "./bacapGeneration.js"
import { required } from "./call.js"
import { local, localThen, type ServiceContext } from "./context.js"

const seedBytes = (seed: Seed): Uint8Array => (Redacted.isRedacted(seed) ? Redacted.value(seed) : seed)

const fromEither = <A, E>(either: Either.Either<A, E>): Effect.Effect<A, E> =>
  Either.match(either, {
    onLeft: (error) => Effect.fail(error),
    onRight: (value) => Effect.succeed(value)
  })

/** A caller-built index of the wrong length fails before any work (local or daemon). */
const checkIndex = (index: MessageBoxIndex): Effect.Effect<MessageBoxIndex, InvalidArgument> => fromEither(Bacap.validateIndex(index, "index"))

const NEW_KEYPAIR = "Pigeonhole.newKeypair"
const NEXT_INDEX = "Pigeonhole.nextMessageBoxIndex"

export const newKeypair = (ctx: ServiceContext): Pigeonhole["newKeypair"] => (seed, options) => {
  const bytes = seedBytes(seed)
  if (bytes.length !== SEED_SIZE) {
    return Telemetry.span(Effect.fail(new InvalidArgument({ argument: "seed", reason: `must be exactly ${SEED_SIZE} bytes` })), NEW_KEYPAIR)
  }
  const fromDaemon = (spanName: string | undefined): Effect.Effect<Bacap.Keypair, ErrorCodes.LocalError | TransportError> =>
    localThen(
      ctx,
      "new_keypair",
      options,
      (query_id, o) => ctx.client.request(Req.NewKeypair.make({ query_id, seed: bytes }, true), o),
      (reply) =>
        reply.write_cap !== null && reply.read_cap !== null && reply.first_message_index !== null
          ? Effect.succeed({ writeCap: reply.write_cap, readCap: reply.read_cap, firstIndex: reply.first_message_index })
          : Effect.all({
            writeCap: required("new_keypair_reply", "write_cap", reply.write_cap),
            readCap: required("new_keypair_reply", "read_cap", reply.read_cap),
            firstIndex: required("new_keypair_reply", "first_message_index", reply.first_message_index)
          }),
      spanName
    )
  if (!ctx.localKeypairs) return fromDaemon(NEW_KEYPAIR)
  return Telemetry.span(
    Effect.flatMap(
      generationFor(ctx, options),
      (generation): Effect.Effect<Bacap.Keypair, InvalidArgument | ErrorCodes.LocalError | TransportError> =>
        generation === "daemon" ? fromDaemon(undefined) : fromEither(Bacap.newKeypair(bytes, generation))
    ),
    NEW_KEYPAIR
  )
}

/** The index after `index`, computed as configured; `nextMessageBoxIndex` checks it first. */
const nextIndexOf = (ctx: ServiceContext): Pigeonhole["nextMessageBoxIndex"] => (index, options) =>
  ctx.daemonIndexes
    ? localThen(
      ctx,
      "next_message_box_index",
      options,
      (query_id, o) => ctx.client.request(Req.NextMessageBoxIndex.make({ query_id, message_box_index: index }, true), o),
      (reply) => required("next_message_box_index_reply", "next_message_box_index", reply.next_message_box_index),
      NEXT_INDEX
    )
    : Telemetry.span(fromEither(Bacap.nextIndex(index)), NEXT_INDEX)

export const nextMessageBoxIndex = (ctx: ServiceContext): Pigeonhole["nextMessageBoxIndex"] => {
  const nextIndex = nextIndexOf(ctx)
  return (index, options) => {
    const checked = Bacap.validateIndex(index, "index")
    return Either.isLeft(checked) ? Telemetry.span(Effect.fail(checked.left), NEXT_INDEX) : nextIndex(index, options)
  }
}

export const messageBoxIndexCounter = (ctx: ServiceContext): Pigeonhole["messageBoxIndexCounter"] => (index, options) =>
  Effect.zipRight(
    checkIndex(index),
    ctx.daemonIndexes
      ? local(ctx, "get_message_box_index_counter", options, (query_id, o) =>
        ctx.client.request(Req.GetMessageBoxIndexCounter.make({ query_id, message_box_index: index }, true), o)).pipe(
          Effect.map((reply) =>
            reply.counter
          )
        )
      : Effect.sync(() =>
        Bacap.counter(index)
      )
  )
