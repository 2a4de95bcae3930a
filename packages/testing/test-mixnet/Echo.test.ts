/** Direct messaging to the echo service of the live net (Bob's daemon). */
import { assert, describe, it } from "@effect/vitest"
import { newSurbId } from "@katzenpost-effect/core"
import type { ClientEvent } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import { client, timed, within } from "./Mixnet.js"

const hex = (bytes: Uint8Array | null): string => (bytes === null ? "null" : Buffer.from(bytes).toString("hex"))

const online = (thin: Effect.Effect.Success<ReturnType<typeof client>>) =>
  within(
    thin.isConnected.pipe(Effect.repeat({ until: (up) => up, schedule: Schedule.spaced("500 millis") })),
    "2 minutes",
    "the daemon to be on the mixnet"
  )

const nextMatching = <A extends ClientEvent>(events: Queue.Dequeue<ClientEvent>, match: (event: ClientEvent) => event is A) =>
  Effect.gen(function*() {
    while (true) {
      const event = yield* Queue.take(events)
      if (match(event)) return event
    }
  })

/** The echo service answers with the payload (padded to the reply size). */
const assertEchoed = (reply: Uint8Array | null, sent: Uint8Array) => {
  assert.isNotNull(reply)
  assert.strictEqual(hex(reply!.subarray(0, sent.length)), hex(sent))
}

describe.concurrent("mixnet: echo service", () => {
  it.live("blockingSendMessage returns the echo's reply", () =>
    Effect.scoped(Effect.gen(function*() {
      const thin = yield* client("bob")
      yield* online(thin)
      const echo = yield* thin.getService("echo")
      const payload = crypto.getRandomValues(new Uint8Array(64))
      const reply = yield* timed(
        "echo blockingSendMessage",
        thin.blockingSendMessage(payload, echo.destinationIdHash, echo.recipientQueueId, { timeout: "3 minutes" })
      )
      assert.strictEqual(reply.error_code, 0)
      assertEchoed(reply.payload, payload)
    })), 5 * 60_000)

  it.live("sendMessage returns the message id; MessageSent then MessageReply follow", () =>
    Effect.scoped(Effect.gen(function*() {
      const thin = yield* client("bob")
      yield* online(thin)
      const echo = yield* thin.getService("echo")
      const events = yield* thin.subscribe
      const surbId = yield* newSurbId
      const payload = crypto.getRandomValues(new Uint8Array(64))
      const id = yield* thin.sendMessage(surbId, payload, echo.destinationIdHash, echo.recipientQueueId)
      const sent = yield* within(
        nextMatching(events, (e): e is Extract<ClientEvent, { _tag: "MessageSentEvent" }> =>
          e._tag === "MessageSentEvent" && hex(e.message_id) === hex(id)),
        "1 minute",
        "MessageSentEvent"
      )
      assert.strictEqual(sent.err, "")
      assert.strictEqual(hex(sent.surbid), hex(surbId))
      const reply = yield* timed(
        "echo sendMessage reply",
        within(
          nextMatching(
            events,
            (e): e is Extract<ClientEvent, { _tag: "MessageReplyEvent" }> =>
              e._tag === "MessageReplyEvent" && hex(e.surbid) === hex(surbId)
          ),
          "3 minutes",
          "MessageReplyEvent"
        )
      )
      assert.strictEqual(hex(reply.message_id), hex(id))
      assert.strictEqual(reply.error_code, 0)
      assertEchoed(reply.payload, payload)
    })), 5 * 60_000)
})
