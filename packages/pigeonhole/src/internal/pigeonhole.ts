/** The Pigeonhole service implementation over a ThinClient: assembles the service from its parts. */
import type { ThinClient } from "@katzenpost-effect/transport"
import { Telemetry } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import type { Pigeonhole, PigeonholeConfig } from "../Pigeonhole.js"
import { cancelResending, startResending, startResendingNoRetry, startResendingReturnBoxExists } from "./arq.js"
import { makeContext } from "./context.js"
import { cancelResendingCopyCommand, startResendingCopyCommand } from "./copyCommand.js"
import { createCourierEnvelopesFromMultiPayload, createCourierEnvelopesFromPayload, createCourierEnvelopesFromTombstoneRange } from "./copyStream.js"
import { getAllCouriers, getDistinctCouriers } from "./couriers.js"
import { encryptRead, encryptWrite, tombstoneRange } from "./encrypt.js"
import { messageBoxIndexCounter, newKeypair, nextMessageBoxIndex } from "./keys.js"
import { traced as tracedIn } from "./observe.js"

const traced = (name: string) => tracedIn("Pigeonhole", name)

/** @internal */
export const make = (config: PigeonholeConfig = {}): Effect.Effect<Pigeonhole, never, ThinClient.ThinClient> =>
  Effect.map(makeContext(config), (ctx): Pigeonhole => ({
    // These two make their own spans (keys.ts): one step less on the hottest local calls.
    newKeypair: newKeypair(ctx),
    nextMessageBoxIndex: nextMessageBoxIndex(ctx),
    messageBoxIndexCounter: traced("messageBoxIndexCounter")(messageBoxIndexCounter(ctx)),
    encryptRead: traced("encryptRead")(encryptRead(ctx)),
    encryptWrite: traced("encryptWrite")(encryptWrite(ctx)),
    tombstoneRange: traced("tombstoneRange")(tombstoneRange(ctx)),
    startResending: startResending(ctx),
    startResendingNoRetry: startResendingNoRetry(ctx),
    startResendingReturnBoxExists: startResendingReturnBoxExists(ctx),
    cancelResending: traced("cancelResending")(cancelResending(ctx)),
    createCourierEnvelopesFromPayload: traced("createCourierEnvelopesFromPayload")(createCourierEnvelopesFromPayload(ctx)),
    createCourierEnvelopesFromMultiPayload: traced("createCourierEnvelopesFromMultiPayload")(
      createCourierEnvelopesFromMultiPayload(ctx)
    ),
    createCourierEnvelopesFromTombstoneRange: traced("createCourierEnvelopesFromTombstoneRange")(
      createCourierEnvelopesFromTombstoneRange(ctx)
    ),
    startResendingCopyCommand: startResendingCopyCommand(ctx),
    cancelResendingCopyCommand: traced("cancelResendingCopyCommand")(cancelResendingCopyCommand(ctx)),
    getAllCouriers: Telemetry.span(getAllCouriers(ctx), "Pigeonhole.getAllCouriers"),
    getDistinctCouriers: traced("getDistinctCouriers")(getDistinctCouriers(ctx)),
    inFlight: ctx.registry.list
  }))
