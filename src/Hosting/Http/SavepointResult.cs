namespace Etl.Hosting.Http;

/// <summary>A completed savepoint: restorable with <c>etl run --from-checkpoint Location</c>.</summary>
internal sealed record SavepointResult(string Job, long Id, string Location);
