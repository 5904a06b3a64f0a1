namespace Etl.Hosting.Http;

/// <summary>The restore point of the current attempt: id, <c>checkpoint</c> or <c>savepoint</c>, and when it was taken.</summary>
internal sealed record RestoredView(long Id, string Kind, DateTimeOffset TakenAt);
