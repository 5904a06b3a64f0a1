namespace Etl.Hosting.Http;

/// <summary>The body of a failed request to the worker endpoint.</summary>
internal sealed record EndpointError(string Error);
