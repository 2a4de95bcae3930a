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

  it("a removed entry never expires; an emptied list keeps its timer until it fires once", () => {
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
    expect(vi.getTimerCount()).toBe(0)
    deadlines.add(a, 100)
    deadlines.remove(a)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(100)
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(1000)
    expect(expired).toEqual(["b"])
  })

  it("one request at a time with one timeout touches the timer once per period, not per request", () => {
    const expired: Array<string> = []
    const deadlines = new Deadlines()
    const armed = vi.spyOn(globalThis, "setTimeout")
    for (let i = 0; i < 1000; i++) {
      const one = entry(`r${i}`, expired)
      deadlines.add(one, 100)
      vi.advanceTimersByTime(i % 20 === 0 ? 1 : 0)
      deadlines.remove(one)
    }
    // 50 ms of calls: the first arms the timer; none re-arms it (later deadlines only).
    expect(armed).toHaveBeenCalledTimes(1)
    const late = entry("late", expired)
    deadlines.add(late, 100)
    vi.advanceTimersByTime(100)
    // The first timer fired with nothing due and re-armed for `late`, which then expired.
    expect(expired).toEqual(["late"])
    expect(armed).toHaveBeenCalledTimes(2)
    expect(vi.getTimerCount()).toBe(0)
    armed.mockRestore()
  })

  it("clear drops the timer", () => {
    const expired: Array<string> = []
    const deadlines = new Deadlines()
    const a = entry("a", expired)
    deadlines.add(a, 100)
    deadlines.remove(a)
    deadlines.clear()
    expect(vi.getTimerCount()).toBe(0)
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

describe("Deadlines on the real timers", () => {
  it("never keep the process alive: the timer is unref'd", () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
    const before = timeouts()
    const deadlines = new Deadlines()
    const a = entry("a", [])
    deadlines.add(a, 60_000)
    expect(timeouts()).toBe(before)
    deadlines.remove(a)
    deadlines.clear()
  })
})
