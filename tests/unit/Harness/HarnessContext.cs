using Etl.Pipeline;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Unit.Harness;

/// <summary>Builds the context a harness opens an operator with.</summary>
public static class HarnessContext
{
    public const string JobName = "test-job";
    public const string OperatorId = "op-under-test";

    public static OperatorContext Create(
        int subtaskIndex = 0, int parallelism = 1, int maxParallelism = KeyGroups.DefaultMaxParallelism,
        RestoredState? restored = null, TimeProvider? time = null) =>
        new(JobName, OperatorId, subtaskIndex, parallelism, maxParallelism, restored,
            time ?? new ManualTimeProvider(), NullLoggerFactory.Instance);
}
