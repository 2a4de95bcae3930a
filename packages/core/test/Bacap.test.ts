import { assert, describe, it } from "@effect/vitest"
import { Bacap, MessageBoxIndex, WriteCap } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { hkdfSync } from "node:crypto"

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex")
const U64_MAX = (1n << 64n) - 1n

/** An index with the given counter and a recognisable key schedule. */
const indexAt = (counter: bigint, fill = 0x11): MessageBoxIndex => {
  const bytes = new Uint8Array(104).fill(fill)
  new DataView(bytes.buffer).setBigUint64(0, counter, true)
  return new MessageBoxIndex(bytes)
}

/** One NextIndex step written from the hpqc description with Node's own HKDF (OpenSSL BLAKE2b-512). */
const referenceStep = (index: Uint8Array): Uint8Array => {
  const okm = new Uint8Array(hkdfSync("blake2b512", index.subarray(72, 104), new Uint8Array(0), index.subarray(0, 8), 96))
  const next = new Uint8Array(104)
  new DataView(next.buffer).setBigUint64(0, new DataView(index.buffer, index.byteOffset).getBigUint64(0, true) + 1n, true)
  next.set(okm.subarray(64, 96), 8) // K_i
  next.set(okm.subarray(32, 64), 40) // E_i
  next.set(okm.subarray(0, 32), 72) // HKDF state
  return next
}

describe("Bacap.counter", () => {
  it("reads Idx64 as the first 8 bytes, little-endian", () => {
    const bytes = new Uint8Array(104)
    bytes.set([0x0c, 0x19, 0x9f, 0x92, 0x5c, 0x2a, 0xf5, 0xf8])
    assert.strictEqual(Bacap.counter(new MessageBoxIndex(bytes)), 17939291267785496844n)
  })
  it("reads an index that is a view into a larger buffer", () => {
    const big = new Uint8Array(200)
    big[10] = 5
    assert.strictEqual(Bacap.counter(new MessageBoxIndex(big.subarray(10, 114))), 5n)
  })
})

describe("a MessageBoxIndex of the wrong length", () => {
  const lengths = [0, 3, 8, 103, 105, 168]
  it("advanceTo and nextIndex refuse it with InvalidArgument naming the index, never its bytes", () => {
    for (const length of lengths) {
      const index = new MessageBoxIndex(new Uint8Array(length).fill(0xab))
      for (const result of [Bacap.nextIndex(index), Bacap.advanceTo(index, 5n)]) {
        assert.isTrue(Either.isLeft(result), `length ${length}`)
        if (Either.isLeft(result)) {
          assert.strictEqual(result.left._tag, "InvalidArgument")
          assert.strictEqual(result.left.argument, "index")
          assert.notInclude(result.left.message, "ab")
        }
      }
    }
  })
  it("validateIndex accepts exactly 104 bytes and names the argument it is given", () => {
    assert.isTrue(Either.isRight(Bacap.validateIndex(indexAt(1n))))
    const refused = Bacap.validateIndex(new MessageBoxIndex(new Uint8Array(10)), "start")
    assert.isTrue(Either.isLeft(refused))
    if (Either.isLeft(refused)) assert.strictEqual(refused.left.argument, "start")
  })
  it("counter never throws: fewer than 8 bytes read as zero-padded little-endian", () => {
    assert.strictEqual(Bacap.counter(new MessageBoxIndex(new Uint8Array(0))), 0n)
    assert.strictEqual(Bacap.counter(new MessageBoxIndex(new Uint8Array([1, 2]))), 0x0201n)
    assert.strictEqual(Bacap.counter(new MessageBoxIndex(new Uint8Array(8).fill(0xff))), U64_MAX)
  })
})

