/**
 * The masking engine every protocol shares: {@link dev.portcullis.policy.masking.Detectors} find sensitive values in
 * text, {@link dev.portcullis.policy.masking.Masks} hide them while keeping their shape, and a
 * {@link dev.portcullis.policy.masking.Masker} built from a policy's masking rules applies both to text, to single
 * fields (SQL columns) and to JSON bodies streamed from parser to generator.
 *
 * <p>Detectors validate what their patterns find (Luhn, mod 97, SSA rules, octet ranges, a decoded JWT header) because
 * a masking proxy that stars out every long number or every pair of colons makes the data useless, and people then
 * switch masking off. Field rules, on the other hand, fail closed: whatever sits under a matching field is hidden.
 *
 * <p>Nothing here keeps state between calls: a {@code Masker} is immutable, so one instance per policy snapshot is
 * shared by every request the proxy serves.
 */
package dev.portcullis.policy.masking;
