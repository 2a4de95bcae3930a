/**
 * The client's view of its connection: whether the socket to kpclientd is up (handshake
 * done) and whether the daemon reports the mixnet as reachable.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"

/**
 * One value of the connection state. Compare with `Equal.equals`.
 *
 * @since 0.2.0
 * @category models
 */
export class ConnectionState extends Data.Class<{
  /** The socket to kpclientd is up and the handshake done. */
  readonly daemon: boolean
  /** kpclientd reports a connection to the mixnet (its last `connection_status_event`). */
  readonly mixnet: boolean
}> {}
