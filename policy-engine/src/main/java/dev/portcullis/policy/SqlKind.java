package dev.portcullis.policy;

/**
 * The kind of one SQL statement, as the classifier reports it and as rules name it.
 *
 * <p>{@link #COPY_PROGRAM} is separate from {@link #COPY} because {@code COPY ... PROGRAM} runs a shell command on the
 * database server, which is a far bigger risk than moving rows. {@link #OTHER} covers statements that parse but fit no
 * listed kind.
 */
public enum SqlKind {
    /** {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES}, {@code TABLE}. */
    SELECT,
    /** {@code INSERT}. */
    INSERT,
    /** {@code UPDATE}. */
    UPDATE,
    /** {@code DELETE}. */
    DELETE,
    /** {@code MERGE}. */
    MERGE,
    /** {@code TRUNCATE}. */
    TRUNCATE,
    /** {@code DROP ...}. */
    DROP,
    /** {@code ALTER ...}. */
    ALTER,
    /** {@code CREATE ...}. */
    CREATE,
    /** {@code GRANT}. */
    GRANT,
    /** {@code REVOKE}. */
    REVOKE,
    /** {@code COPY} to or from a file or the client. */
    COPY,
    /** {@code COPY ... PROGRAM}: runs a command on the server. */
    COPY_PROGRAM,
    /** {@code DO} anonymous code blocks. */
    DO,
    /** {@code CALL} of a procedure. */
    CALL,
    /** {@code EXPLAIN}. */
    EXPLAIN,
    /** {@code SET} and {@code RESET}. */
    SET,
    /** {@code SHOW}. */
    SHOW,
    /** {@code BEGIN}, {@code COMMIT}, {@code ROLLBACK}, {@code SAVEPOINT} and friends. */
    TRANSACTION,
    /** {@code VACUUM}. */
    VACUUM,
    /** {@code ANALYZE}. */
    ANALYZE,
    /** {@code LOCK}. */
    LOCK,
    /** {@code COMMENT ON}. */
    COMMENT,
    /** Any statement that parses but is none of the above. */
    OTHER
}
