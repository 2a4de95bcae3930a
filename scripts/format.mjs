// dprint, run on Node: formats the files that dprint.json includes with the wasm plugins it
// names, through @dprint/formatter (no native dprint binary to install, so `npm ci` needs no
// platform package or install script). dprint.json stays the one config, usable by the dprint
// CLI as is.
//
//   node scripts/format.mjs           format in place, print the files changed
//   node scripts/format.mjs --check   change nothing; list the files that would change, exit 1 if any
import { createFromBuffer } from "@dprint/formatter"
import { execFileSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { extname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const check = process.argv.includes("--check")
const config = JSON.parse(readFileSync(join(root, "dprint.json"), "utf8"))

// Globs of dprint.json: `**`, `*`, `?` and `{a,b}`; an exclude also covers what is under it.
const globToRegExp = (glob) => {
  let source = ""
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]
    if (c === "*" && glob[i + 1] === "*") {
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*"
      i += glob[i + 2] === "/" ? 2 : 1
    } else if (c === "*") source += "[^/]*"
    else if (c === "?") source += "[^/]"
    else if (c === "{") source += "(?:"
    else if (c === "}") source += ")"
    else if (c === "," && source.lastIndexOf("(?:") > source.lastIndexOf(")")) source += "|"
    else source += c.replace(/[.+^$()|[\]\\]/g, "\\$&")
  }
  return new RegExp(`^${source.replace(/^\.\//, "")}$`)
}
const includes = config.includes.map(globToRegExp)
const excludes = config.excludes.map(globToRegExp)
const excluded = (path) => {
  const parts = path.split("/")
  return parts.some((_, i) => excludes.some((re) => re.test(parts.slice(0, i + 1).join("/"))))
}

const global = {}
for (const key of ["lineWidth", "indentWidth", "useTabs", "newLineKind"]) if (key in config) global[key] = config[key]
const byExtension = new Map()
for (const plugin of config.plugins) {
  const formatter = createFromBuffer(readFileSync(join(root, plugin)))
  const { configKey } = formatter.getPluginInfo()
  formatter.setConfig(global, config[configKey] ?? {})
  const diagnostics = formatter.getConfigDiagnostics()
  if (diagnostics.length > 0) {
    console.error(`dprint.json [${configKey}]: ${diagnostics.map((d) => `${d.propertyName}: ${d.message}`).join("; ")}`)
    process.exit(2)
  }
  for (const extension of formatter.getFileMatchingInfo().fileExtensions) byExtension.set(extension.toLowerCase(), formatter)
}

// Code blocks inside markdown go to the plugin for their language; others stay as they are.
const format = (filePath, fileText) => {
  const formatter = byExtension.get(extname(filePath).slice(1).toLowerCase())
  if (formatter === undefined) return fileText
  return formatter.formatText({ filePath, fileText }, (request) => format(request.filePath, request.fileText))
}

const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" })
  .split("\0")
  .filter((path) => path !== "" && includes.some((re) => re.test(path)) && !excluded(path))
let changed = 0
let failed = 0
for (const path of files) {
  let text
  try {
    text = readFileSync(join(root, path), "utf8")
  } catch {
    continue // listed by git but deleted in the work tree
  }
  let formatted
  try {
    formatted = format(path, text)
  } catch (error) {
    failed++
    console.error(`${path}: ${error instanceof Error ? error.message : String(error)}`)
    continue
  }
  if (formatted === text) continue
  changed++
  console.log(path)
  if (!check) writeFileSync(join(root, path), formatted)
}
const summary = `${changed} of ${files.length} files ${check ? "would be reformatted" : "reformatted"}${
  failed > 0 ? `, ${failed} could not be parsed` : ""
}`
console.error(summary)
process.exit(failed > 0 || (check && changed > 0) ? 1 : 0)
