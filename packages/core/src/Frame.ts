/**
 * Framing of the thin protocol: a 4-byte big-endian body length, then one CBOR item.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Slab from "./internal/slab.js"
import { FrameTooLarge, FrameTruncated } from "./ProtocolError.js"

/**
 * The largest body newer daemons accept or send (`thin.MaxMessageSize`, 40 MiB).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_FRAME_LENGTH = 40 * 1024 * 1024

/**
 * Length of the big-endian length prefix.
 *
 * @since 0.1.0
 * @category constants
 */
export const PREFIX_LENGTH = 4

/**
 * An incremental frame decoder. `push` accepts chunks of any size and returns every frame
 * body completed by that chunk; after an error the decoder stays failed. When a chunk
 * completes frames and then declares an oversized one, `push` still returns those frames
 * and the decoder is failed from then on: `failure` says so at once, the next `push` fails.
 *
 * @since 0.1.0
 * @category models
 */
export interface FrameDecoder {
  readonly push: (chunk: Uint8Array) => Either.Either<ReadonlyArray<Uint8Array>, FrameTooLarge>
  /** Why the decoder failed, if it did (including after a `push` that returned frames). */
  readonly failure: () => Option.Option<FrameTooLarge>
  /** Called at end of stream: fails if a frame was cut short. */
  readonly end: () => Either.Either<void, FrameTruncated>
  /** Bytes held for an incomplete frame. */
  readonly buffered: () => number
}

/**
 * Creates a frame decoder. The declared length is checked against `maxLength` before any
 * body buffer is allocated.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDecoder = (options?: { readonly maxLength?: number }): FrameDecoder => {
  const maxLength = options?.maxLength ?? DEFAULT_MAX_FRAME_LENGTH
  const prefix = new Uint8Array(PREFIX_LENGTH)
  let prefixFill = 0
  let body: Uint8Array | undefined
  let bodyFill = 0
  let failure: FrameTooLarge | undefined

  const push = (chunk: Uint8Array): Either.Either<ReadonlyArray<Uint8Array>, FrameTooLarge> => {
    if (failure !== undefined) return Either.left(failure)
    const frames: Array<Uint8Array> = []
    let offset = 0
    while (offset < chunk.length) {
      if (body === undefined) {
        const take = Math.min(PREFIX_LENGTH - prefixFill, chunk.length - offset)
        prefix.set(chunk.subarray(offset, offset + take), prefixFill)
        prefixFill += take
        offset += take
        if (prefixFill < PREFIX_LENGTH) break
        const length = ((prefix[0]! << 24) >>> 0) + (prefix[1]! << 16) + (prefix[2]! << 8) + prefix[3]!
        if (length > maxLength) {
          failure = new FrameTooLarge({ length, maxLength })
          // Frames completed before the bad prefix are good: hand them out, fail from now on.
          return frames.length === 0 ? Either.left(failure) : Either.right(frames)
        }
        prefixFill = 0
        bodyFill = 0
        // A whole frame inside this chunk: hand out a view, no copy.
        if (chunk.length - offset >= length) {
          frames.push(chunk.subarray(offset, offset + length))
          offset += length
          continue
        }
        body = new Uint8Array(length)
      }
      const take = Math.min(body.length - bodyFill, chunk.length - offset)
      body.set(chunk.subarray(offset, offset + take), bodyFill)
      bodyFill += take
      offset += take
      if (bodyFill === body.length) {
        frames.push(body)
        body = undefined
      }
    }
    return Either.right(frames)
  }

  const end = (): Either.Either<void, FrameTruncated> => {
    if (body !== undefined) {
      return Either.left(new FrameTruncated({ expected: PREFIX_LENGTH + body.length, received: PREFIX_LENGTH + bodyFill }))
    }
    if (prefixFill > 0) return Either.left(new FrameTruncated({ expected: PREFIX_LENGTH, received: prefixFill }))
    return Either.void
  }

  return { push, failure: () => Option.fromNullable(failure), end, buffered: () => (body === undefined ? prefixFill : PREFIX_LENGTH + bodyFill) }
}

/**
 * The 4-byte length prefix for a body. Writing prefix and body separately avoids copying
 * large payloads into one buffer.
 *
 * @since 0.1.0
 * @category encoding
 */
export const lengthPrefix = (bodyLength: number): Uint8Array => {
  const prefix = new Uint8Array(PREFIX_LENGTH)
  new DataView(prefix.buffer).setUint32(0, bodyLength, false)
  return prefix
}

/**
 * Prefix and body as one buffer, for transports that want a single write.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeFrame = (body: Uint8Array): Uint8Array => {
  const frame = new Uint8Array(PREFIX_LENGTH + body.length)
  frame.set(lengthPrefix(body.length), 0)
  frame.set(body, PREFIX_LENGTH)
  return frame
}

/**
 * `size` zeroed bytes for a frame or body, carved from a shared slab when small (as Node's
 * Buffer pool does): a view whose `byteOffset` may not be 0, so read it through `byteOffset`
 * and `length`, never through its whole `buffer`.
 *
 * @since 0.2.0
 * @category encoding
 */
export const allocate: (size: number) => Uint8Array = Slab.allocate
