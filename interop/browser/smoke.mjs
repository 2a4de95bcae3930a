// Browser smoke test: bundle page.ts (core + transport, their "browser" builds) with esbuild,
// serve it on 127.0.0.1, open it in headless Chromium, and read window.__smoke over the
// Chrome DevTools Protocol. Needs Node's WebSocket (node --experimental-websocket on Node 20).
//
//   node --experimental-websocket smoke.mjs WS_URL [CHROMIUM] [TIMEOUT_SECONDS]
import * as esbuild from "esbuild"
import { spawn } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer } from "node:http"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const [wsUrl, chromium = "/usr/bin/chromium", timeoutSeconds = "150"] = process.argv.slice(2)
if (wsUrl === undefined) {
  console.error("usage: smoke.mjs WS_URL [CHROMIUM] [TIMEOUT_SECONDS]")
  process.exit(2)
}
const deadline = Date.now() + Number(timeoutSeconds) * 1000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const t0 = Date.now()
const bundle = await esbuild.build({
  entryPoints: [join(here, "page.ts")],
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  write: false,
  minify: true,
  logLevel: "warning"
})
const pageJs = bundle.outputFiles[0].contents
console.log(`bundled page.js: ${(pageJs.length / 1024).toFixed(0)} KiB in ${Date.now() - t0} ms`)
if (/(?:from|import\(|require\()\s*["']node:/.test(new TextDecoder().decode(pageJs))) {
  throw new Error("the browser bundle still imports node: modules")
}

const indexHtml = readFileSync(join(here, "index.html"))
const server = createServer((req, res) => {
  const path = new URL(req.url ?? "/", "http://x").pathname
  if (path === "/" || path === "/index.html") res.writeHead(200, { "content-type": "text/html" }).end(indexHtml)
  else if (path === "/page.js") res.writeHead(200, { "content-type": "text/javascript" }).end(pageJs)
  else res.writeHead(404).end()
})
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve))
const pageUrl = `http://127.0.0.1:${server.address().port}/?ws=${encodeURIComponent(wsUrl)}`

const profile = mkdtempSync(join(tmpdir(), "kp-chromium-"))
const browser = spawn(chromium, [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  `--user-data-dir=${profile}`,
  "--remote-debugging-port=0",
  "--remote-debugging-address=127.0.0.1",
  pageUrl
], { stdio: ["ignore", "ignore", "pipe"] })
let browserLog = ""
browser.stderr.on("data", (chunk) => {
  browserLog += chunk
})

let outcome
try {
  // Chromium writes its DevTools port into the profile directory.
  const portFile = join(profile, "DevToolsActivePort")
  while (!existsSync(portFile) || readFileSync(portFile, "utf8").split("\n")[0] === "") {
    if (Date.now() > deadline || browser.exitCode !== null) throw new Error(`chromium did not start:\n${browserLog}`)
    await sleep(100)
  }
  const port = readFileSync(portFile, "utf8").split("\n")[0]
  let target
  while (target === undefined) {
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()
    target = list.find((t) => t.type === "page" && t.url.startsWith(pageUrl.split("?")[0]))
    if (target === undefined) await sleep(100)
  }
  const cdp = new WebSocket(target.webSocketDebuggerUrl)
  await new Promise((resolve, reject) => {
    cdp.onopen = resolve
    cdp.onerror = reject
  })
  let id = 0
  const waiting = new Map()
  cdp.onmessage = (message) => {
    const data = JSON.parse(message.data)
    if (data.id !== undefined) waiting.get(data.id)?.(data)
    else if (data.method === "Runtime.consoleAPICalled") {
      console.log(`  [page] ${data.params.args.map((a) => a.value ?? a.description ?? "").join(" ")}`)
    } else if (data.method === "Runtime.exceptionThrown") {
      console.log(`  [page exception] ${data.params.exceptionDetails.exception?.description ?? data.params.exceptionDetails.text}`)
    }
  }
  const send = (method, params = {}) =>
    new Promise((resolve) => {
      const n = ++id
      waiting.set(n, resolve)
      cdp.send(JSON.stringify({ id: n, method, params }))
    })
  await send("Runtime.enable")
  while (outcome === undefined) {
    if (Date.now() > deadline) throw new Error(`no outcome within ${timeoutSeconds} s`)
    const reply = await send("Runtime.evaluate", {
      expression: "window.__smoke === undefined ? null : JSON.stringify(window.__smoke)",
      returnByValue: true
    })
    const value = reply.result?.result?.value
    if (typeof value === "string") outcome = JSON.parse(value)
    else await sleep(500)
  }
  const version = await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()
  console.log(`browser: ${version.Browser}`)
  cdp.close()
} finally {
  browser.kill("SIGTERM")
  await new Promise((resolve) => (browser.exitCode !== null ? resolve() : browser.once("exit", resolve)))
  server.close()
  rmSync(profile, { recursive: true, force: true })
}
console.log(JSON.stringify(outcome, null, 2))
console.log(`browser smoke test ${outcome.ok ? "passed" : "FAILED"} in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
process.exit(outcome.ok ? 0 : 1)
