/**
 * `make` for the request structs without Schema's per-call walk over every field's AST: the
 * fields with defaults are found once, so `make(props, true)` (what the SDK and apps call on
 * every request) is a copy plus the missing defaults. With validation it is Schema's own.
 */
import * as Schema from "effect/Schema"

type Defaults = ReadonlyArray<readonly [string, () => unknown]>

const defaultsOf = (fields: Schema.Struct.Fields): Defaults => {
  const defaults: Array<readonly [string, () => unknown]> = []
  for (const key of Object.keys(fields)) {
    const field = fields[key]
    if (!Schema.isPropertySignature(field)) continue
    const ast = field.ast
    const value = ast._tag === "PropertySignatureDeclaration" ? ast.defaultValue : ast.to.defaultValue
    if (value !== undefined) defaults.push([key, value])
  }
  return defaults
}

const validationDisabled = (options: Schema.MakeOptions | undefined): boolean =>
  typeof options === "boolean" ? options : options?.disableValidation === true

/** `schema` with a `make` that skips the per-call field walk when validation is disabled (Schema's own otherwise). */
export const fastMake = <S extends { readonly fields: Schema.Struct.Fields; readonly make: (...args: Array<never>) => unknown }>(
  schema: S
): S => {
  const defaults = defaultsOf(schema.fields)
  const validated = schema.make
  const make = (props: object | void, options?: Schema.MakeOptions): unknown => {
    if (!validationDisabled(options)) {
      const result: unknown = Reflect.apply(validated, schema, [props, options])
      return result
    }
    // Object.assign, not a spread: V8 gives a spread literal that then grows a key a slow
    // shape (about 10× the cost per call here).
    const out: { [key: string]: unknown } = Object.assign<{ [key: string]: unknown }, object | void>({}, props)
    for (const [key, value] of defaults) if (out[key] === undefined) out[key] = value()
    return out
  }
  Object.defineProperty(schema, "make", { value: make, writable: true, configurable: true })
  return schema
}
