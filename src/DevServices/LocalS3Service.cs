using Amazon.Runtime;
using Amazon.S3;

namespace Etl.DevServices;

/// <summary>
/// The S3 part of <c>etl dev up</c>: starts <see cref="LocalS3"/> unless <c>ETL_S3_ENDPOINTS</c> names a store already
/// (then its bucket, <c>ETL_S3_BUCKET</c>, and the standard AWS credentials are the user's), creates the bucket, and
/// records endpoints, bucket and keys for <c>.local/services.env</c>.
/// </summary>
internal static class LocalS3Service
{
    public static async Task UpAsync(Dictionary<string, string> values, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServicesFile.S3Endpoints)))
        {
            await Console.Out.WriteLineAsync("s3: ETL_S3_ENDPOINTS is set, not starting a local gateway");
            return;
        }

        var started = DateTime.UtcNow;
        LocalS3 s3;
        try
        {
            s3 = await LocalS3.CreateAsync(cancellationToken);
        }
        catch (InvalidOperationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // The one-node cluster's known start failure (the OSD refused by the monitor under load, see LocalS3) is
            // configured away; any other is reported with the daemons' error lines and tried once more in a new
            // directory, and a second failure is reported as it is.
            await Console.Error.WriteLineAsync($"s3: the local Ceph cluster did not start ({e.Message}); starting it once more in a new directory");
            s3 = await LocalS3.CreateAsync(cancellationToken);
        }

        values[ServicesFile.S3Directory] = s3.RootDirectory;
        values[ServicesFile.S3Endpoints] = string.Join(',', s3.Endpoints);
        values[ServicesFile.S3Bucket] = LocalS3.Bucket;
        values[ServicesFile.S3AccessKey] = LocalS3.AccessKey;
        values[ServicesFile.S3SecretKey] = LocalS3.SecretKey;

        var config = new AmazonS3Config
        {
            ServiceURL = s3.Endpoints[0],
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        using var client = new AmazonS3Client(new BasicAWSCredentials(LocalS3.AccessKey, LocalS3.SecretKey), config);
        await client.PutBucketAsync(LocalS3.Bucket, cancellationToken);
        await Console.Out.WriteLineAsync(
            $"s3: Ceph radosgw at {values[ServicesFile.S3Endpoints]}, bucket {LocalS3.Bucket} (dir {s3.RootDirectory}, ready in {(DateTime.UtcNow - started).TotalSeconds:0.0} s)");
    }
}
