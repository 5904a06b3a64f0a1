using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Checkpointing.S3;

/// <summary>Looks at the bucket directly with the AWS SDK, past the storage, to check what objects exist.</summary>
internal sealed class S3Inspector : IDisposable
{
    private readonly AmazonS3Client _client = new(TestS3.Credentials, new AmazonS3Config
    {
        ServiceURL = TestS3.Endpoints[0],
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Keys under <paramref name="relative"/> of an <c>s3://bucket/prefix</c> root.</summary>
    public async Task<List<string>> KeysAsync(string root, string relative)
    {
        var prefix = root[$"s3://{TestS3.Bucket}/".Length..] + "/" + relative;
        var response = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = TestS3.Bucket, Prefix = prefix });
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }

    public void Dispose() => _client.Dispose();
}
