package dev.canal.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A UDP echo server for the networking tests, whose busybox has no UDP server: a socket the test
 * opens in a container's network namespace (a socket stays in the namespace it was made in).
 */
final class UdpEcho {

    private UdpEcho() {}

    /** A datagram socket bound to {@code local}, for a lambda run in another namespace. */
    static DatagramSocket socket(InetSocketAddress local) {
        try {
            return new DatagramSocket(local);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers each datagram with "echo " and its text, and notes who sent it, until closed. */
    static void serve(DatagramSocket socket, Set<SocketAddress> senders) {
        var datagram = new DatagramPacket(new byte[512], 512);
        try {
            while (true) {
                socket.receive(datagram);
                senders.add(datagram.getSocketAddress());
                byte[] answer = ("echo "
                                + new String(datagram.getData(), 0, datagram.getLength(), StandardCharsets.US_ASCII))
                        .getBytes(StandardCharsets.US_ASCII);
                socket.send(new DatagramPacket(answer, answer.length, datagram.getSocketAddress()));
            }
        } catch (IOException closed) {
            // the test closed the socket
        }
    }
}
