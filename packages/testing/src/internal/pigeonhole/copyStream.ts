/**
 * The copy stream: courier envelopes, each framed as u32 length ‖ bytes, concatenated and cut
 * into elements that fit one box (flags byte ‖ data). Flags mark the stream's first element
 * (START) and its last (FINAL). Between calls the encoder's residual is handed to the client
 * as an opaque buffer ("KPFB" ‖ pending-start ‖ residual), as the real daemon does with its
 * CopyStreamEncoder state.
 */
import { concat, label, Reader, sameBytes, u32be } from "./bytes.js"

const START = 1
const FINAL = 2
const BUFFER_MAGIC = label("KPFB")

/** What the encoder carries between calls. */
export interface EncoderState {
  readonly pendingStart: boolean
  readonly residual: Uint8Array
}

/** A fresh encoder. */
export const emptyState: EncoderState = { pendingStart: false, residual: new Uint8Array(0) }

/** Serializes encoder state for the client. */
export const encodeBuffer = (state: EncoderState): Uint8Array => concat(BUFFER_MAGIC, Uint8Array.of(state.pendingStart ? 1 : 0), state.residual)

/** Restores encoder state from a client buffer (null: fresh); `undefined` if it is not ours. */
export const decodeBuffer = (buffer: Uint8Array | null): EncoderState | undefined => {
  if (buffer === null || buffer.length === 0) return emptyState
  const reader = new Reader(buffer)
  const magic = reader.take(4)
  const flag = reader.u8()
  if (magic === undefined || !sameBytes(magic, BUFFER_MAGIC) || (flag !== 0 && flag !== 1)) return undefined
  return { pendingStart: flag === 1, residual: reader.take(reader.remaining)!.slice() }
}

/**
 * How a call ends: `final` flushes and marks the last element; `flush` emits the residual
 * as a short element (create_courier_envelopes_from_payload); `keep` returns it as buffer.
 */
export type Ending = "final" | "flush" | "keep"

/** Packs envelopes into elements of at most `elementSize` bytes. */
export const pack = (
  state: EncoderState,
  envelopes: ReadonlyArray<Uint8Array>,
  elementSize: number,
  ending: Ending
): { readonly elements: ReadonlyArray<Uint8Array>; readonly state: EncoderState } => {
  const dataSize = elementSize - 1
  const elements: Array<Uint8Array> = []
  let pendingStart = state.pendingStart
  const element = (data: Uint8Array, final: boolean) => {
    elements.push(concat(Uint8Array.of((pendingStart ? START : 0) | (final ? FINAL : 0)), data))
    pendingStart = false
  }
  let residual = concat(state.residual, ...envelopes.flatMap((envelope) => [u32be(envelope.length), envelope]))
  while (residual.length > dataSize) {
    element(residual.slice(0, dataSize), false)
    residual = residual.slice(dataSize)
  }
  if (ending === "final") element(residual, true)
  else if (ending === "flush" && residual.length > 0) element(residual, false)
  else if (ending === "keep") return { elements, state: { pendingStart, residual } }
  return { elements, state: emptyState }
}

/** One element as read back by the courier. */
export interface Element {
  readonly start: boolean
  readonly final: boolean
  readonly data: Uint8Array
}

/** Parses an element; `undefined` if empty. */
export const decodeElement = (bytes: Uint8Array): Element | undefined => {
  const flags = bytes[0]
  return flags === undefined ? undefined : { start: (flags & START) !== 0, final: (flags & FINAL) !== 0, data: bytes.subarray(1) }
}

/** The courier envelopes of a complete stream; `undefined` if the framing is broken. */
export const unpack = (elements: ReadonlyArray<Element>): ReadonlyArray<Uint8Array> | undefined => {
  const reader = new Reader(concat(...elements.map((e) => e.data)))
  const envelopes: Array<Uint8Array> = []
  while (reader.remaining > 0) {
    const length = reader.u32()
    const envelope = length === undefined ? undefined : reader.take(length)
    if (envelope === undefined) return undefined
    envelopes.push(envelope.slice())
  }
  return envelopes
}
