package dev.codedeploy.api;

import dev.codedeploy.CodeDeployException;

/** A refusal of the API with its status and code (authentication, scope, content type, malformed request). */
final class ApiException extends CodeDeployException {

    private final int status;
    private final String code;
    private final String field;

    ApiException(int status, String code, String field, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }
}
