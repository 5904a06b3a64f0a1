namespace Etl.Tests.Integration.Infrastructure;

/// <summary>An S3 store for tests (<see cref="TestServices.S3"/>): comma-separated endpoints, a bucket, and its keys.</summary>
internal sealed record TestS3Store(string Endpoints, string Bucket, string AccessKey, string SecretKey)
{
    /// <summary>A worker's settings (environment variables) for checkpoints under <c>s3://Bucket/prefix</c> on this store.</summary>
    public Dictionary<string, string> WorkerSettings(string prefix) => new()
    {
        ["Etl__Checkpoints__Directory"] = $"s3://{Bucket}/{prefix}",
        ["Etl__Checkpoints__S3__Endpoints"] = Endpoints,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = SecretKey,
    };

    /// <summary>The gateways' ports, to tell a process's connections to the store apart.</summary>
    public IReadOnlyList<int> Ports => [.. Endpoints.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(e => new Uri(e).Port)];
}
