/** Turns a ParseError into a one-line reason that names fields but never shows values. */
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as AST from "effect/SchemaAST"

const describe = (ast: AST.AST): string =>
  Option.getOrElse(AST.getIdentifierAnnotation(ast), () => Option.getOrElse(AST.getTitleAnnotation(ast), () => String(AST.encodedAST(ast))))

const walk = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, out: Array<string>): void => {
  const at = path.length === 0 ? "" : `${path.map(String).join(".")}: `
  switch (issue._tag) {
    case "Pointer":
      walk(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])], out)
      return
    case "Composite":
      for (const inner of Array.isArray(issue.issues) ? issue.issues : [issue.issues]) walk(inner, path, out)
      return
    case "Refinement":
      if (issue.kind === "From") walk(issue.issue, path, out)
      else {out.push(
          `${at}${issue.issue._tag === "Type" && issue.issue.message !== undefined ? issue.issue.message : `expected ${describe(issue.ast)}`}`
        )}
      return
    case "Transformation":
      walk(issue.issue, path, out)
      return
    case "Type":
      out.push(`${at}${issue.message ?? `expected ${describe(issue.ast)}`}`)
      return
    case "Missing":
      out.push(`${at}is missing`)
      return
    case "Unexpected":
      out.push(`${at}is unexpected`)
      return
    case "Forbidden":
      out.push(`${at}cannot be decoded synchronously`)
      return
  }
}

/** Field paths and expectations of a parse error, without the values that failed. */
export const formatIssue = (error: ParseResult.ParseError): string => {
  const out: Array<string> = []
  walk(error.issue, [], out)
  return out.length === 0 ? "invalid value" : out.slice(0, 5).join("; ")
}
