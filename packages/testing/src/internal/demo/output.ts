/** The demo's progress output: numbered steps, indented details, a summary. Never prints secrets. */
import * as Console from "effect/Console"
import type * as Effect from "effect/Effect"

/** A step heading. */
export const heading = (n: number, total: number, title: string): Effect.Effect<void> => Console.log(`\n[${n}/${total}] ${title}`)

/** A successful detail line. */
export const ok = (text: string): Effect.Effect<void> => Console.log(`      ✓ ${text}`)

/** A neutral detail line. */
export const note = (text: string): Effect.Effect<void> => Console.log(`      · ${text}`)

/** A failure line. */
export const fail = (text: string): Effect.Effect<void> => Console.log(`      ✗ ${text}`)

/** A plain line. */
export const line = (text = ""): Effect.Effect<void> => Console.log(text)

/** The first bytes of a public identifier, for display. */
export const shortHex = (bytes: Uint8Array): string => `${Buffer.from(bytes.subarray(0, 4)).toString("hex")}…`

/** Milliseconds as "42 ms" or "1.3 s". */
export const millis = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`)

/** A number with thousands separators. */
export const count = (n: number): string => n.toLocaleString("en-US")
