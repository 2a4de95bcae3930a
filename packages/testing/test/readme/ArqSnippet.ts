// Type-checks the "Handling ARQ results" snippet of the top-level README (tsc -b compiles it).
import type { Envelope } from "@katzenpost-effect/pigeonhole"
import { Pigeonhole } from "@katzenpost-effect/pigeonhole"
import { Effect } from "effect"

const readIfThere = (envelope: Envelope.ReadEnvelope) =>
  Effect.gen(function*() {
    const pigeonhole = yield* Pigeonhole.Pigeonhole
    const read = pigeonhole.startResendingNoRetry(envelope).pipe(
      Effect.catchTags({
        BoxIdNotFound: () => Effect.succeed(undefined), // not written yet: an expected outcome
        Tombstone: () => Effect.succeed(undefined), // deleted
        RequestTimeout: () => Effect.succeed(undefined) // and interrupting it cancels the ARQ in the daemon
      })
    )
    return yield* read
  })

void readIfThere
