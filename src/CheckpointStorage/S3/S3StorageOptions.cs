using Amazon.Runtime;

namespace Etl.CheckpointStorage.S3;

/// <summary>
/// How to reach S3 or an S3-compatible store (Etl:Checkpoints:S3). Credentials and region come the standard AWS way
/// (environment variables <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_REGION</c>, the shared
/// credentials file and its <c>AWS_PROFILE</c>, instance roles) unless set here.
/// </summary>
/// <param name="Endpoints">
/// Custom endpoints (<c>http(s)://host:port</c>) of one S3-compatible store, tried in order: when one cannot be reached the
/// next serves (failover). Empty: AWS S3 of the region.
/// </param>
/// <param name="ForcePathStyle">Path-style addressing (<c>host/bucket/key</c>); null: on when <paramref name="Endpoints"/> are set.</param>
/// <param name="Region">Signing region; null: the AWS default chain, or <c>us-east-1</c> for custom endpoints.</param>
/// <param name="Profile">A named profile of the shared credentials file; null: the default chain.</param>
/// <param name="Credentials">Explicit credentials (programmatic use, tests); null: <paramref name="Profile"/> or the default chain.</param>
/// <param name="RequestTimeout">How long one request may take before the next endpoint is tried.</param>
public sealed record S3StorageOptions(
    IReadOnlyList<string>? Endpoints = null,
    bool? ForcePathStyle = null,
    string? Region = null,
    string? Profile = null,
    AWSCredentials? Credentials = null,
    TimeSpan? RequestTimeout = null)
{
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        foreach (var endpoint in Endpoints ?? [])
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            {
                throw new ArgumentException(
                    $"{nameof(S3StorageOptions)}.{nameof(Endpoints)}: '{endpoint}' is not an endpoint; write http(s)://host:port without a path.", nameof(Endpoints));
            }
        }

        if (Region is not null && string.IsNullOrWhiteSpace(Region))
        {
            throw new ArgumentException($"{nameof(S3StorageOptions)}.{nameof(Region)} is empty; leave it unset for the AWS default chain.", nameof(Region));
        }

        if (Profile is not null && string.IsNullOrWhiteSpace(Profile))
        {
            throw new ArgumentException($"{nameof(S3StorageOptions)}.{nameof(Profile)} is empty; leave it unset for the AWS default chain.", nameof(Profile));
        }

        if (RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(S3StorageOptions)}.{nameof(RequestTimeout)} must be positive, was {timeout}.", nameof(RequestTimeout));
        }
    }

    internal bool PathStyle => ForcePathStyle ?? Endpoints is { Count: > 0 };
}
