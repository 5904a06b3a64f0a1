namespace Etl.Bench;

/// <summary>A benchmark run as <c>dotnet Etl.Bench.dll NAME [args]</c>; prints figures and ratios.</summary>
internal interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
