package dev.portcullis.policy;

/**
 * A kind of sensitive value that masking finds anywhere in a response, whatever the column or field is called.
 */
public enum Detector {
    /** E-mail addresses. */
    EMAIL,
    /** Payment card numbers that pass the Luhn check. */
    CREDIT_CARD,
    /** Telephone numbers. */
    PHONE,
    /** International bank account numbers with a valid checksum. */
    IBAN,
    /** United States social security numbers. */
    US_SSN,
    /** IPv4 and IPv6 addresses. */
    IP_ADDRESS,
    /** JSON Web Tokens. */
    JWT,
    /** API keys and cloud access keys of well-known shapes. */
    API_KEY,
    /** PEM-encoded private keys. */
    PRIVATE_KEY
}
