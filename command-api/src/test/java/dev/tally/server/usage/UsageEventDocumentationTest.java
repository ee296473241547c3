package dev.tally.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

// Goal: the usage event the OpenAPI document describes has exactly the members the batch parser reads.
class UsageEventDocumentationTest {

    @Test
    void theDocumentedUsageEventNamesEveryMemberTheParserReadsAndNoOther() {
        // UsageController.UsageEventBody only describes the event; UsageBatchParser reads the JSON itself.
        assertThat(Arrays.stream(UsageController.UsageEventBody.class.getRecordComponents()).map(RecordComponent::getName))
                .containsExactlyInAnyOrderElementsOf(UsageBatchParser.MEMBERS);
    }
}
