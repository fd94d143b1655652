package dev.canal.runtime.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address with a prefix length, {@code 172.18.0.2/16}: an interface's address and the
 * subnet it is on, or a subnet itself ({@code 172.18.0.0/16}).
 */
public record IpPrefix(InetAddress address, int length) {

    public IpPrefix {
        if (length < 0 || length > bits(address)) {
            throw new IllegalArgumentException("prefix length of " + address.getHostAddress() + ": must be 0 to "
                    + bits(address) + ", got " + length);
        }
    }

    /**
     * Parses {@code 10.0.0.1/24} or {@code fd00::1/64}. Only literals: nothing is looked up in
     * DNS ({@link InetAddress#ofLiteral}).
     *
     * @param field what the value is, for the error message
     */
    public static IpPrefix parse(String field, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not ADDRESS/LENGTH, like 172.18.0.0/16");
        }
        InetAddress address = literal(field, text.substring(0, slash));
        try {
            return new IpPrefix(address, Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" has no number after '/'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": " + e.getMessage());
        }
    }

    /** An IPv4 or IPv6 literal; {@code field} names it in the error. */
    public static InetAddress literal(String field, String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not an IP address");
        }
    }

    /** Whether this is IPv6. */
    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The subnet: this address with the bits past the prefix cleared. */
    public IpPrefix network() {
        return new IpPrefix(of(masked(address.getAddress(), length)), length);
    }

    /**
     * The address {@code offset} addresses past this prefix's subnet address, with this prefix's
     * length: {@code 10.1.0.0/24} offset 1 is {@code 10.1.0.1/24}, the first host. The sum carries
     * from byte to byte, as in any big-endian number.
     */
    public IpPrefix offset(long offset) {
        byte[] bytes = network().address().getAddress();
        long carry = offset;
        for (int i = bytes.length - 1; i >= 0 && carry != 0; i--) {
            long sum = (bytes[i] & 0xff) + (carry & 0xff);
            bytes[i] = (byte) sum;
            carry = (carry >>> 8) + (sum >>> 8);
        }
        return new IpPrefix(of(bytes), length);
    }

    /** Whether {@code other} lies in this prefix's subnet. */
    public boolean contains(InetAddress other) {
        return other.getClass() == address.getClass()
                && Arrays.equals(masked(other.getAddress(), length), masked(address.getAddress(), length));
    }

    /**
     * The IPv4 broadcast address of this prefix's subnet (every bit past the prefix set, as
     * {@code ip addr add ... brd +} computes it), or empty where there is none: IPv6 has no
     * broadcast, and a /31 or /32 has no address to spare for one (RFC 3021).
     */
    public Optional<InetAddress> broadcast() {
        if (isIpv6() || length > 30) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        for (int bit = length; bit < 32; bit++) {
            bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return Optional.of(of(bytes));
    }

    /** The netmask as bytes: {@code length} one bits, then zeros. */
    public byte[] mask() {
        byte[] mask = new byte[address.getAddress().length];
        for (int bit = 0; bit < length; bit++) {
            mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        return mask;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }

    static int bits(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }

    private static byte[] masked(byte[] bytes, int length) {
        for (int bit = length; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return bytes;
    }

    static InetAddress of(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + bytes.length + " bytes", e);
        }
    }
}
