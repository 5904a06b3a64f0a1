using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Checkpointing.S3;

/// <summary>A test that starts and kills gateways of the local Ceph cluster; skipped, saying why, on a user's own S3.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class LocalS3FactAttribute : FactAttribute
{
    public LocalS3FactAttribute()
    {
        if (TestS3.LocalDirectory is null)
        {
            Skip = "Needs the local Ceph cluster of `etl dev up` (it kills one of its gateways); ETL_S3_ENDPOINTS names another store.";
        }
    }
}
