package dev.portcullis.policy.eval;

/**
 * What a request asks to do, the "what" of a {@link RequestContext}. Closed, so that the engine handles every kind; a
 * SQL statement will join the HTTP call here.
 */
public sealed interface Operation permits HttpCall {}
