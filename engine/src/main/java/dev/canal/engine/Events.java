package dev.canal.engine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

public final class Events {
    private static final int KEPT = 1024;
    private final ArrayDeque<Events.Event> recent = new ArrayDeque<>();
    private final List<BlockingQueue<Events.Event>> listeners = new CopyOnWriteArrayList<>();

    public void publish(String type, String action, String id, Map<String, String> attributes) {
        Instant now = Instant.now();
        Events.Event event =
                new Events.Event(type, action, id, attributes, now.getEpochSecond() * 1000000000L + now.getNano());
        synchronized (this.recent) {
            if (this.recent.size() == 1024) {
                this.recent.removeFirst();
            }

            this.recent.addLast(event);
        }

        this.listeners.forEach(queue -> queue.offer(event));
    }

    public List<Events.Event> since(long sinceNano) {
        synchronized (this.recent) {
            return new ArrayList<>(
                    this.recent.stream().filter(e -> e.timeNano() >= sinceNano).toList());
        }
    }

    public BlockingQueue<Events.Event> subscribe() {
        BlockingQueue<Events.Event> queue = new LinkedBlockingQueue<>();
        this.listeners.add(queue);
        return queue;
    }

    public void unsubscribe(BlockingQueue<Events.Event> queue) {
        this.listeners.remove(queue);
    }

    public record Event(String type, String action, String id, Map<String, String> attributes, long timeNano) {}
}
