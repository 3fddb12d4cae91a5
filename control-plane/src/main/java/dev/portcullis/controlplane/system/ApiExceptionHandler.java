package dev.portcullis.controlplane.system;

import dev.portcullis.policy.PolicyProblem;
import dev.portcullis.policy.PolicyValidationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/** Renders every API error as an RFC 9457 problem detail; unexpected errors never reveal their internals. */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> handleApiException(ApiException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        if (e instanceof ApiException.Invalid invalid) {
            problem.setProperty("problems", invalid.problems());
        }
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(PolicyValidationException.class)
    ResponseEntity<ProblemDetail> handlePolicyInvalid(PolicyValidationException e) {
        List<ApiException.Problem> problems =
                e.problems().stream().map(ApiExceptionHandler::toProblem).toList();
        return handleApiException(new ApiException.Invalid(e.getMessage(), problems));
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ResponseEntity<ProblemDetail> handleConcurrentChange(ObjectOptimisticLockingFailureException e) {
        return handleApiException(new ApiException.Conflict("The resource was changed concurrently; read it again"));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e) {
        log.error("Unexpected error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "The control plane could not complete the request");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // Jackson's own message can quote the input, which may hold a credential: say where, not what.
        Integer line = null;
        Integer column = null;
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof JacksonException jackson) {
            TokenStreamLocation location = jackson.getLocation();
            if (location != null && location.getLineNr() > 0) {
                line = location.getLineNr();
                column = location.getColumnNr();
            }
        }
        String message = "The request body is not valid JSON" + (line == null ? "" : " (line " + line + ")");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, message);
        problem.setTitle("Invalid request");
        problem.setProperty("problems", List.of(new ApiException.Problem("", line, column, message)));
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<ApiException.Problem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(error -> new ApiException.Problem(error.getField(), null, null, error.getDefaultMessage()))
                .toList();
        String summary = problems.stream()
                .map(p -> p.path() + ": " + p.message())
                .reduce((a, b) -> a + "; " + b)
                .orElse("The request is invalid");
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, summary);
        problem.setTitle("Invalid request");
        problem.setProperty("problems", problems);
        return ResponseEntity.badRequest().body(problem);
    }

    private static ApiException.Problem toProblem(PolicyProblem p) {
        return new ApiException.Problem(p.path(), p.line(), p.column(), p.message());
    }
}
