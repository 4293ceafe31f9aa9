package io.github.reactivekoyeb.snapshots;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Javadoc overview page (src/main/javadoc/overview.html) opens with the README's first example,
 * the dependency and the code of its Usage section, word for word: when one changes, this fails
 * until the other does too.
 */
class OverviewPageTest {

    private static final Pattern FENCED = Pattern.compile("```(xml|java)\n(.*?)```", Pattern.DOTALL);

    @Test
    void theOverviewOpensWithTheReadmesFirstExample() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String overview = Files.readString(Path.of("src/main/javadoc/overview.html"), StandardCharsets.UTF_8);
        String usage = readme.substring(readme.indexOf("## Usage"), readme.indexOf("\n## ", readme.indexOf("## Usage") + 1));

        Matcher blocks = FENCED.matcher(usage);
        assertThat(blocks.find()).as("the README's Usage section opens with the dependency").isTrue();
        assertThat(blocks.group(1)).isEqualTo("xml");
        String dependency = blocks.group(2);
        assertThat(blocks.find()).as("then the code").isTrue();
        assertThat(blocks.group(1)).isEqualTo("java");
        String code = blocks.group(2);

        assertThat(overview).contains("<pre>{@code\n" + dependency + "}</pre>");
        assertThat(overview).contains("<pre>{@code\n" + code + "}</pre>");
        assertThat(overview.indexOf(dependency)).as("the example comes first").isLessThan(overview.indexOf("<h1>Where"));
    }
}
