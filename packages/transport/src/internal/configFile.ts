import type * as FileSystem from "@effect/platform/FileSystem"
import { ThinClientConfigError } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** A thinclient.toml is a few KiB; anything past this is not one. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024

const describeType = (type: FileSystem.File.Type): string =>
  type === "Directory"
    ? "a directory"
    : type === "FIFO"
    ? "a FIFO"
    : type === "Socket"
    ? "a socket"
    : type === "CharacterDevice" || type === "BlockDevice"
    ? "a device"
    : `of type ${type}`

const refuse = (path: string, reason: string) => new ThinClientConfigError({ path, reason })

const checkInfo = (path: string, info: FileSystem.File.Info): Effect.Effect<void, ThinClientConfigError> =>
  info.type !== "File"
    ? Effect.fail(refuse(path, `not a regular file (it is ${describeType(info.type)})`))
    : Number(info.size) > MAX_CONFIG_FILE_BYTES
    ? Effect.fail(refuse(path, `too large for a thinclient.toml (${info.size} bytes; at most ${MAX_CONFIG_FILE_BYTES})`))
    : Effect.void

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * Reads a config file as UTF-8 text: only a regular file (checked by path before opening, so
 * a FIFO is never opened and cannot block; checked again on the open file), and at most
 * `MAX_CONFIG_FILE_BYTES` (never more is read, even from a file that grew meanwhile).
 */
export const readConfigText = (
  fs: FileSystem.FileSystem,
  path: string
): Effect.Effect<string, ThinClientConfigError> =>
  Effect.scoped(
    Effect.gen(function*() {
      const cannotRead = (error: { readonly message: string }) => refuse(path, `cannot read: ${error.message}`)
      yield* checkInfo(path, yield* Effect.mapError(fs.stat(path), cannotRead))
      const file = yield* Effect.mapError(fs.open(path, { flag: "r" }), cannotRead)
      yield* checkInfo(path, yield* Effect.mapError(file.stat, cannotRead))
      const bytes = Option.getOrElse(
        yield* Effect.mapError(file.readAlloc(MAX_CONFIG_FILE_BYTES + 1), cannotRead),
        () => new Uint8Array(0)
      )
      if (bytes.length > MAX_CONFIG_FILE_BYTES) {
        return yield* Effect.fail(refuse(path, `too large for a thinclient.toml (more than ${MAX_CONFIG_FILE_BYTES} bytes)`))
      }
      return yield* Effect.try({ try: () => utf8.decode(bytes), catch: () => refuse(path, "not UTF-8 text") })
    })
  )
