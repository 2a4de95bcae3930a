/**
 * Sphinx and Pigeonhole geometries: the size limits a client must respect. They come from
 * thinclient.toml (v0.0.73) or from `connection_status_event` (v0.0.76+), keyed by Go field
 * names in both places.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { scalar } from "./internal/fields.js"

const int = scalar(Schema.NonNegativeInt, 0)
const str = scalar(Schema.String, "")

/**
 * Sphinx packet geometry (`core/sphinx/geo.Geometry`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SphinxGeometry = Schema.Struct({
  PacketLength: int,
  NrHops: int,
  HeaderLength: int,
  RoutingInfoLength: int,
  PerHopRoutingInfoLength: int,
  SURBLength: int,
  SphinxPlaintextHeaderLength: int,
  PayloadTagLength: int,
  ForwardPayloadLength: int,
  UserForwardPayloadLength: int,
  NextNodeHopLength: int,
  SPRPKeyMaterialLength: int,
  NIKEName: str,
  KEMName: str
}).annotations({ identifier: "SphinxGeometry" })

/** @since 0.1.0 @category models */
export type SphinxGeometry = typeof SphinxGeometry.Type

/**
 * Pigeonhole geometry (`pigeonhole/geo.Geometry`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PigeonholeGeometry = Schema.Struct({
  MaxPlaintextPayloadLength: int,
  CourierQueryReadLength: int,
  CourierQueryWriteLength: int,
  CourierQueryReplyReadLength: int,
  CourierQueryReplyWriteLength: int,
  NIKEName: str,
  SignatureSchemeName: str
}).annotations({ identifier: "PigeonholeGeometry" })

/** @since 0.1.0 @category models */
export type PigeonholeGeometry = typeof PigeonholeGeometry.Type

/**
 * Both geometries, as a client holds them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Geometry {
  readonly sphinx: SphinxGeometry
  readonly pigeonhole: PigeonholeGeometry
}

/**
 * The geometry of the reference docker mixnet (UserForwardPayloadLength 2000,
 * MaxPlaintextPayloadLength 1553), used by the fake daemon and as a test default.
 *
 * @since 0.1.0
 * @category constants
 */
export const referenceGeometry: Geometry = {
  sphinx: {
    PacketLength: 3082,
    NrHops: 5,
    HeaderLength: 476,
    RoutingInfoLength: 410,
    PerHopRoutingInfoLength: 82,
    SURBLength: 572,
    SphinxPlaintextHeaderLength: 2,
    PayloadTagLength: 32,
    ForwardPayloadLength: 2574,
    UserForwardPayloadLength: 2000,
    NextNodeHopLength: 65,
    SPRPKeyMaterialLength: 64,
    NIKEName: "x25519",
    KEMName: ""
  },
  pigeonhole: {
    MaxPlaintextPayloadLength: 1553,
    CourierQueryReadLength: 359,
    CourierQueryWriteLength: 2000,
    CourierQueryReplyReadLength: 1698,
    CourierQueryReplyWriteLength: 50,
    NIKEName: "CTIDH1024-X25519",
    SignatureSchemeName: "Ed25519"
  }
}
