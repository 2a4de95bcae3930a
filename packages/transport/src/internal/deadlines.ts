/**
 * The live-clock timeouts of one client's requests, on one timer: requests sit in a list
 * ordered by deadline (with one timeout for every call, new ones go to the end), and the
 * timer is armed for the first. Leaving the list is O(1) and never touches the timer, even
 * when the list empties: a timer armed for an earlier deadline stays, fires once, finds
 * nothing due and re-arms for the first entry if there is one. With one timeout for every
 * call, a client calling one request at a time touches the timer once per timeout period,
 * not twice per request. The timer is unref'd (it never keeps the process alive; a pending
 * request's socket does) and `clear` drops it when the client closes.
 */

/** A member of the list: the request keeps its own links. */
export interface Timed {
  deadline: number
  previous: Timed | undefined
  next: Timed | undefined
  /** Called once, when the deadline passes before the request left the list. */
  expire(): void
}

/** One client's pending timeouts. */
export class Deadlines {
  private first: Timed | undefined = undefined
  private last: Timed | undefined = undefined
  private timer: ReturnType<typeof setTimeout> | undefined = undefined
  private armedFor = Number.POSITIVE_INFINITY

  /** Adds `entry`, due `millis` from now. */
  add(entry: Timed, millis: number): void {
    entry.deadline = performance.now() + millis
    let before = this.last
    while (before !== undefined && before.deadline > entry.deadline) before = before.previous
    entry.previous = before
    entry.next = before === undefined ? this.first : before.next
    if (entry.next === undefined) this.last = entry
    else entry.next.previous = entry
    if (before === undefined) this.first = entry
    else before.next = entry
    if (entry.deadline < this.armedFor) this.arm(entry.deadline)
  }

  /** Removes `entry` (completed or given up); nothing if it is not in the list. */
  remove(entry: Timed): void {
    if (entry.previous === undefined && this.first !== entry) return
    if (entry.previous === undefined) this.first = entry.next
    else entry.previous.next = entry.next
    if (entry.next === undefined) this.last = entry.previous
    else entry.next.previous = entry.previous
    entry.previous = undefined
    entry.next = undefined
  }

  /** Drops the timer (the client closed; its requests have left the list or are failed by the close). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.armedFor = Number.POSITIVE_INFINITY
  }

  private arm(deadline: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.armedFor = deadline
    const timer = setTimeout(this.fire, Math.max(0, deadline - performance.now()))
    // Node's timers can be unref'd; a browser's are plain numbers.
    if (typeof timer === "object" && typeof timer.unref === "function") timer.unref()
    this.timer = timer
  }

  private readonly fire = (): void => {
    this.timer = undefined
    this.armedFor = Number.POSITIVE_INFINITY
    // A timer may fire a fraction of a millisecond before performance.now() reaches the
    // deadline: then it is armed again, so no request ever times out early.
    const now = performance.now()
    while (this.first !== undefined && this.first.deadline <= now) {
      const due = this.first
      this.remove(due)
      due.expire()
    }
    if (this.first !== undefined) this.arm(this.first.deadline)
  }
}
