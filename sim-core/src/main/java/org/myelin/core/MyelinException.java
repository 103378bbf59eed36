package org.myelin.core;

/**
 * Root of every exception Myelin throws on purpose. Unchecked: bad input is found once, when a network is
 * built or compiled, and the message names the object, the parameter, the bad value and what is allowed.
 */
public class MyelinException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MyelinException(String message) {
        super(message);
    }

    public MyelinException(String message, Throwable cause) {
        super(message, cause);
    }
}
