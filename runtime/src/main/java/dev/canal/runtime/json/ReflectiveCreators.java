package dev.canal.runtime.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.module.SimpleModule;

/**
 * Jackson creates each record it reads through its canonical constructor called by core
 * reflection ({@link Constructor#newInstance}) instead of a method handle: for the image store's
 * records and the engine's on {@code canal run}'s path (manifests, image configs, the container
 * record). The OCI config has a streaming reader of its own and needs no databind
 * (SpecReader).
 *
 * <p>Jackson 3 calls a creator with {@code MethodHandle.invokeWithArguments}, which adapts the
 * constructor's handle to {@code (Object...)Object}: for each record's signature, method handle
 * form classes spun at run time, 127 in a {@code canal run}, which the AOT cache cannot hold (docs/start-time.md). Core reflection
 * run with {@code -Djdk.reflect.useNativeAccessorOnly=true} (which {@code bin/canal} passes to
 * every command and {@code bin/canal-oci} to the commands that read a config) calls the
 * constructor from the VM and spins nothing; without it the JDK makes its own method handle, no
 * worse than Jackson's. A constructor's exception reaches Jackson as its own call would have
 * thrown it, so errors read the same.
 */
public final class ReflectiveCreators extends ValueInstantiators.Base {

    /** The module that installs them in a mapper. */
    public static JacksonModule module() {
        return new SimpleModule(ReflectiveCreators.class.getSimpleName()) {
            @Override
            public void setupModule(SetupContext context) {
                super.setupModule(context);
                context.addValueInstantiators(new ReflectiveCreators());
            }
        };
    }

    @Override
    public ValueInstantiator modifyValueInstantiator(
            DeserializationConfig config, BeanDescription.Supplier description, ValueInstantiator instantiator) {
        if (instantiator.getClass() == StdValueInstantiator.class
                && instantiator.getWithArgsCreator() != null
                && instantiator.getWithArgsCreator().getAnnotated() instanceof Constructor<?> constructor) {
            return new ReflectiveInstantiator((StdValueInstantiator) instantiator, constructor);
        }
        return instantiator;
    }

    /** Jackson's own instantiator, but for the call of its constructor with arguments. */
    private static final class ReflectiveInstantiator extends StdValueInstantiator {

        private final Constructor<?> constructor;

        ReflectiveInstantiator(StdValueInstantiator jacksons, Constructor<?> constructor) {
            super(jacksons);
            this.constructor = constructor;
            constructor.setAccessible(true);
        }

        @Override
        public Object createFromObjectWith(DeserializationContext context, Object[] arguments) {
            try {
                return constructor.newInstance(arguments);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception thrown) {
                    return failed(context, arguments, thrown);
                }
                throw (Error) e.getCause();
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                return failed(context, arguments, e);
            }
        }

        /** What Jackson's {@link StdValueInstantiator#createFromObjectWith} does with a failure. */
        private Object failed(DeserializationContext context, Object[] arguments, Exception thrown) {
            return context.handleInstantiationProblem(getValueClass(), arguments, rewrapCtorProblem(context, thrown));
        }
    }
}
