namespace Etl.Hosting.Http;

/// <summary>The subtask (<c>operator#index</c>) that acknowledged a checkpoint last, <paramref name="AfterMs"/> after its trigger.</summary>
internal sealed record SlowestAckView(string Subtask, double AfterMs);
