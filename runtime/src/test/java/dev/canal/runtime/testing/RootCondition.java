package dev.canal.runtime.testing;

import dev.canal.bindings.linux.linux_h;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Enables {@link RequiresRoot} tests only when the effective uid is 0. */
public final class RootCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return linux_h.geteuid() == 0
                ? ConditionEvaluationResult.enabled("running as root")
                : ConditionEvaluationResult.disabled("needs root: namespaces and mounts need CAP_SYS_ADMIN");
    }
}
