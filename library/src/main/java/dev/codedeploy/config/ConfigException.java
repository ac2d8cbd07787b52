package dev.codedeploy.config;

import dev.codedeploy.InvalidInputException;

/** The configuration file is unreadable or invalid; the message names the file, the field and what is accepted. */
public class ConfigException extends InvalidInputException {

    /** An error naming the field. */
    public ConfigException(String message) {
        super(message);
    }
}
