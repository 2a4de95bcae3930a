/** The three thinclient.toml layouts seen in the field, checked key by key like the Go loader. */
import { PigeonholeGeometry, SphinxGeometry, ThinClientConfigError } from "@katzenpost-effect/core"
import type { Geometry } from "@katzenpost-effect/core"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { parseTcpAddress, unixAddress, wsAddress } from "./address.js"
import type { DaemonAddress } from "./address.js"

/** What a thinclient.toml says, before defaults are applied. */
export interface ParsedToml {
  readonly layout: "v0.0.73" | "newer" | "rc1"
  readonly address: DaemonAddress
  readonly geometry: Geometry | undefined
}

type Table = { readonly [key: string]: unknown }

const isTable = (value: unknown): value is Table => typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)

const fail = (reason: string) => Either.left(new ThinClientConfigError({ reason }))

/** The first key of `table` not in `allowed`, named with its full dotted path. */
const unknownKey = (table: Table, allowed: ReadonlyArray<string>, prefix: string): Either.Either<void, ThinClientConfigError> => {
  for (const key of Object.keys(table)) {
    if (!allowed.includes(key)) return fail(`unknown key "${prefix}${key}"`)
  }
  return Either.void
}

const section = (table: Table, key: string, prefix = ""): Either.Either<Table, ThinClientConfigError> => {
  const value = table[key]
  if (value === undefined) return fail(`missing section [${prefix}${key}]`)
  return isTable(value) ? Either.right(value) : fail(`"${prefix}${key}" must be a table`)
}

const str = (table: Table, key: string, prefix: string, required: boolean): Either.Either<string, ThinClientConfigError> => {
  const value = table[key]
  if (value === undefined) return required ? fail(`missing key "${prefix}${key}"`) : Either.right("")
  return typeof value === "string" ? Either.right(value) : fail(`"${prefix}${key}" must be a string`)
}

const geometrySection = <A, I>(
  table: Table,
  key: string,
  schema: Schema.Schema<A, I>
): Either.Either<A, ThinClientConfigError> =>
  Either.flatMap(section(table, key), (body) =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema, { onExcessProperty: "error", errors: "all" })(body),
      (error) => new ThinClientConfigError({ reason: describeGeometryIssue(error, key) })
    ))

const describeGeometryIssue = (error: ParseResult.ParseError, section: string): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const first = issues[0]
  if (first === undefined) return `invalid [${section}]`
  const key = `${section}.${first.path.map(String).join(".")}`
  return first._tag === "Unexpected" ? `unknown key "${key}"` : `invalid "${key}": ${first.message}`
}

const dial = (root: Table): Either.Either<DaemonAddress, ThinClientConfigError> =>
  Either.gen(function*() {
    const body = yield* section(root, "Dial")
    yield* unknownKey(body, ["Unix", "Tcp", "Ws"], "Dial.")
    const present = ["Unix", "Tcp", "Ws"].filter((key) => body[key] !== undefined)
    if (present.length !== 1) {
      return yield* fail(
        present.length === 0
          ? "missing section: [Dial] needs exactly one of [Dial.Unix], [Dial.Tcp] or [Dial.Ws]"
          : `[Dial] needs exactly one transport, found ${present.map((key) => `[Dial.${key}]`).join(" and ")}`
      )
    }
    if (body["Ws"] !== undefined) {
      const ws = yield* section(body, "Ws", "Dial.")
      yield* unknownKey(ws, ["Address"], "Dial.Ws.")
      return yield* wsAddress(yield* str(ws, "Address", "Dial.Ws.", true))
    }
    if (body["Unix"] !== undefined) {
      const unix = yield* section(body, "Unix", "Dial.")
      yield* unknownKey(unix, ["Address"], "Dial.Unix.")
      return yield* unixAddress(yield* str(unix, "Address", "Dial.Unix.", true))
    }
    const tcp = yield* section(body, "Tcp", "Dial.")
    yield* unknownKey(tcp, ["Address", "Network"], "Dial.Tcp.")
    const network = yield* str(tcp, "Network", "Dial.Tcp.", false)
    return yield* parseTcpAddress(yield* str(tcp, "Address", "Dial.Tcp.", true), network)
  })

const geometry = (root: Table, required: boolean): Either.Either<Geometry | undefined, ThinClientConfigError> =>
  Either.gen(function*() {
    const hasSphinx = root["SphinxGeometry"] !== undefined
    const hasPigeonhole = root["PigeonholeGeometry"] !== undefined
    if (!required && !hasSphinx && !hasPigeonhole) return undefined
    const sphinx = yield* geometrySection(root, "SphinxGeometry", SphinxGeometry)
    const pigeonhole = yield* geometrySection(root, "PigeonholeGeometry", PigeonholeGeometry)
    return { sphinx, pigeonhole }
  })

/** Decodes the parsed TOML tables of a thinclient.toml of any known layout. */
export const decodeToml = (root: Table): Either.Either<ParsedToml, ThinClientConfigError> =>
  Either.gen(function*() {
    if (root["Dial"] !== undefined) {
      yield* unknownKey(root, ["Dial", "SphinxGeometry", "PigeonholeGeometry"], "")
      const address = yield* dial(root)
      const hasGeometry = root["SphinxGeometry"] !== undefined || root["PigeonholeGeometry"] !== undefined
      // v0.0.73 requires both geometry sections; newer daemons reject them, so their files have none.
      const geo = yield* geometry(root, hasGeometry)
      return { layout: geo === undefined ? "newer" : "v0.0.73", address, geometry: geo }
    }
    if (root["Network"] !== undefined || root["Address"] !== undefined) {
      // rc1's loader (toml.Unmarshal) ignored keys it did not know; so do we for its layout.
      const network = yield* str(root, "Network", "", true)
      const address = yield* str(root, "Address", "", true)
      const parsed = network === "unix" ? yield* unixAddress(address) : yield* parseTcpAddress(address, network)
      return { layout: "rc1", address: parsed, geometry: yield* geometry(root, false) }
    }
    yield* unknownKey(root, ["SphinxGeometry", "PigeonholeGeometry"], "")
    return yield* fail("missing section [Dial]")
  })

/** Whether a parsed TOML value is a table (for the caller's root check). */
export const isTomlTable = isTable
