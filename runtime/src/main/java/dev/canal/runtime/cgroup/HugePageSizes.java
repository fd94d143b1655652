package dev.canal.runtime.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The huge page sizes this machine supports, named as the hugetlb controller names them:
 * /sys/kernel/mm/hugepages/hugepages-2048kB becomes "2MB" (hugetlbpage.rst).
 */
public final class HugePageSizes {

    private HugePageSizes() {}

    public static List<String> onThisMachine() {
        var sizes = new ArrayList<String>();
        try (Stream<Path> entries = Files.list(Path.of("/sys/kernel/mm/hugepages"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.startsWith("hugepages-") && name.endsWith("kB")) {
                    sizes.add(cgroupName(Long.parseLong(name.substring(10, name.length() - 2))));
                }
            }
        } catch (IOException noHugePages) {
            return List.of();
        }
        return sizes;
    }

    private static String cgroupName(long kilobytes) {
        String[] units = {"KB", "MB", "GB"};
        int unit = 0;
        while (kilobytes >= 1024 && kilobytes % 1024 == 0 && unit < units.length - 1) {
            kilobytes /= 1024;
            unit++;
        }
        return kilobytes + units[unit];
    }
}
