/**
 * A small JSON HTTP API of fake customers that stands in for an internal service in the demo.
 *
 * <p>It runs on the JDK's {@code com.sun.net.httpserver} with no framework, so the demo can start it anywhere a JRE
 * is. It holds its own bearer token (which, in the demo, only Portcullis knows) and serves the same kind of fake
 * personal data as the demo database, so that blocking, review and masking can be shown over HTTP:
 *
 * <pre>
 * GET    /health             no token needed        {"status":"UP"}
 * GET    /customers?limit=N  N in 1..1000           [customer, ...]
 * GET    /customers/{id}                            customer, 404 if unknown, 400 if not a number
 * DELETE /customers/{id}                            204; gone afterwards
 * GET    /admin/stats                               {"customers", "deleted", "requests"}
 * GET    /echo, POST /echo   body up to 1 MiB       the request as received, Authorization redacted
 * </pre>
 *
 * <p>Errors are RFC 9457 problem details ({@code application/problem+json}).
 */
package dev.portcullis.demo;
