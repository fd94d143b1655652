package dev.canal.runtime.seccomp;

import java.util.List;

/**
 * One config.json rule as it applies to one system call on one ABI: the action, taken when every
 * condition holds.
 *
 * @param path the rule's JSON path, for conflict messages
 */
record Rule(List<ArgCondition> conditions, SeccompAction action, String path) {

    boolean unconditional() {
        return conditions.isEmpty();
    }
}
