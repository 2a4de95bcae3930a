// The direct writer of our unix and TCP sockets (internal/directWrite.ts): frames are written
// from the callbacks, one write at a time, and keep the writer fiber's semantics when the
// peer stops reading: frames wait (and can be withdrawn), and the end fails every one of them.
import { assert, describe, it } from "@effect/vitest"
import { FramedConnection } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import { mkdtempSync } from "node:fs"
import * as Net from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { directWriterOf } from "../src/internal/directWrite.js"
import { makeNet } from "../src/internal/netSocket.js"

/** A unix socket server running `serve` on each connection; closed with its connections. */
const server = (serve: (conn: Net.Socket) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly path: string; readonly server: Net.Server; readonly conns: Array<Net.Socket> }>((resume) => {
      const path = join(mkdtempSync(join(tmpdir(), "kpdirect-")), "s.sock")
      const conns: Array<Net.Socket> = []
      const server = Net.createServer((conn) => {
        conns.push(conn)
        serve(conn)
      })
      server.listen(path, () => resume(Effect.succeed({ path, server, conns })))
    }),
    ({ conns, server }) =>
      Effect.async<void>((resume) => {
        for (const conn of conns) conn.destroy()
        server.close(() => resume(Effect.void))
      })
  )

/** Never reads: a daemon that stopped reading (§3.1). */
const stalledServer = server((conn) => conn.pause())

/** Echoes every byte back, so frames come back as frames. */
const echoServer = server((conn) => conn.pipe(conn))

describe("direct writes on unix sockets", () => {
  it.scoped("frames offered together arrive in order, and each is reported written", () =>
    Effect.gen(function*() {
      const { path } = yield* echoServer
      const socket = yield* makeNet({ path })
      const connection = yield* FramedConnection.open(socket)
      assert.isDefined(directWriterOf(socket), "the socket offers a direct writer once open")
      const written: Array<number> = []
      for (let i = 0; i < 50; i++) connection.offer(new Uint8Array([i, i]), (end) => end === undefined && written.push(i))
      const bodies: Array<number> = []
      while (bodies.length < 50) for (const body of yield* connection.takeAll) bodies.push(body[0]!)
      assert.deepStrictEqual(bodies, Array.from({ length: 50 }, (_, i) => i))
      assert.deepStrictEqual(written, Array.from({ length: 50 }, (_, i) => i))
    }))

  it.live("a peer that stopped reading holds the frames: withdrawn ones never go, the end fails the rest", () =>
    Effect.gen(function*() {
      const { path } = yield* stalledServer
      const socket = yield* makeNet({ path })
      const connection = yield* FramedConnection.open(socket)
      // Far more than the kernel buffers: the first write never completes.
      const big = new Uint8Array(4 << 20)
      const outcomes: Array<string> = []
      connection.offer(big, (end) => outcomes.push(end === undefined ? "written" : "ended"))
      const stuck = yield* Effect.either(Effect.timeout(connection.send(new Uint8Array(8)), "200 millis"))
      assert.isTrue(stuck._tag === "Left" && stuck.left._tag === "TimeoutException", "the write waits for the peer")
      let withdrawnCalled = false
      const withdraw = connection.offer(new Uint8Array(8), () => {
        withdrawnCalled = true
      })
      withdraw()
      connection.offer(new Uint8Array(8), (end) => outcomes.push(end === undefined ? "written" : `ended: ${end.reason}`))
      yield* connection.close("test over")
      assert.deepStrictEqual(outcomes, ["ended", "ended: test over"])
      assert.isFalse(withdrawnCalled)
    }).pipe(Effect.scoped))
})
