package org.jenkinsci;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Stand-in of {@code org.jenkinsci.Symbol} (symbol-annotation): the short name of an extension, used by
 * configuration-as-code. The real annotation is also {@code @Indexed} by annotation-indexer, which is not on Maven
 * Central in a current version; nothing offline reads that index.
 */
@Retention(RUNTIME)
@Target({TYPE})
@Documented
public @interface Symbol {

    /** The symbol, then aliases. */
    String[] value();
}
