/**
 * The JSON `fields` convention shared by our vectors and the Go ones: byte strings as
 * lowercase hex, integers beyond 2^53 as decimal strings, nil as null. These helpers move
 * between that JSON and the SDK's message values.
 */

/** Fields whose strings are text, not hex. */
const textFields = new Set([
  "err",
  "display_name",
  "identifier",
  "pki_signature_scheme",
  "wire_kem_scheme",
  "addresses",
  "identity_public_key_pem",
  "link_public_key_pem",
  "NIKEName",
  "KEMName",
  "SignatureSchemeName"
])

/** uint64 fields, the only ones that can exceed 2^53. */
const bigFields = new Set(["counter", "failed_envelope_index", "epoch"])

const fromHex = (hex: string): Uint8Array => {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) throw new Error(`not lowercase hex: ${hex.slice(0, 20)}`)
  return new Uint8Array(Buffer.from(hex, "hex"))
}

const toWire = (value: unknown, field: string): unknown => {
  if (value === null || typeof value === "boolean") return value
  if (typeof value === "number") return bigFields.has(field) ? BigInt(value) : value
  if (typeof value === "string") {
    if (textFields.has(field)) return value
    if (bigFields.has(field)) return BigInt(value)
    return fromHex(value)
  }
  if (Array.isArray(value)) return value.map((v) => toWire(v, field))
  if (typeof value === "object") return wireOf(value as Record<string, unknown>)
  throw new Error(`unexpected JSON value in ${field}`)
}

/** Vector JSON fields as the wire-shaped object a message Schema decodes. */
export const wireOf = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, toWire(v, k)]))

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

/** A decoded SDK value in the vector JSON convention (tags dropped, secrets as hex). */
export const jsonOfValue = (value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (typeof value === "boolean" || typeof value === "string") return value
  if (typeof value === "number") return value
  if (typeof value === "bigint") return value > MAX_SAFE ? value.toString() : Number(value)
  if (value instanceof Uint8Array) return Buffer.from(value).toString("hex")
  if (typeof value === "object" && "bytes" in value && value.bytes instanceof Uint8Array) return Buffer.from(value.bytes).toString("hex")
  if (Array.isArray(value)) return value.map(jsonOfValue)
  if (value instanceof Map) return Object.fromEntries(Array.from(value.entries(), ([k, v]) => [String(k), jsonOfValue(v)]))
  if (typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).filter(([k]) => k !== "_tag").map(([k, v]) => [k, jsonOfValue(v)])
    )
  }
  throw new Error(`unexpected value of type ${typeof value}`)
}

const isZero = (value: unknown): boolean =>
  value === null || value === false || value === 0 || value === "" || (Array.isArray(value) && value.length === 0)

/**
 * Differences between expected vector fields and a decoded message: every named field must
 * match; a field the vector leaves out (Go omitempty) must have decoded to its zero value.
 */
export const fieldDiffs = (expected: Record<string, unknown>, decoded: unknown, path = ""): Array<string> => {
  const actual = jsonOfValue(decoded) as Record<string, unknown>
  const diffs: Array<string> = []
  for (const [key, want] of Object.entries(expected)) {
    if (!(key in actual)) {
      diffs.push(`${path}${key}: not a field of the decoded message`)
      continue
    }
    if (JSON.stringify(actual[key]) !== JSON.stringify(want)) {
      diffs.push(`${path}${key}: expected ${JSON.stringify(want)}, decoded ${JSON.stringify(actual[key])}`)
    }
  }
  for (const [key, got] of Object.entries(actual)) {
    if (!(key in expected) && !isZero(got)) diffs.push(`${path}${key}: absent from the vector but decoded as ${JSON.stringify(got)}`)
  }
  return diffs
}
