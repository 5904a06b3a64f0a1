using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Runtime;

namespace Etl.Tests.Unit.Checkpointing.Coordinator;

public sealed class CheckpointingOptionsTests
{
    public static TheoryData<CheckpointingOptions, string> BadSettings => new()
    {
        { new CheckpointingOptions { Interval = TimeSpan.Zero }, "Checkpointing.Interval" },
        { new CheckpointingOptions { Timeout = TimeSpan.FromDays(100) }, "Checkpointing.Timeout" },
        { new CheckpointingOptions { MinPause = TimeSpan.FromSeconds(-1) }, "Checkpointing.MinPause" },
        { new CheckpointingOptions { MaxConcurrent = 0 }, "Checkpointing.MaxConcurrent" },
        { new CheckpointingOptions { TolerableFailures = -1 }, "Checkpointing.TolerableFailures" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Validate_BadSetting_FailsNamingIt(CheckpointingOptions options, string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => new JobOptions("job") { Checkpointing = options }.Validate());

        Assert.StartsWith(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreFlinks()
    {
        var options = new CheckpointingOptions();

        Assert.Equal((CheckpointingMode.ExactlyOnce, TimeSpan.FromMinutes(10), TimeSpan.Zero, 1, 0, (TimeSpan?)null),
            (options.Mode, options.Timeout, options.MinPause, options.MaxConcurrent, options.TolerableFailures, options.Interval));
    }
}
