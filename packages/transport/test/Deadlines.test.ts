import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import { Deadlines, type Timed } from "../src/internal/deadlines.js"

const entry = (name: string, expired: Array<string>): Timed => ({
  deadline: 0,
  previous: undefined,
  next: undefined,
  expire: () => {
    expired.push(name)
  }
})

describe("Deadlines (one timer for a client's live-clock timeouts)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("expires each entry once, at its deadline, in deadline order, on one timer", () => {
    const expired: Array<string> = []
    const deadlines = new Deadlines()
    deadlines.add(entry("a", expired), 100)
    deadlines.add(entry("b", expired), 300)
    deadlines.add(entry("c", expired), 50)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(49)
    expect(expired).toEqual([])
    vi.advanceTimersByTime(1)
    expect(expired).toEqual(["c"])
    vi.advanceTimersByTime(50)
    expect(expired).toEqual(["c", "a"])
    vi.advanceTimersByTime(1000)
    expect(expired).toEqual(["c", "a", "b"])
    expect(vi.getTimerCount()).toBe(0)
  })

  it("a removed entry never expires, and an empty list keeps no timer", () => {
    const expired: Array<string> = []
    const deadlines = new Deadlines()
    const a = entry("a", expired)
    const b = entry("b", expired)
    deadlines.add(a, 100)
    deadlines.add(b, 100)
    deadlines.remove(a)
    deadlines.remove(a)
    vi.advanceTimersByTime(100)
    expect(expired).toEqual(["b"])
    deadlines.add(a, 100)
    deadlines.remove(a)
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1000)
    expect(expired).toEqual(["b"])
  })

  it("keeps order among equal and mixed timeouts added over time", () => {
    const expired: Array<string> = []
    const deadlines = new Deadlines()
    for (let i = 0; i < 5; i++) {
      deadlines.add(entry(`long${i}`, expired), 1000)
      deadlines.add(entry(`short${i}`, expired), 10)
      vi.advanceTimersByTime(1)
    }
    vi.advanceTimersByTime(20)
    expect(expired).toEqual(["short0", "short1", "short2", "short3", "short4"])
    vi.advanceTimersByTime(1000)
    expect(expired.slice(5)).toEqual(["long0", "long1", "long2", "long3", "long4"])
  })
})
