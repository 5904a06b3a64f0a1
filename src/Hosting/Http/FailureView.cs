namespace Etl.Hosting.Http;

/// <summary>
/// The latest failure of the job as the page saw it: a short reason (what failed and its error type), the full
/// message, the attempt that failed, and when the page first saw it.
/// </summary>
internal sealed record FailureView(string Reason, string Message, int Attempt, DateTimeOffset SeenAt);
