/**
 * The pending requests by query-id key: an open-addressing hash table over plain arrays,
 * instead of a `Map`. A `Map` whose keys change on every request rehashes into a new table
 * every few dozen requests, and V8 links each old table to its successor; once one of those
 * tables has been promoted to the old generation, every later table and every request it
 * still lists survives the young collections until the next full one (about 1 MB per young
 * collection at 16 callers, a sixth of the client's CPU). Here a removed entry is cleared in
 * place, and arrays replaced by a resize are emptied first, so nothing old points at a
 * finished request. Iteration (`entries`, `values`) is in insertion order, as a `Map`'s.
 */

const EMPTY = undefined
// A removed key: probing goes on past it; an insert may take its slot back.
const REMOVED: unique symbol = Symbol("removed")
const INITIAL_CAPACITY = 64

/** FNV-1a over the key's UTF-16 code units (keys are short: 10 units for a 16-byte id). */
const hash = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** A string-keyed table of pending entries (see the module comment). */
export class PendingTable<V> {
  private keys: Array<string | typeof REMOVED | undefined> = new Array<string | typeof REMOVED | undefined>(INITIAL_CAPACITY).fill(EMPTY)
  private values_: Array<V | undefined> = new Array<V | undefined>(INITIAL_CAPACITY).fill(undefined)
  private order: Array<number> = new Array<number>(INITIAL_CAPACITY).fill(0)
  private count = 0
  // Live and removed slots: past half the capacity, the table is rebuilt.
  private taken = 0
  private nextOrder = 0

  /** How many entries it holds. */
  get size(): number {
    return this.count
  }

  get(key: string): V | undefined {
    const at = this.find(key)
    return at < 0 ? undefined : this.values_[at]
  }

  has(key: string): boolean {
    return this.find(key) >= 0
  }

  /** Adds or replaces the entry of `key`. */
  set(key: string, value: V): void {
    const at = this.find(key)
    if (at >= 0) {
      this.values_[at] = value
      return
    }
    if ((this.taken + 1) * 2 > this.keys.length) this.rebuild(this.count * 4 > this.keys.length ? this.keys.length * 2 : this.keys.length)
    this.insert(key, value, this.nextOrder++)
  }

  /** Removes the entry of `key`; false when there was none. */
  delete(key: string): boolean {
    const at = this.find(key)
    if (at < 0) return false
    this.keys[at] = REMOVED
    this.values_[at] = undefined
    this.count--
    // Emptied after a burst: back to the small table.
    if (this.count === 0 && this.keys.length > INITIAL_CAPACITY * 16) this.reset(INITIAL_CAPACITY)
    return true
  }

  clear(): void {
    this.reset(INITIAL_CAPACITY)
  }

  /** A snapshot of the entries, in insertion order. */
  entries(): Array<[string, V]> {
    const live: Array<{ readonly order: number; readonly entry: [string, V] }> = []
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]
      if (this.isLive(key)) live.push({ order: this.order[i]!, entry: [key, this.values_[i]!] })
    }
    return live.sort((a, b) => a.order - b.order).map(({ entry }) => entry)
  }

  /** A snapshot of the values, in insertion order. */
  values(): Array<V> {
    return this.entries().map(([, value]) => value)
  }

  private isLive(key: string | typeof REMOVED | undefined): key is string {
    return key !== EMPTY && key !== REMOVED
  }

  private find(key: string): number {
    const mask = this.keys.length - 1
    for (let at = hash(key) & mask;; at = (at + 1) & mask) {
      const slot = this.keys[at]
      if (slot === EMPTY) return -1
      if (slot === key) return at
    }
  }

  private insert(key: string, value: V, order: number): void {
    const mask = this.keys.length - 1
    let at = hash(key) & mask
    while (this.isLive(this.keys[at])) at = (at + 1) & mask
    if (this.keys[at] === EMPTY) this.taken++
    this.keys[at] = key
    this.values_[at] = value
    this.order[at] = order
    this.count++
  }

  private rebuild(capacity: number): void {
    const keys = this.keys
    const values = this.values_
    const order = this.order
    this.allocate(capacity)
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]
      if (this.isLive(key)) this.insert(key, values[i]!, order[i]!)
    }
    // The old arrays may already be in the old generation: leave them pointing at nothing.
    keys.fill(EMPTY)
    values.fill(undefined)
  }

  private reset(capacity: number): void {
    this.keys.fill(EMPTY)
    this.values_.fill(undefined)
    this.allocate(capacity)
  }

  private allocate(capacity: number): void {
    this.keys = new Array<string | typeof REMOVED | undefined>(capacity).fill(EMPTY)
    this.values_ = new Array<V | undefined>(capacity).fill(undefined)
    this.order = new Array<number>(capacity).fill(0)
    this.count = 0
    this.taken = 0
  }
}
