/** Byte strings that must never be printed: capabilities, indexes, envelope descriptors. */
import * as Equal from "effect/Equal"
import * as Hash from "effect/Hash"
import { NodeInspectSymbol } from "effect/Inspectable"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { equalBytes } from "./bytes.js"
import { FAIL, registerSchema } from "./fast.js"

/**
 * Base of the secret byte classes: equality by content, redacted when shown. The bytes live
 * in a private field behind a getter, so nothing that walks own enumerable properties (object
 * spread, `JSON.stringify` of a copy, structural printers) can reach them.
 */
export abstract class SecretBytes implements Equal.Equal {
  abstract readonly _tag: string
  readonly #bytes: Uint8Array
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }
  /** The secret bytes themselves. */
  get bytes(): Uint8Array {
    return this.#bytes
  }
  [Equal.symbol](that: Equal.Equal): boolean {
    return that instanceof SecretBytes && that._tag === this._tag && equalBytes(this.bytes, that.bytes)
  }
  [Hash.symbol](): number {
    return Hash.cached(this, Hash.array(Array.from(this.bytes)))
  }
  toString(): string {
    return `${this._tag}(<redacted ${this.bytes.length} bytes>)`
  }
  toJSON(): string {
    return this.toString()
  }
  [NodeInspectSymbol](): string {
    return this.toString()
  }
}

/** The schema from a wire byte string of `size` bytes to a secret byte class. */
export const secretBytesSchema = <A extends SecretBytes>(
  Class: new(bytes: Uint8Array) => A,
  tag: string,
  size: number | undefined
): Schema.Schema<A, Uint8Array> => {
  const Self = Schema.declare((u: unknown): u is A => u instanceof Class, {
    identifier: tag,
    arbitrary: () => (fc) =>
      fc.uint8Array(size === undefined ? { maxLength: 64 } : { minLength: size, maxLength: size }).map((bytes) => new Class(bytes))
  })
  return registerSchema(
    Schema.transformOrFail(Schema.Uint8ArrayFromSelf, Self, {
      strict: true,
      decode: (bytes, _, ast) =>
        size === undefined || bytes.length === size
          ? ParseResult.succeed(new Class(bytes))
          : ParseResult.fail(new ParseResult.Type(ast, bytes, `expected ${size} bytes, got ${bytes.length}`)),
      // Checked here too: a wrong-length blob would be silently padded or cut by the daemon.
      encode: (secret, _, ast) =>
        size === undefined || secret.bytes.length === size
          ? ParseResult.succeed(secret.bytes)
          : ParseResult.fail(new ParseResult.Type(ast, secret, `expected ${size} bytes, got ${secret.bytes.length}`))
    }).annotations({ identifier: tag }),
    (value) => value instanceof Uint8Array && (size === undefined || value.length === size) ? new Class(value) : FAIL,
    (value) => value instanceof Class && (size === undefined || value.bytes.length === size) ? value.bytes : FAIL
  )
}
