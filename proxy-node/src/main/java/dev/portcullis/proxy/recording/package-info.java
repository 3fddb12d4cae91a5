/**
 * Session recording on the proxy node: {@link dev.portcullis.proxy.recording.SessionRecorder} keeps the live sessions
 * and chains their events ({@link dev.portcullis.recording.SessionEvent}); {@code EventSpool} makes each event
 * durable on local disk before anything else sees it; {@code EventDelivery} sends spooled events to the control plane
 * in order and moves the spool's cursor only past what the control plane accepted.
 *
 * <p>Guarantees: an event handed to {@link dev.portcullis.proxy.recording.RecordedSession#record} is either on disk
 * within one writer round (milliseconds) or the node died before that; what reached the disk reaches the control
 * plane, across outages and restarts, at least once and in spool order (the control plane keeps one copy per
 * session and sequence number). After a crash, each session's spooled events form a prefix of its chain.
 *
 * <p>Threads: {@code record} runs on the caller's thread (often a Netty event loop) and only hashes the event and
 * queues its line; the spool writer and the delivery loop each own one background thread; an idle sweep runs on a
 * scheduler.
 */
package dev.portcullis.proxy.recording;
