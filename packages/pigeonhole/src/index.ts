/**
 * @katzenpost-effect/pigeonhole
 *
 * @since 0.1.0
 */
export {}
