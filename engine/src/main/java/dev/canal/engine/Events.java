package dev.canal.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code docker events}: what happened to containers (create, start, die, stop, destroy...) as
 * the Engine API's event messages. The last {@value #KEPT} are kept for {@code --since}, as
 * dockerd keeps a bounded backlog; subscribers get each new one on a queue of their own, so a
 * slow client never holds up the engine.
 */
public final class Events {

    private static final int KEPT = 1024;

    private final ArrayDeque<Event> recent = new ArrayDeque<>();
    private final List<BlockingQueue<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Records an event of object {@code id} now, with docker's attributes (name, image, labels...). */
    public void publish(String type, String action, String id, Map<String, String> attributes) {
        Instant now = Instant.now();
        Event event = new Event(type, action, id, attributes, now.getEpochSecond() * 1_000_000_000L + now.getNano());
        synchronized (recent) {
            if (recent.size() == KEPT) {
                recent.removeFirst();
            }
            recent.addLast(event);
        }
        listeners.forEach(queue -> queue.offer(event));
    }

    /** The kept events at or after {@code sinceNano}, oldest first. */
    public List<Event> since(long sinceNano) {
        synchronized (recent) {
            return new ArrayList<>(recent.stream()
                    .filter(event -> event.timeNano() >= sinceNano)
                    .toList());
        }
    }

    /** A queue that receives every event published from now on, until {@link #unsubscribe}. */
    public BlockingQueue<Event> subscribe() {
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        listeners.add(queue);
        return queue;
    }

    public void unsubscribe(BlockingQueue<Event> queue) {
        listeners.remove(queue);
    }

    /** One event message: Type, Action, Actor.ID and Actor.Attributes, timeNano. */
    public record Event(String type, String action, String id, Map<String, String> attributes, long timeNano) {}
}
