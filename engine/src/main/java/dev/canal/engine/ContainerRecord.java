package dev.canal.engine;

import java.util.List;

public record ContainerRecord(
        String id,
        String name,
        String image,
        String imageId,
        List<String> command,
        String created,
        Integer exitCode,
        String finished,
        ContainerSpec spec,
        String started,
        int restartCount,
        boolean stoppedByHand,
        String error) {
    public ContainerRecord exited(int status, String when) {
        return new ContainerRecord(
                this.id,
                this.name,
                this.image,
                this.imageId,
                this.command,
                this.created,
                status,
                when,
                this.spec,
                this.started,
                this.restartCount,
                this.stoppedByHand,
                this.error);
    }

    public ContainerRecord startedAt(String when, int restarts) {
        return new ContainerRecord(
                this.id,
                this.name,
                this.image,
                this.imageId,
                this.command,
                this.created,
                null,
                this.finished,
                this.spec,
                when,
                restarts,
                false,
                null);
    }

    public ContainerRecord failed(String why) {
        return new ContainerRecord(
                this.id,
                this.name,
                this.image,
                this.imageId,
                this.command,
                this.created,
                this.exitCode,
                this.finished,
                this.spec,
                this.started,
                this.restartCount,
                this.stoppedByHand,
                why);
    }

    public ContainerRecord stoppedByHand(boolean byHand) {
        return new ContainerRecord(
                this.id,
                this.name,
                this.image,
                this.imageId,
                this.command,
                this.created,
                this.exitCode,
                this.finished,
                this.spec,
                this.started,
                this.restartCount,
                byHand,
                this.error);
    }

    public ContainerRecord renamed(String newName) {
        return new ContainerRecord(
                this.id,
                newName,
                this.image,
                this.imageId,
                this.command,
                this.created,
                this.exitCode,
                this.finished,
                this.spec,
                this.started,
                this.restartCount,
                this.stoppedByHand,
                this.error);
    }

    public ContainerSpec specOrDefault() {
        return this.spec != null ? this.spec : ContainerSpec.of(this.image);
    }

    public String shortId() {
        return this.id.substring(0, 12);
    }
}
