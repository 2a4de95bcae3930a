/**
 * Couriers: the mixnet services that carry Pigeonhole envelopes to the storage replicas.
 *
 * @since 0.1.0
 */
import type { NodeIdHash, PkiDocument } from "@katzenpost-effect/core"
import * as Schema from "effect/Schema"

/**
 * One courier: its identity hash (BLAKE2b-256 of the node's identity key) and queue id.
 * Every ARQ result names the courier that served it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Courier {
  readonly identityHash: NodeIdHash
  readonly queueId: Uint8Array
}

/**
 * The PKI capability name couriers advertise.
 *
 * @since 0.1.0
 * @category constants
 */
export const COURIER_CAPABILITY = "courier"

/**
 * The courier a PKI service entry describes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromService = (service: PkiDocument.ServiceDescriptor): Courier => ({
  identityHash: service.destinationIdHash,
  queueId: service.recipientQueueId
})

/**
 * `getDistinctCouriers(n)` asked for more couriers than the PKI document lists.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotEnoughCouriers extends Schema.TaggedError<NotEnoughCouriers>()("NotEnoughCouriers", {
  requested: Schema.Int,
  available: Schema.Int
}) {
  override get message() {
    return `asked for ${this.requested} distinct couriers, the PKI document lists ${this.available}`
  }
}
