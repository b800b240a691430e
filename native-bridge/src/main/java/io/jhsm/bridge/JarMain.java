package io.jhsm.bridge;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -cp jhsm-module.jar io.jhsm.bridge.JarMain JAR MAIN ARGS...}: runs MAIN from JAR while the JVM's
 * class path stays the module jar alone. The class-archive training needs it: an archive records the class path
 * it was made with and a JDK 17 JVM refuses it under any other, while the training's own classes (the conformance
 * suite's ABI client) live in dist/jhsm.jar. JAR's loader delegates to the class path first, so the bridge, engine
 * and their libraries still come from the module jar, as when libjhsm.so boots its JVM.
 */
public final class JarMain {
    private JarMain() {}

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: JarMain JAR MAIN [ARGS...]");
            System.exit(2);
        }
        URL jar = Path.of(args[0]).toUri().toURL();
        // Not closed: MAIN's classes load lazily for as long as it runs.
        ClassLoader loader = new URLClassLoader(new URL[] {jar}, JarMain.class.getClassLoader());
        Method main = Class.forName(args[1], true, loader).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
