package dev.canal.runtime.seccomp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The rules for one system call on one ABI, merged the way libseccomp merges rules added with
 * seccomp_rule_add(3):
 *
 * <ul>
 *   <li>a rule without conditions covers the whole call, so it replaces every conditional rule,
 *       whatever their order;</li>
 *   <li>of two rules without conditions the first wins and the second adds nothing, whatever its
 *       action (libseccomp returns 0 for it; podman's profile allows setns and later denies it
 *       to processes without CAP_SYS_ADMIN, which a profile filtered for such a process keeps);</li>
 *   <li>two rules with the same conditions and different actions conflict (libseccomp: EEXIST);
 *       with the same action the second adds nothing;</li>
 *   <li>otherwise the call's action is the action of the first rule, in config.json order, whose
 *       conditions all hold, and the filter's default when none does. libseccomp instead orders
 *       overlapping conditions inside its decision tree (for two GT tests on one argument, the
 *       larger value first); the two orders differ only for rules whose conditions overlap and
 *       whose actions differ, which the profiles of Docker, podman and Canal do not contain.</li>
 * </ul>
 */
final class SyscallRules {

    private final List<Rule> rules = new ArrayList<>();

    void add(Rule rule, String call) {
        for (Rule existing : rules) {
            if (existing.unconditional() || rule.unconditional()
                    ? existing.unconditional() && rule.unconditional()
                    : sameConditions(existing, rule)) {
                if (!existing.action().equals(rule.action()) && !rule.unconditional()) {
                    throw new InvalidSeccompException(
                            rule.path(),
                            "\"" + call + "\" already has action "
                                    + existing.action() + " under the same conditions from " + existing.path()
                                    + ", cannot also be " + rule.action());
                }
                return;
            }
        }
        if (rule.unconditional()) {
            rules.clear();
        } else if (!rules.isEmpty() && rules.getFirst().unconditional()) {
            return;
        }
        rules.add(rule);
    }

    /** The rules in the order they are tested; an unconditional rule is alone. */
    List<Rule> rules() {
        return List.copyOf(rules);
    }

    /** The action for the whole call when one rule covers it unconditionally. */
    SeccompAction unconditionalAction() {
        return rules.size() == 1 && rules.getFirst().unconditional()
                ? rules.getFirst().action()
                : null;
    }

    private static boolean sameConditions(Rule a, Rule b) {
        return new HashSet<>(a.conditions()).equals(new HashSet<>(b.conditions()));
    }
}
