using System.Xml.Linq;

namespace Etl.CheckpointStorage.WebHdfs;

/// <summary>
/// The namenodes of one HDFS nameservice, in the order Hadoop lists them, resolved from the standard keys
/// (<c>dfs.nameservices</c>, <c>dfs.ha.namenodes.&lt;ns&gt;</c>, <c>dfs.namenode.http-address.&lt;ns&gt;.&lt;nn&gt;</c>).
/// </summary>
internal sealed record HdfsNameservice(string Name, IReadOnlyList<(string Id, Uri HttpAddress)> Namenodes)
{
    public const string ConfDirVariable = "HADOOP_CONF_DIR";

    public static HdfsNameservice Resolve(string nameservice, WebHdfsStorageOptions options)
    {
        var properties = Load(options);
        var source = SourceOf(options);
        var nameservices = Split(properties.GetValueOrDefault("dfs.nameservices"));
        if (!nameservices.Contains(nameservice, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"hdfs://{nameservice}: '{nameservice}' is not in dfs.nameservices ({(nameservices.Count == 0 ? "not set" : string.Join(",", nameservices))}) of {source}. " +
                $"Set dfs.nameservices, dfs.ha.namenodes.{nameservice} and dfs.namenode.http-address.{nameservice}.<nn> there.",
                nameof(nameservice));
        }

        var ids = Split(properties.GetValueOrDefault($"dfs.ha.namenodes.{nameservice}"));
        if (ids.Count == 0)
        {
            throw new ArgumentException($"hdfs://{nameservice}: dfs.ha.namenodes.{nameservice} is not set in {source}.", nameof(nameservice));
        }

        var namenodes = new List<(string, Uri)>();
        foreach (var id in ids)
        {
            var key = $"dfs.namenode.http-address.{nameservice}.{id}";
            var address = properties.GetValueOrDefault(key);
            if (string.IsNullOrWhiteSpace(address) || !Uri.TryCreate("http://" + address.Trim(), UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.PathAndQuery != "/")
            {
                throw new ArgumentException($"hdfs://{nameservice}: {key} should be host:port, is '{address}' in {source}.", nameof(nameservice));
            }

            namenodes.Add((id, uri));
        }

        return new HdfsNameservice(nameservice, namenodes);
    }

    private static string SourceOf(WebHdfsStorageOptions options) =>
        ConfDirectory(options) is { } dir ? $"{Path.Combine(dir, "hdfs-site.xml")} and {nameof(WebHdfsStorageOptions)}.{nameof(WebHdfsStorageOptions.Properties)}"
            : $"{nameof(WebHdfsStorageOptions)}.{nameof(WebHdfsStorageOptions.Properties)} ({ConfDirVariable} is not set)";

    private static string? ConfDirectory(WebHdfsStorageOptions options) =>
        options.ConfDirectory ?? (Environment.GetEnvironmentVariable(ConfDirVariable) is { Length: > 0 } dir ? dir : null);

    private static Dictionary<string, string> Load(WebHdfsStorageOptions options)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ConfDirectory(options) is { } dir && File.Exists(Path.Combine(dir, "hdfs-site.xml")))
        {
            foreach (var property in XDocument.Load(Path.Combine(dir, "hdfs-site.xml")).Descendants("property"))
            {
                if (property.Element("name")?.Value.Trim() is { Length: > 0 } name)
                {
                    properties[name] = property.Element("value")?.Value.Trim() ?? "";
                }
            }
        }

        foreach (var (key, value) in options.Properties ?? new Dictionary<string, string>())
        {
            properties[key] = value;
        }

        return properties;
    }

    private static List<string> Split(string? value) =>
        [.. (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
