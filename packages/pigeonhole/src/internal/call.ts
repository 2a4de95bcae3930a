/** Timeouts, argument and reply checks and error narrowing shared by every call. */
import { InvalidArgument, MalformedMessage, RequestTimeout, UnknownDaemonError } from "@katzenpost-effect/core"
import type { RequestOptions } from "@katzenpost-effect/transport"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { CallOptions } from "../Pigeonhole.js"

/** The call's timeout, or the service default. */
export const timeoutOf = (options: CallOptions | undefined, fallback: Duration.Duration): Duration.Duration =>
  options?.timeout === undefined ? fallback : Duration.decode(options.timeout)

/** Fails with `RequestTimeout` (interrupting `self`, so its finalizers run first) unless infinite. */
export const withTimeout =
  (operation: string, timeout: Duration.Duration) => <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E | RequestTimeout, R> =>
    Duration.isFinite(timeout)
      ? Effect.timeoutFail(self, {
        duration: timeout,
        onTimeout: () => new RequestTimeout({ operation, millis: Duration.toMillis(timeout) })
      })
      : self

/**
 * The transport options of a call: its `waitForConnection`, else the service default, else
 * the client's own default (only what was set: exactOptionalPropertyTypes).
 */
export const requestOptions = (options: CallOptions | undefined, fallback?: boolean): RequestOptions => {
  const wait = options?.waitForConnection ?? fallback
  return wait === undefined ? {} : { waitForConnection: wait }
}

const U32_MAX = 0xffff_ffff

/** A count argument the daemon reads as a u32. */
export const checkCount = (argument: string, count: number): Effect.Effect<void, InvalidArgument> =>
  Number.isInteger(count) && count >= 0 && count <= U32_MAX
    ? Effect.void
    : Effect.fail(new InvalidArgument({ argument, reason: "must be an integer from 0 to 2^32-1" }))

/** A reply field the daemon must have set on success. Names the field, never its value. */
export const required = <A>(kind: string, field: string, value: A | null): Effect.Effect<A, MalformedMessage> =>
  value === null
    ? Effect.fail(new MalformedMessage({ kind, reason: `${field} is null in a successful reply` }))
    : Effect.succeed(value)

/** Fails with `error` when there is one. */
export const failWith = <E>(error: E | undefined): Effect.Effect<void, E> => error === undefined ? Effect.void : Effect.fail(error)

type CodedError = { readonly _tag: string; readonly code: number; readonly message: string }

const isOneOf = <E extends CodedError, T extends string>(tags: ReadonlyArray<T>, error: E): error is Extract<E, { readonly _tag: T }> =>
  tags.some((tag) => tag === error._tag)

/**
 * Keeps an error whose tag is in `tags` and turns any other into `UnknownDaemonError`, so a
 * call's error type is exactly the family it can produce.
 */
export const narrow =
  <T extends string>(tags: ReadonlyArray<T>, family: string) =>
  <E extends CodedError>(error: E): Extract<E, { readonly _tag: T }> | UnknownDaemonError =>
    isOneOf(tags, error) ? error : new UnknownDaemonError({ code: error.code, message: error.message, family })

/** Lowercase hex, for map keys. */
export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")
