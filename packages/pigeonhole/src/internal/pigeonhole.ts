/** The Pigeonhole service implementation over a ThinClient: assembles the service from its parts. */
import type { ThinClient } from "@katzenpost-effect/transport"
import * as Effect from "effect/Effect"
import type { Pigeonhole, PigeonholeConfig } from "../Pigeonhole.js"
import { cancelResending, startResending, startResendingNoRetry, startResendingReturnBoxExists } from "./arq.js"
import { makeContext } from "./context.js"
import { cancelResendingCopyCommand, startResendingCopyCommand } from "./copyCommand.js"
import {
  createCourierEnvelopesFromMultiPayload,
  createCourierEnvelopesFromPayload,
  createCourierEnvelopesFromTombstoneRange
} from "./copyStream.js"
import { getAllCouriers, getDistinctCouriers } from "./couriers.js"
import { encryptRead, encryptWrite, tombstoneRange } from "./encrypt.js"
import { messageBoxIndexCounter, newKeypair, nextMessageBoxIndex } from "./keys.js"

/** @internal */
export const make = (config: PigeonholeConfig = {}): Effect.Effect<Pigeonhole, never, ThinClient.ThinClient> =>
  Effect.map(makeContext(config), (ctx): Pigeonhole => ({
    newKeypair: newKeypair(ctx),
    nextMessageBoxIndex: nextMessageBoxIndex(ctx),
    messageBoxIndexCounter: messageBoxIndexCounter(ctx),
    encryptRead: encryptRead(ctx),
    encryptWrite: encryptWrite(ctx),
    tombstoneRange: tombstoneRange(ctx),
    startResending: startResending(ctx),
    startResendingNoRetry: startResendingNoRetry(ctx),
    startResendingReturnBoxExists: startResendingReturnBoxExists(ctx),
    cancelResending: cancelResending(ctx),
    createCourierEnvelopesFromPayload: createCourierEnvelopesFromPayload(ctx),
    createCourierEnvelopesFromMultiPayload: createCourierEnvelopesFromMultiPayload(ctx),
    createCourierEnvelopesFromTombstoneRange: createCourierEnvelopesFromTombstoneRange(ctx),
    startResendingCopyCommand: startResendingCopyCommand(ctx),
    cancelResendingCopyCommand: cancelResendingCopyCommand(ctx),
    getAllCouriers: getAllCouriers(ctx),
    getDistinctCouriers: getDistinctCouriers(ctx),
    inFlight: ctx.registry.list
  }))
