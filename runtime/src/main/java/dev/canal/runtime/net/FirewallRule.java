package dev.canal.runtime.net;

import java.util.List;

/**
 * A rule of Canal's table: the chain it goes in, its expressions, and its comment, which is
 * also its identity. The comment says in words everything the rule does, so two rules with the
 * same comment are the same rule, and a changed rule has a new comment: reconciling compares
 * comments only. nft shows it ({@code comment "..."}): Canal stores it as nft does, in the
 * rule's userdata.
 *
 * <p>A rule is appended to its chain, unless it goes {@code first}: then it is inserted at the
 * chain's head, before every appended rule whenever either was added (as {@code nft insert
 * rule}, or Docker's {@code iptables -I}), for a rule that must be tested before the others.
 */
public record FirewallRule(String chain, String comment, List<NftExpression> expressions, boolean first) {

    /** The rule's userdata can hold 256 bytes (NFT_USERDATA_MAXLEN), the comment's TLV included. */
    static final int MAX_COMMENT = 250;

    public FirewallRule {
        if (comment.isEmpty() || comment.length() > MAX_COMMENT || comment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "firewall rule comment: 1 to " + MAX_COMMENT + " characters, got \"" + comment + "\"");
        }
        expressions = List.copyOf(expressions);
    }

    /** A rule appended to its chain. */
    public FirewallRule(String chain, String comment, List<NftExpression> expressions) {
        this(chain, comment, expressions, false);
    }
}
