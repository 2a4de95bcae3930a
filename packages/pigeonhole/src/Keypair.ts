/**
 * A BACAP keypair: the write and read capabilities of a new Pigeonhole stream and its first
 * box index.
 *
 * @since 0.1.0
 */
import type { MessageBoxIndex, ReadCap, WriteCap } from "@katzenpost-effect/core"
import type * as Redacted from "effect/Redacted"

/**
 * The 32 secret bytes a keypair is derived from. Pass it `Redacted` to keep it out of logs;
 * a plain `Uint8Array` is accepted too.
 *
 * @since 0.1.0
 * @category models
 */
export type Seed = Uint8Array | Redacted.Redacted<Uint8Array>

/**
 * The exact seed length `new_keypair` accepts.
 *
 * @since 0.1.0
 * @category constants
 */
export const SEED_SIZE = 32

/**
 * What `newKeypair` answers: keep `writeCap` to yourself, hand `readCap` to readers, start
 * writing and reading at `firstIndex`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Keypair {
  readonly writeCap: WriteCap
  readonly readCap: ReadCap
  readonly firstIndex: MessageBoxIndex
}
