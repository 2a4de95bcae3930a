// The floor of `npm run bench:compare`: a raw Node unix socket with hand-written CBOR and a
// plain Map of query ids to callbacks. No validation, no reconnect, no timeouts: the least
// any client must do to ask kpclientd and read its answer.
import { randomFillSync } from "node:crypto"
import { readFileSync } from "node:fs"
import { createConnection } from "node:net"
import { concurrent, inFlight, operations, params, sequential } from "./params.mjs"

const config = process.argv[2]
const socketPath = /Address\s*=\s*"([^"]+)"/.exec(readFileSync(config, "utf8"))[1]
const enc = new TextEncoder()
const text = (s) => [0x60 + s.length, ...enc.encode(s)]
const bytesHead = (n) => (n < 24 ? [0x40 + n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 0xff])

const socket = createConnection(socketPath)
socket.setNoDelay?.(true)
const waiting = new Map()
const frames = []
let frameWaiter
let buffer = Buffer.alloc(0)
const QID = Buffer.from([...text("query_id"), 0x50])
socket.on("data", (chunk) => {
  buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
  while (buffer.length >= 4) {
    const length = buffer.readUInt32BE(0)
    if (buffer.length < 4 + length) break
    const body = buffer.subarray(4, 4 + length)
    buffer = buffer.subarray(4 + length)
    const at = body.indexOf(QID)
    if (at >= 0) {
      const key = body.toString("latin1", at + QID.length, at + QID.length + 16)
      const done = waiting.get(key)
      if (done !== undefined) {
        waiting.delete(key)
        done(body)
        continue
      }
    }
    frames.push(body)
    const wake = frameWaiter
    frameWaiter = undefined
    wake?.()
  }
})
const nextFrame = () =>
  new Promise((resolve) => {
    const check = () => (frames.length > 0 ? resolve(frames.shift()) : (frameWaiter = check))
    check()
  })
const frame = (body) => {
  const out = Buffer.allocUnsafe(4 + body.length)
  out.writeUInt32BE(body.length, 0)
  out.set(body, 4)
  return out
}
await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject))
// Handshake: status and PKI events, then our session token and its reply.
await nextFrame()
await nextFrame()
const token = randomFillSync(Buffer.alloc(16))
socket.write(frame(Buffer.from([0xa1, ...text("session_token"), 0xa1, ...text("client_instance_token"), 0x50, ...token])))
await nextFrame()

let pool = Buffer.alloc(0)
let poolAt = 0
const queryId = () => {
  if (poolAt + 16 > pool.length) {
    pool = randomFillSync(Buffer.alloc(4096))
    poolAt = 0
  }
  poolAt += 16
  return pool.subarray(poolAt - 16, poolAt)
}
const call = (head, tail) =>
  new Promise((resolve) => {
    const id = queryId()
    waiting.set(id.toString("latin1"), resolve)
    const body = Buffer.concat([head, id, tail])
    socket.write(frame(body))
  })
const seed = Buffer.alloc(32, 7)
const keypairHead = Buffer.from([0xa1, ...text("new_keypair"), 0xa2, ...text("query_id"), 0x50])
const keypairTail = Buffer.from([...text("seed"), ...bytesHead(32), ...seed])
const reply = await call(keypairHead, keypairTail)
const firstReplyAt = Date.now()
const FIRST = Buffer.from([...text("first_message_index"), 0x58, 104])
const at = reply.indexOf(FIRST) + FIRST.length
const index = reply.subarray(at, at + 104)
const indexHead = Buffer.from([0xa1, ...text("next_message_box_index"), 0xa2, ...text("query_id"), 0x50])
const indexTail = Buffer.from([...text("message_box_index"), 0x58, 104, ...index])
const ops = { new_keypair: () => call(keypairHead, keypairTail), next_message_box_index: () => call(indexHead, indexTail) }

const result = { client: "floor", firstReplyAt, ops: {} }
const T0 = performance.now()
const mark = (s) => process.env.BENCH_DEBUG && console.error(s, ((performance.now() - T0) / 1000).toFixed(2))
for (const name of operations) {
  const op = ops[name]
  const seq = await sequential(op, params.sequential, params.warmup)
  const throughput = {}
  let cpu
  for (const c of params.concurrency) {
    const run = await concurrent(op, c, params.ops)
    throughput[c] = run.opsPerSec
    if (c === 16) cpu = run.cpuUsPerOp
  }
  mark(name)
  result.ops[name] = { p50: seq.p50, p99: seq.p99, opsPerSec: throughput, cpuUsPerOp: cpu }
}
result.memory = await inFlight(ops.next_message_box_index, params.inFlight)
mark("memory")
console.log(JSON.stringify(result))
socket.destroy()
