/**
 * Captures what the code under test logs, so a test that feeds it bad input can expect its
 * warnings (and `npm test` stays quiet). Provide `LogCapture.layer` outermost, so the client
 * Layer's fibers log into it too; then `yield* (yield* LogCapture).next` waits for the next line.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Queue from "effect/Queue"

export class LogCapture extends Context.Tag("test/LogCapture")<LogCapture, {
  /** The next captured line, as `LEVEL message` (waits for it). */
  readonly next: Effect.Effect<string>
  /** Every line captured and not yet taken. */
  readonly rest: Effect.Effect<ReadonlyArray<string>>
}>() {
  static readonly layer: Layer.Layer<LogCapture> = Layer.unwrapEffect(
    Effect.map(Queue.unbounded<string>(), (lines) => {
      const capture = Logger.make(({ logLevel, message }) => {
        const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
        Queue.unsafeOffer(lines, `${logLevel.label} ${text}`)
      })
      return Layer.merge(
        Layer.succeed(LogCapture, {
          next: Queue.take(lines),
          rest: Effect.map(Queue.takeAll(lines), (chunk) => Array.from(chunk))
        }),
        Logger.replace(Logger.defaultLogger, capture)
      )
    })
  )
}
