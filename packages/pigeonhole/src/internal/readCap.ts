/** The first box index inside a ReadCap (root public key 32 ‖ first index 104). */
import { MessageBoxIndex, type ReadCap } from "@katzenpost-effect/core"

export const firstReadIndex = (readCap: ReadCap): MessageBoxIndex => new MessageBoxIndex(readCap.bytes.slice(32, 136))
