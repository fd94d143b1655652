package dev.canal.cli.run;

import java.util.List;

/**
 * What {@code canal ps} shows of a container, kept beside its bundle as {@code canal.json}.
 *
 * @param image    the image as the user named it
 * @param imageId  the image's id ({@code sha256:...}), which rmi asks for; null in records older than it
 * @param command  the program and its arguments
 * @param created  when it was created (ISO-8601)
 * @param exitCode its exit status once it ended, else null
 * @param finished when it ended, else null
 */
record ContainerRecord(
        String id,
        String name,
        String image,
        String imageId,
        List<String> command,
        String created,
        Integer exitCode,
        String finished) {

    ContainerRecord exited(int status, String when) {
        return new ContainerRecord(id, name, image, imageId, command, created, status, when);
    }
}
