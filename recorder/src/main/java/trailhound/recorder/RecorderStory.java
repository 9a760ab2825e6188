package trailhound.recorder;

import java.util.List;
import java.util.Objects;

/**
 * A row of the optional {@code stories} table: a known incident embedded in the data (the samples
 * generator writes its attack stories here so tests and demos can point at them).
 *
 * @param processKeys the processes of the story, in the order they act
 */
public record RecorderStory(String storyId, String title, String description, List<String> processKeys) {
    public RecorderStory {
        Objects.requireNonNull(storyId, "storyId");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        processKeys = List.copyOf(processKeys);
    }
}
