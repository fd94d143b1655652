package dev.canal.runtime.net;

import java.util.List;

/**
 * A rule of Canal's table: the chain it goes in, its expressions, and its comment, which is
 * also its identity. The comment says in words everything the rule does, so two rules with the
 * same comment are the same rule, and a changed rule has a new comment: reconciling compares
 * comments only. nft shows it ({@code comment "..."}): Canal stores it as nft does, in the
 * rule's userdata.
 */
public record FirewallRule(String chain, String comment, List<NftExpression> expressions) {

    /** The rule's userdata can hold 256 bytes (NFT_USERDATA_MAXLEN), the comment's TLV included. */
    static final int MAX_COMMENT = 250;

    public FirewallRule {
        if (comment.isEmpty() || comment.length() > MAX_COMMENT || comment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(
                    "firewall rule comment: 1 to " + MAX_COMMENT + " characters, got \"" + comment + "\"");
        }
        expressions = List.copyOf(expressions);
    }
}
