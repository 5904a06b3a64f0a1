using Amazon.Runtime;
using Etl.CheckpointStorage;
using Etl.CheckpointStorage.S3;
using Etl.DevServices;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// The S3 store under test: <c>ETL_S3_ENDPOINTS</c>, <c>ETL_S3_BUCKET</c> and the AWS credentials from the environment
/// (a user's own store, or what ./test.sh exported), else from <c>.local/services.env</c> (the Ceph radosgw of
/// <c>etl dev up</c>). <see cref="LocalDirectory"/> is set only for that local cluster, whose gateways a test may add and kill.
/// </summary>
internal static class TestS3
{
    public static IReadOnlyList<string> Endpoints => Value(ServicesFile.S3Endpoints).Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static string Bucket => Value(ServicesFile.S3Bucket);

    public static AWSCredentials Credentials => new BasicAWSCredentials(Value(ServicesFile.S3AccessKey), Value(ServicesFile.S3SecretKey));

    /// <summary>The local Ceph cluster's directory, or null when the store is not one <c>etl dev up</c> started.</summary>
    public static string? LocalDirectory =>
        Environment.GetEnvironmentVariable(ServicesFile.S3Endpoints) is { Length: > 0 } fromEnvironment
        && fromEnvironment != LocalFile().GetValueOrDefault(ServicesFile.S3Endpoints)
            ? null
            : LocalFile().GetValueOrDefault(ServicesFile.S3Directory);

    /// <summary>A fresh <c>s3://bucket/prefix</c> for one test.</summary>
    public static string NewRoot(string test) => $"s3://{Bucket}/tests/{test}-{Guid.NewGuid():N}";

    public static ICheckpointStorage Storage(string root, int numRetained = 3, IReadOnlyList<string>? endpoints = null) =>
        CheckpointStorageFactory.Create(
            new CheckpointStorageOptions(root, root + "/savepoints", numRetained),
            new S3StorageOptions(endpoints ?? Endpoints, Credentials: Credentials, RequestTimeout: TimeSpan.FromSeconds(10)));

    /// <summary>The environment the host process needs to reach the same store.</summary>
    public static Dictionary<string, string> HostEnvironment() => new()
    {
        [ServicesFile.S3Endpoints] = string.Join(',', Endpoints),
        [ServicesFile.S3AccessKey] = Value(ServicesFile.S3AccessKey),
        [ServicesFile.S3SecretKey] = Value(ServicesFile.S3SecretKey),
    };

    private static string Value(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value
        : LocalFile().GetValueOrDefault(variable) ?? throw new InvalidOperationException(
            $"The S3 tests need {variable}: run ./test.sh, or `etl dev up` (it starts a local Ceph radosgw), or set " +
            $"{ServicesFile.S3Endpoints}, {ServicesFile.S3Bucket}, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for your own S3.");

    private static Dictionary<string, string> LocalFile() => ServicesFile.ReadOrEmpty(RepoPaths.ServicesFile);
}
