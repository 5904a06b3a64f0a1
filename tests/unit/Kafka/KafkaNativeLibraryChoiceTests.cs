using Etl.Connectors.Kafka;

namespace Etl.Tests.Unit.Kafka;

public class KafkaNativeLibraryChoiceTests
{
    [Theory]
    [InlineData(null, "bundled")]
    [InlineData("", "bundled")]
    [InlineData("Bundled", "bundled")]
    [InlineData(" system ", "system")]
    [InlineData("/opt/lib/librdkafka.so.1", "/opt/lib/librdkafka.so.1")]
    public void TryParse_KnownChoices_AreAccepted(string? text, string expected)
    {
        Assert.True(KafkaNativeLibraryChoice.TryParse(text, out var choice));
        Assert.Equal(expected, choice.ToString());
    }

    [Theory]
    [InlineData("librdkafka.so")]
    [InlineData("debian")]
    public void TryParse_RelativePathsAndUnknownWords_AreRefused(string text) =>
        Assert.False(KafkaNativeLibraryChoice.TryParse(text, out _));
}
