// The guard a change of a consent or a meeting runs inside its transaction, on the locked row: the rules
// of who may change it live with the resolvers, the lock with the store.

/** Guards a change inside its transaction: throws (FORBIDDEN, BAD_USER_INPUT) to refuse it. */
export type Guard<R> = (row: R) => void;