describe("Bacap.nextIndex and advanceTo", () => {
  it.prop("nextIndex is one HKDF-BLAKE2b-512 step and counter + 1", [fc.uint8Array({ minLength: 104, maxLength: 104 })], ([bytes]) => {
    fc.pre(Bacap.counter(new MessageBoxIndex(bytes)) < U64_MAX)
    const next = Either.getOrThrow(Bacap.nextIndex(new MessageBoxIndex(bytes)))
    assert.strictEqual(hex(next.bytes), hex(referenceStep(bytes)))
    assert.strictEqual(Bacap.counter(next), Bacap.counter(new MessageBoxIndex(bytes)) + 1n)
  }, { fastCheck: { numRuns: 50 } })

  it("advancing to the same index returns the input itself", () => {
    const index = indexAt(42n)
    assert.strictEqual(Either.getOrThrow(Bacap.advanceTo(index, 42n)), index)
  })

  it("advancing backwards is refused with InvalidArgument naming the target", () => {
    const result = Bacap.advanceTo(indexAt(42n), 41n)
    assert.isTrue(Either.isLeft(result))
    if (Either.isLeft(result)) {
      assert.strictEqual(result.left._tag, "InvalidArgument")
      assert.strictEqual(result.left.argument, "target")
    }
  })

  it("advanceTo(n + 3) equals three nextIndex steps", () => {
    let index = indexAt(7n, 0x5a)
    const jumped = Either.getOrThrow(Bacap.advanceTo(index, 10n))
    for (let i = 0; i < 3; i++) index = Either.getOrThrow(Bacap.nextIndex(index))
    assert.strictEqual(hex(jumped.bytes), hex(index.bytes))
  })

  it("the last index of the 64-bit space has no successor", () => {
    const last = indexAt(U64_MAX)
    assert.isTrue(Either.isLeft(Bacap.nextIndex(last)))
    assert.isTrue(Either.isLeft(Bacap.advanceTo(indexAt(U64_MAX - 1n), U64_MAX + 1n)))
    assert.strictEqual(Bacap.counter(Either.getOrThrow(Bacap.advanceTo(indexAt(U64_MAX - 1n), U64_MAX))), U64_MAX)
  })

  it("does not modify its input", () => {
    const index = indexAt(1n)
    const before = hex(index.bytes)
    Either.getOrThrow(Bacap.advanceTo(index, 5n))
    assert.strictEqual(hex(index.bytes), before)
  })
})

describe("WriteCap layout", () => {
  const bytes = Uint8Array.from({ length: 168 }, (_, i) => i)
  const writeCap = new WriteCap(bytes)

  it("readCapOf is the root public key (bytes 32..63) followed by the first index (64..167)", () => {
    assert.strictEqual(hex(Bacap.readCapOf(writeCap).bytes), hex(bytes.subarray(32, 168)))
    assert.strictEqual(Bacap.readCapOf(writeCap).bytes.length, 136)
  })

  it("firstIndex is bytes 64..167 and a copy, not a view", () => {
    const first = Bacap.firstIndex(writeCap)
    assert.strictEqual(hex(first.bytes), hex(bytes.subarray(64, 168)))
    const copy = new Uint8Array(bytes)
    const fromCopy = Bacap.firstIndex(new WriteCap(copy))
    copy[64] = 0xff
    assert.strictEqual(fromCopy.bytes[0], 64)
  })

  it("writeCapHash is BLAKE2b-256 of the 168 bytes", () => {
    // python3 -c "import hashlib; print(hashlib.blake2b(bytes(range(168)), digest_size=32).hexdigest())"
    assert.strictEqual(hex(Bacap.writeCapHash(writeCap)), "d244f4ce129ef1c84eb40d30da099a2d65682e025e132b94f630fa3fdbda05af")
  })

  it("blake2b256 matches the published BLAKE2b-256 answers", () => {
    assert.strictEqual(hex(Bacap.blake2b256(new Uint8Array(0))), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
    assert.strictEqual(hex(Bacap.blake2b256(new TextEncoder().encode("abc"))), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
  })
})

describe("Bacap.newKeypair", () => {
  it("refuses a seed that is not 32 bytes with InvalidArgument naming the seed, never its bytes", () => {
    for (const length of [0, 16, 31, 33, 64]) {
      const result = Bacap.newKeypair(new Uint8Array(length).fill(0xab))
      assert.isTrue(Either.isLeft(result), `length ${length}`)
      if (Either.isLeft(result)) {
        assert.strictEqual(result.left._tag, "InvalidArgument")
        assert.strictEqual(result.left.argument, "seed")
        assert.notInclude(result.left.message, "ab")
      }
    }
  })
  it("is deterministic and lays the caps out as hpqc does", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const a = Either.getOrThrow(Bacap.newKeypair(seed))
        const b = Either.getOrThrow(Bacap.newKeypair(seed.slice()))
        assert.strictEqual(hex(a.writeCap.bytes), hex(b.writeCap.bytes))
        assert.strictEqual(a.writeCap.bytes.length, 168)
        assert.strictEqual(hex(Bacap.readCapOf(a.writeCap).bytes), hex(a.readCap.bytes))
        assert.strictEqual(hex(Bacap.firstIndex(a.writeCap).bytes), hex(a.firstIndex.bytes))
      }),
      { numRuns: 50 }
    )
  })
  it("never shows the caps it derives", () => {
    const { writeCap } = Either.getOrThrow(Bacap.newKeypair(new Uint8Array(32)))
    assert.notInclude(String(writeCap), hex(writeCap.bytes).slice(0, 16))
  })
})
