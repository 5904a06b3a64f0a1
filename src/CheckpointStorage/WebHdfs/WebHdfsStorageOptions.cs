namespace Etl.CheckpointStorage.WebHdfs;

/// <summary>
/// How to reach HDFS over WebHDFS (Etl:Checkpoints:Hdfs). The nameservice of an <c>hdfs://ns/path</c> directory is
/// resolved from the standard Hadoop keys (<c>dfs.nameservices</c>, <c>dfs.ha.namenodes.&lt;ns&gt;</c>,
/// <c>dfs.namenode.http-address.&lt;ns&gt;.&lt;nn&gt;</c>), read from <c>hdfs-site.xml</c> in <paramref name="ConfDirectory"/>
/// and overridden by <paramref name="Properties"/>.
/// </summary>
/// <param name="ConfDirectory">Directory holding <c>hdfs-site.xml</c>; null: <c>HADOOP_CONF_DIR</c> if set, else none.</param>
/// <param name="Properties">Hadoop keys given directly (they win over the file).</param>
/// <param name="User">The <c>user.name</c> of simple authentication; null: <c>HADOOP_USER_NAME</c>, else the OS user.</param>
/// <param name="MaxFailovers">Failovers to another namenode per request before it fails (Hadoop's default 15).</param>
/// <param name="FailoverBackoff">Base of the exponential backoff between failovers (doubles, at most 15 times this).</param>
/// <param name="RequestTimeout">How long one HTTP request may take.</param>
public sealed record WebHdfsStorageOptions(
    string? ConfDirectory = null,
    IReadOnlyDictionary<string, string>? Properties = null,
    string? User = null,
    int MaxFailovers = 15,
    TimeSpan? FailoverBackoff = null,
    TimeSpan? RequestTimeout = null)
{
    public static readonly TimeSpan DefaultFailoverBackoff = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (ConfDirectory is not null && !Directory.Exists(ConfDirectory))
        {
            throw new ArgumentException($"{nameof(WebHdfsStorageOptions)}.{nameof(ConfDirectory)}: no directory '{ConfDirectory}'.", nameof(ConfDirectory));
        }

        if (User is not null && (User.Length == 0 || User.Any(c => char.IsControl(c) || c is ' ' or '&' or '=' or '/')))
        {
            throw new ArgumentException($"{nameof(WebHdfsStorageOptions)}.{nameof(User)} '{User}' is not a user name.", nameof(User));
        }

        if (MaxFailovers < 0)
        {
            throw new ArgumentException($"{nameof(WebHdfsStorageOptions)}.{nameof(MaxFailovers)} must be at least 0, was {MaxFailovers}.", nameof(MaxFailovers));
        }

        if (FailoverBackoff is { } backoff && backoff < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(WebHdfsStorageOptions)}.{nameof(FailoverBackoff)} must not be negative, was {backoff}.", nameof(FailoverBackoff));
        }

        if (RequestTimeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(WebHdfsStorageOptions)}.{nameof(RequestTimeout)} must be positive, was {timeout}.", nameof(RequestTimeout));
        }
    }

    internal string EffectiveUser =>
        User ?? (Environment.GetEnvironmentVariable("HADOOP_USER_NAME") is { Length: > 0 } user ? user : Environment.UserName);
}
