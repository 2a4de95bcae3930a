/**
 * The browser smoke test's page: core and transport, bundled for the browser, dial
 * kpclientd v0.0.104 over its WebSocket (URL in `?ws=`), derive a keypair through the
 * daemon and one next index, and check both against local BACAP (the browser builds of the
 * keystream and Ed25519). The outcome lands in `window.__smoke` and in the page.
 */
import { Bacap, newQueryId, Request } from "@katzenpost-effect/core"
import { ThinClient, ThinClientConfig } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

interface Outcome {
  readonly ok: boolean
  readonly steps: ReadonlyArray<string>
  readonly error?: string
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
const same = (a: Uint8Array | undefined | null, b: Uint8Array) => a !== undefined && a !== null && hex(a) === hex(b)

const steps: Array<string> = []
const step = (text: string) =>
  Effect.sync(() => {
    steps.push(text)
    console.log(`smoke: ${text}`)
  })

const program = Effect.gen(function*() {
  const url = new URLSearchParams(location.search).get("ws") ?? ""
  const address = yield* ThinClientConfig.ws(url)
  const started = Date.now()
  const client = yield* ThinClient.make(ThinClientConfig.make({ address }))
  const token = Option.getOrUndefined(yield* client.instanceToken)
  yield* step(`connected to ${url} in ${Date.now() - started} ms, instance ${token === undefined ? "?" : hex(token).slice(0, 8)}…`)

  const seed = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i)
  const reply = yield* client.request(Request.NewKeypair.make({ query_id: yield* newQueryId, seed }))
  const local = yield* Bacap.newKeypair(seed, "hpqc-v0.0.86")
  const keypairOk = reply.error_code === 0 && same(reply.write_cap?.bytes, local.writeCap.bytes) &&
    same(reply.first_message_index?.bytes, local.firstIndex.bytes)
  yield* step(`new_keypair: code ${reply.error_code}, equal to local hpqc v0.0.86 derivation: ${keypairOk}`)

  const next = yield* client.request(
    Request.NextMessageBoxIndex.make({ query_id: yield* newQueryId, message_box_index: local.firstIndex })
  )
  const localNext = yield* Bacap.nextIndex(local.firstIndex)
  const nextOk = next.error_code === 0 && same(next.next_message_box_index?.bytes, localNext.bytes)
  yield* step(`next_message_box_index: code ${next.error_code}, counter ${Bacap.counter(localNext)}, equal to local: ${nextOk}`)
  return keypairOk && nextOk
}).pipe(Effect.scoped)

const report = (outcome: Outcome) => {
  ;(window as unknown as { __smoke: Outcome }).__smoke = outcome
  const pre = document.getElementById("result")
  if (pre !== null) pre.textContent = JSON.stringify(outcome, null, 2)
}

Effect.runPromiseExit(program).then((exit) =>
  report(
    exit._tag === "Success"
      ? { ok: exit.value, steps }
      : { ok: false, steps, error: String(exit.cause) }
  )
)
