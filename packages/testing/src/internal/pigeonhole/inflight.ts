/**
 * The daemon's ARQ table: in-flight `start_resending_*` operations per session, keyed by
 * envelope hash or WriteCap hash. Whoever removes an entry (completion, cancel, session end,
 * restart) owns its single reply, so a cancelled operation never answers twice.
 */
import type { Response } from "@katzenpost-effect/core"
import type * as Fiber from "effect/Fiber"
import { hex } from "./bytes.js"

/** One in-flight operation. */
export interface InFlightEntry {
  /** The retransmitting fiber; set right after it is forked. */
  fiber: Fiber.RuntimeFiber<void> | undefined
  /** The reply the original request gets when it is cancelled (code 24). */
  readonly cancelled: Response.KnownResponse
}

/** All in-flight operations of a daemon instance. */
export class InFlight {
  private readonly byApp = new Map<string, Map<string, InFlightEntry>>()

  /** Registers an entry; returns the one it replaces (a replay of the same operation). */
  add(appId: Uint8Array, key: string, entry: InFlightEntry): InFlightEntry | undefined {
    const app = hex(appId)
    const entries = this.byApp.get(app) ?? new Map<string, InFlightEntry>()
    this.byApp.set(app, entries)
    const previous = entries.get(key)
    entries.set(key, entry)
    return previous
  }

  /** Whether `entry` is still the live operation under `key`. */
  isCurrent(appId: Uint8Array, key: string, entry: InFlightEntry): boolean {
    return this.byApp.get(hex(appId))?.get(key) === entry
  }

  /** Removes `entry` if it is still live; true means the caller owns its reply. */
  settle(appId: Uint8Array, key: string, entry: InFlightEntry): boolean {
    if (!this.isCurrent(appId, key, entry)) return false
    this.byApp.get(hex(appId))?.delete(key)
    return true
  }

  /** Removes and returns the live entry under `key`. */
  take(appId: Uint8Array, key: string): InFlightEntry | undefined {
    const entries = this.byApp.get(hex(appId))
    const entry = entries?.get(key)
    entries?.delete(key)
    return entry
  }

  /** Removes and returns every entry of a session. */
  takeSession(appId: Uint8Array): ReadonlyArray<InFlightEntry> {
    const entries = this.byApp.get(hex(appId))
    this.byApp.delete(hex(appId))
    return entries === undefined ? [] : Array.from(entries.values())
  }

  /** Removes and returns every entry. */
  takeAll(): ReadonlyArray<InFlightEntry> {
    const all = Array.from(this.byApp.values(), (entries) => Array.from(entries.values())).flat()
    this.byApp.clear()
    return all
  }

  /** How many operations are in flight. */
  get size(): number {
    let n = 0
    for (const entries of this.byApp.values()) n += entries.size
    return n
  }
}

/** The table key of an encrypted-message ARQ. */
export const messageKey = (envelopeHash: Uint8Array): string => `message:${hex(envelopeHash)}`

/** The table key of a copy command. */
export const copyKey = (writeCapHash: Uint8Array): string => `copy:${hex(writeCapHash)}`
