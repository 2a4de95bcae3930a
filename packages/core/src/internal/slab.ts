/**
 * Small byte buffers carved from shared 64 KiB slabs, as Node's `Buffer.allocUnsafe` pool
 * does, but zeroed (each region is handed out once, never reused) and without Buffer, so it
 * runs in browsers too. A fresh `Uint8Array` above 64 bytes costs V8 a backing store of its
 * own (about 10x the time of a view on a slab, plus work for the collector); frames are made
 * per request. A slab lives as long as any view on it; larger buffers get their own.
 */
const SLAB_SIZE = 64 * 1024
const MAX_POOLED = 8 * 1024

let slab = new Uint8Array(SLAB_SIZE)
let used = 0

/** `size` zeroed bytes, possibly a view on a shared buffer (`byteOffset` may not be 0). */
export const allocate = (size: number): Uint8Array => {
  if (size > MAX_POOLED) return new Uint8Array(size)
  // A slab whose buffer an app transferred (postMessage, structuredClone) is detached: length 0.
  if (used + size > SLAB_SIZE || slab.byteLength === 0) {
    slab = new Uint8Array(SLAB_SIZE)
    used = 0
  }
  const view = slab.subarray(used, used + size)
  // 8-byte aligned, so a DataView or wider typed array over a region stays aligned.
  used += (size + 7) & ~7
  return view
}
