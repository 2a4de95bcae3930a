/** Courier discovery: every courier in the PKI document, or a few distinct ones picked at random. */
import { randomBytes } from "@katzenpost-effect/core"
import * as Effect from "effect/Effect"
import { type Courier, COURIER_CAPABILITY, fromService, NotEnoughCouriers } from "../Courier.js"
import type { Pigeonhole } from "../Pigeonhole.js"
import { checkCount } from "./call.js"
import type { ServiceContext } from "./context.js"

export const getAllCouriers = (ctx: ServiceContext): Pigeonhole["getAllCouriers"] =>
  Effect.map(ctx.client.getServices(COURIER_CAPABILITY), (services) => services.map(fromService))

export const getDistinctCouriers = (ctx: ServiceContext): Pigeonhole["getDistinctCouriers"] => {
  const all = getAllCouriers(ctx)
  return (n) =>
    Effect.gen(function*() {
      yield* checkCount("n", n)
      const couriers = [...(yield* all)]
      if (couriers.length < n) {
        return yield* Effect.fail(new NotEnoughCouriers({ requested: n, available: couriers.length }))
      }
      // Picked with the CSPRNG: the choice of couriers should not be guessable.
      const random = new DataView((yield* randomBytes(4 * n)).buffer)
      const picked: Array<Courier> = []
      for (let i = 0; i < n; i++) {
        for (const courier of couriers.splice(random.getUint32(4 * i) % couriers.length, 1)) picked.push(courier)
      }
      return picked
    })
}
