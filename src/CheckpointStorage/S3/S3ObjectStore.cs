using System.Net;
using System.Net.Sockets;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Etl.CheckpointStorage.S3;

/// <summary>
/// One bucket of S3 or an S3-compatible store through the AWS SDK. Several endpoints fail over: a request that cannot
/// reach its endpoint (connection refused or reset, timeout, 5xx) is sent to the next one. The commit point is a
/// create-only <c>PUT</c> (<c>If-None-Match: *</c>); a 412 answer is checked against the stored object, because a retried
/// request whose first try was applied also gets 412.
/// </summary>
internal sealed class S3ObjectStore : ICheckpointObjectStore
{
    private readonly string _bucket;
    private readonly IReadOnlyList<(string Name, AmazonS3Client Client)> _clients;
    private readonly ILogger _logger;

    // The endpoint that answered last; requests start there. Read and written without a lock: a stale value only
    // costs one failed attempt.
    private volatile int _current;

    public S3ObjectStore(string bucket, S3StorageOptions options, ILogger logger)
    {
        _bucket = bucket;
        _logger = logger;
        var credentials = options.Credentials ?? ProfileCredentials(options.Profile);
        var endpoints = options.Endpoints is { Count: > 0 } list ? list.Select(e => (string?)e).ToList() : [null];
        _clients = [.. endpoints.Select(endpoint => (endpoint ?? "aws", NewClient(endpoint, options, credentials)))];
    }

    public string LocationOf(string path) => $"s3://{_bucket}/{path}";

    public string? PathOf(string location) =>
        S3Location.TryParse(location, out var parsed) && parsed.Bucket == _bucket ? parsed.Prefix : null;

    public async ValueTask<byte[]?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(
                async (client, ct) =>
                {
                    using var response = await client.GetObjectAsync(_bucket, path, ct);
                    using var buffer = new MemoryStream(response.ContentLength > 0 ? (int)response.ContentLength : 0);
                    await response.ResponseStream.CopyToAsync(buffer, ct);
                    return buffer.ToArray();
                },
                cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async ValueTask<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync((client, ct) => client.GetObjectMetadataAsync(_bucket, path, ct), cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async ValueTask WriteAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        await CallAsync((client, ct) => client.PutObjectAsync(Put(path, content), ct), cancellationToken);

    public ValueTask ReplaceAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        WriteAsync(path, content, cancellationToken);

    public async ValueTask<bool> CreateExclusiveAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var request = Put(path, content);
                request.IfNoneMatch = "*";
                await CallAsync((client, ct) => client.PutObjectAsync(request, ct), cancellationToken);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                // The key exists: another writer's _metadata, or ours from a try whose answer was lost and then retried.
                var stored = await ReadAsync(path, cancellationToken);
                return stored is not null && stored.AsSpan().SequenceEqual(content);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict && attempt < 5)
            {
                // S3 answers 409 while another conditional write of the key is in flight: ask again once it settled.
                await Task.Delay(TimeSpan.FromMilliseconds(50 << attempt), cancellationToken);
            }
        }
    }

    public async ValueTask<IReadOnlyList<string>> ListChildrenAsync(string directory, CancellationToken cancellationToken)
    {
        var prefix = directory.Length == 0 ? "" : directory.TrimEnd('/') + "/";
        var names = new List<string>();
        string? token = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/", ContinuationToken = token };
            var response = await CallAsync((client, ct) => client.ListObjectsV2Async(request, ct), cancellationToken);
            names.AddRange((response.CommonPrefixes ?? []).Select(p => p[prefix.Length..].TrimEnd('/')));
            names.AddRange((response.S3Objects ?? []).Select(o => o.Key[prefix.Length..]));
            token = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (token is not null);
        return names;
    }

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken) =>
        await CallAsync((client, ct) => client.DeleteObjectAsync(_bucket, path, ct), cancellationToken);

    public async ValueTask DeleteTreeAsync(string directory, CancellationToken cancellationToken)
    {
        var prefix = directory.TrimEnd('/') + "/";
        while (true)
        {
            var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
            var response = await CallAsync((client, ct) => client.ListObjectsV2Async(request, ct), cancellationToken);
            if (response.S3Objects is not { Count: > 0 } objects)
            {
                return;
            }

            // One object at a time: radosgw and S3 both do multi-object delete, but it needs a Content-MD5 the
            // WHEN_REQUIRED checksum setting of S3-compatible stores handles differently per store.
            foreach (var o in objects)
            {
                await DeleteAsync(o.Key, cancellationToken);
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, client) in _clients)
        {
            client.Dispose();
        }
    }

    private PutObjectRequest Put(string path, byte[] content) => new()
    {
        BucketName = _bucket,
        Key = path,
        InputStream = new MemoryStream(content, writable: false),
        AutoCloseStream = true,
        // Unsigned streaming payloads are not honoured by every S3-compatible store; a checkpoint object is in memory anyway.
        UseChunkEncoding = false,
    };

    /// <summary>Runs <paramref name="call"/> on the current endpoint, failing over to the others when it cannot be reached.</summary>
    private async Task<T> CallAsync<T>(Func<AmazonS3Client, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var start = _current;
        for (var tried = 0; ; tried++)
        {
            var index = (start + tried) % _clients.Count;
            try
            {
                var result = await call(_clients[index].Client, cancellationToken);
                _current = index;
                return result;
            }
            catch (Exception e) when (tried + 1 < _clients.Count * 2 && Unreachable(e, cancellationToken))
            {
                var next = (index + 1) % _clients.Count;
                var reason = $"{e.GetType().Name}: {e.Message}";
                _logger.StoreFailover(_clients[index].Name, _clients[next].Name, reason);
                if (next == start)
                {
                    // Every endpoint failed once: give them a moment before the second round.
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
                }
            }
        }
    }

    /// <summary>The endpoint could not serve (network, timeout, 5xx); an answer about the request itself (4xx) is not retried elsewhere.</summary>
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or SocketException => true,
        AmazonServiceException service when (int)service.StatusCode >= 500 => true,
        AmazonServiceException service when service.StatusCode == 0 => true,
        AmazonClientException client => client.InnerException is { } inner && Unreachable(inner, cancellationToken),
        _ => e.InnerException is { } inner && Unreachable(inner, cancellationToken),
    };

    private static AmazonS3Client NewClient(string? endpoint, S3StorageOptions options, AWSCredentials? credentials)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.PathStyle,
            Timeout = options.RequestTimeout ?? S3StorageOptions.DefaultRequestTimeout,
            // One SDK retry, then the next endpoint: failover, not a long wait on a dead gateway.
            MaxErrorRetry = 1,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = options.Region ?? "us-east-1";
            // S3-compatible stores (radosgw here) reject the SDK's default trailing checksums (XAmzContentSHA256Mismatch);
            // checkpoint content carries its own SHA-256 checks.
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else if (options.Region is not null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }

        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    private static AWSCredentials? ProfileCredentials(string? profile)
    {
        if (profile is null)
        {
            return null;
        }

        return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var credentials)
            ? credentials
            : throw new ArgumentException(
                $"{nameof(S3StorageOptions)}.{nameof(S3StorageOptions.Profile)}: no AWS profile '{profile}' in the shared credentials or config file.",
                nameof(profile));
    }
}
