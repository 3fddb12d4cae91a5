package dev.portcullis.demo;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One fake customer, shaped like a row of the demo database's {@code customers} table. */
record Customer(
        long id,
        String name,
        String email,
        String phone,
        @JsonProperty("card_number") String cardNumber,
        String notes) {}
