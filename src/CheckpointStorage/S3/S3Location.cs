namespace Etl.CheckpointStorage.S3;

/// <summary><c>s3://bucket/prefix</c>, parsed once: the bucket and the key prefix (no leading or trailing <c>/</c>).</summary>
internal sealed record S3Location(string Bucket, string Prefix)
{
    public const string Scheme = "s3";

    public static bool TryParse(string value, out S3Location location)
    {
        location = new S3Location("", "");
        if (!value.StartsWith(Scheme + "://", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = value[(Scheme.Length + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        if (bucket.Length is < 3 or > 63 || bucket.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')))
        {
            return false;
        }

        location = new S3Location(bucket, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
        return true;
    }

    public override string ToString() => Prefix.Length == 0 ? $"{Scheme}://{Bucket}" : $"{Scheme}://{Bucket}/{Prefix}";
}
