/** Re-export point for core's `isExpectedOutcome`. */
import { ErrorCodes } from "@katzenpost-effect/core"

export const isExpectedOutcome = ErrorCodes.isExpectedOutcome
