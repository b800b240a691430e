package io.jhsm.itest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class with a {@link NetworkHsmFixture}: its consumers load {@code dist/libjhsm-client.so} (issue 18's
 * JVM-free client, {@link NativeClient#module()}) instead of the module under test. A subclass of a
 * Network*Test carrying it runs the same consumer checks through the native client against a node of its own.
 * Not inherited on purpose: the Network*Test parent keeps the module under test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ThroughNativeClient {
}
