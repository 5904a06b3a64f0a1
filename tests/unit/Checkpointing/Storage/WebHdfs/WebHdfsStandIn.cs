using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Etl.Tests.Unit.Checkpointing.Storage.WebHdfs;

/// <summary>
/// A small in-process WebHDFS for the storage tests (no HDFS can be installed here): two namenodes of nameservice
/// <see cref="Nameservice"/> sharing one in-memory namespace, one datanode, on loopback ports. Only the active namenode
/// serves; the standby answers 403 with Hadoop's <c>StandbyException</c> body. CREATE and OPEN redirect (307) to the
/// datanode as WebHDFS does; errors are WebHDFS's JSON <c>RemoteException</c> bodies. A test switches the active
/// namenode, stops one (connection refused), or makes the next CREATE or RENAME apply and then drop its answer.
/// </summary>
internal sealed class WebHdfsStandIn : IDisposable
{
    public const string Nameservice = "etlns";

    // Guards _files and _directories: every request handler takes it for its whole namespace operation.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "/" };
    private readonly HttpListener[] _namenodes;
    private readonly HttpListener _datanode;
    private readonly int[] _ports;
    private readonly int _datanodePort;
    private int _dropNextCreate;
    private int _dropNextRename;

    public WebHdfsStandIn()
    {
        _ports = [Etl.DevServices.FreePort.Pick(), Etl.DevServices.FreePort.Pick()];
        _namenodes = [.. _ports.Select((port, i) => Listen(port, context => Namenode(i, context)))];
        _datanodePort = Etl.DevServices.FreePort.Pick();
        _datanode = Listen(_datanodePort, Datanode);
    }

    /// <summary>Index of the namenode that serves (the other one is standby).</summary>
    public int Active { get; set; }

    /// <summary>The hdfs-site.xml keys of the nameservice, as a user would write them.</summary>
    public IReadOnlyDictionary<string, string> Properties => new Dictionary<string, string>
    {
        ["dfs.nameservices"] = Nameservice,
        [$"dfs.ha.namenodes.{Nameservice}"] = "nn1,nn2",
        [$"dfs.namenode.http-address.{Nameservice}.nn1"] = $"127.0.0.1:{_ports[0].ToString(CultureInfo.InvariantCulture)}",
        [$"dfs.namenode.http-address.{Nameservice}.nn2"] = $"127.0.0.1:{_ports[1].ToString(CultureInfo.InvariantCulture)}",
    };

    /// <summary>How long a dropped answer is held back: longer than the tests' client timeout, so the client gives up on it.</summary>
    public static readonly TimeSpan DropDelay = TimeSpan.FromSeconds(3);

    /// <summary>The next datanode write is stored, then its answer is held back past the client's timeout.</summary>
    public void DropNextCreateAnswer() => Interlocked.Exchange(ref _dropNextCreate, 1);

    /// <summary>The next RENAME is applied, then its answer is held back past the client's timeout.</summary>
    public void DropNextRenameAnswer() => Interlocked.Exchange(ref _dropNextRename, 1);

    /// <summary>Stops namenode <paramref name="index"/>: its port refuses connections from now on.</summary>
    public void Kill(int index) => _namenodes[index].Close();

    public IReadOnlyList<string> Files(string prefix)
    {
        lock (_gate)
        {
            return [.. _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        }
    }

    public void Corrupt(string path, Func<byte[], byte[]> change)
    {
        lock (_gate)
        {
            _files[path] = change(_files[path]);
        }
    }

    public void Dispose()
    {
        foreach (var listener in _namenodes.Append(_datanode))
        {
            try
            {
                listener.Close();
            }
            catch (ObjectDisposedException)
            {
                // Killed by the test already.
            }
        }
    }

    private static HttpListener Listen(int port, Func<HttpListenerContext, Task> handle)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handle(context);
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
                    {
                        // The client went away (or the test dropped the connection on purpose).
                    }
                });
            }
        });
        return listener;
    }

    private static string PathOf(HttpListenerContext context)
    {
        var raw = context.Request.Url!.AbsolutePath;
        var path = Uri.UnescapeDataString(raw["/webhdfs/v1".Length..]);
        return path.Length > 1 ? path.TrimEnd('/') : "/";
    }

    private async Task Namenode(int index, HttpListenerContext context)
    {
        var query = context.Request.QueryString;
        var op = query["op"] ?? "";
        var path = PathOf(context);
        if (index != Active)
        {
            await Error(context, 403, "StandbyException", "org.apache.hadoop.ipc.StandbyException",
                $"Operation category {(op is "OPEN" or "GETFILESTATUS" or "LISTSTATUS" ? "READ" : "WRITE")} is not supported in state standby. Visit https://s.apache.org/sbnn-error");
            return;
        }

        switch (op)
        {
            case "OPEN" or "CREATE":
                var exists = Exists(path, out var isFile);
                if (op == "OPEN" && !(exists && isFile))
                {
                    await NotFound(context, path);
                    return;
                }

                context.Response.StatusCode = 307;
                context.Response.RedirectLocation =
                    $"http://127.0.0.1:{_datanodePort.ToString(CultureInfo.InvariantCulture)}{context.Request.Url!.PathAndQuery}&namenoderpcaddress={Nameservice}";
                context.Response.Close();
                return;
            case "GETFILESTATUS":
                if (!Exists(path, out var file))
                {
                    await NotFound(context, path);
                    return;
                }

                await Json(context, 200, new { FileStatus = Status("", file ? Length(path) : 0, file) });
                return;
            case "LISTSTATUS":
                if (!Exists(path, out var listedFile))
                {
                    await NotFound(context, path);
                    return;
                }

                await Json(context, 200, new { FileStatuses = new { FileStatus = listedFile ? [Status("", Length(path), true)] : Children(path) } });
                return;
            case "RENAME":
                var destination = query["destination"] ?? "";
                bool renamed;
                lock (_gate)
                {
                    renamed = _files.ContainsKey(path) && !_files.ContainsKey(destination) && !_directories.Contains(destination)
                        && _directories.Contains(Parent(destination));
                    if (renamed)
                    {
                        _files[destination] = _files[path];
                        _files.Remove(path);
                    }
                }

                if (Interlocked.Exchange(ref _dropNextRename, 0) == 1)
                {
                    context.Response.Abort();
                    return;
                }

                await Json(context, 200, new { boolean = renamed });
                return;
            case "DELETE":
                var recursive = query["recursive"] == "true";
                bool deleted;
                lock (_gate)
                {
                    if (_files.Remove(path))
                    {
                        deleted = true;
                    }
                    else if (_directories.Contains(path) && path != "/")
                    {
                        var under = path + "/";
                        var nonEmpty = _files.Keys.Any(k => k.StartsWith(under, StringComparison.Ordinal)) || _directories.Any(d => d.StartsWith(under, StringComparison.Ordinal));
                        if (nonEmpty && !recursive)
                        {
                            deleted = false;
                        }
                        else
                        {
                            foreach (var k in _files.Keys.Where(k => k.StartsWith(under, StringComparison.Ordinal)).ToList())
                            {
                                _files.Remove(k);
                            }

                            _directories.RemoveWhere(d => d == path || d.StartsWith(under, StringComparison.Ordinal));
                            deleted = true;
                        }
                    }
                    else
                    {
                        deleted = false;
                    }
                }

                if (!deleted && _directories.Contains(path))
                {
                    await Error(context, 403, "PathIsNotEmptyDirectoryException", "org.apache.hadoop.fs.PathIsNotEmptyDirectoryException", $"`{path} is non empty': Directory is not empty");
                    return;
                }

                await Json(context, 200, new { boolean = deleted });
                return;
            default:
                await Error(context, 400, "IllegalArgumentException", "java.lang.IllegalArgumentException", $"Invalid value for webhdfs parameter \"op\": No enum constant {op}");
                return;
        }
    }

    private async Task Datanode(HttpListenerContext context)
    {
        var path = PathOf(context);
        var query = context.Request.QueryString;
        if (context.Request.HttpMethod == "GET")
        {
            byte[]? content;
            lock (_gate)
            {
                content = _files.GetValueOrDefault(path);
            }

            if (content is null)
            {
                await NotFound(context, path);
                return;
            }

            context.Response.StatusCode = 200;
            await context.Response.OutputStream.WriteAsync(content);
            context.Response.Close();
            return;
        }

        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        bool created;
        lock (_gate)
        {
            created = query["overwrite"] == "true" || !_files.ContainsKey(path);
            if (created)
            {
                _files[path] = body.ToArray();
                for (var parent = Parent(path); parent != "/"; parent = Parent(parent))
                {
                    _directories.Add(parent);
                }
            }
        }

        if (!created)
        {
            await Error(context, 403, "FileAlreadyExistsException", "org.apache.hadoop.fs.FileAlreadyExistsException", $"{path} for client 127.0.0.1 already exists");
            return;
        }

        if (Interlocked.Exchange(ref _dropNextCreate, 0) == 1)
        {
            await Task.Delay(DropDelay);
        }

        context.Response.StatusCode = 201;
        context.Response.Headers["Location"] = $"hdfs://{Nameservice}{path}";
        context.Response.Close();
    }

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private bool Exists(string path, out bool isFile)
    {
        lock (_gate)
        {
            isFile = _files.ContainsKey(path);
            return isFile || _directories.Contains(path);
        }
    }

    private long Length(string path)
    {
        lock (_gate)
        {
            return _files.TryGetValue(path, out var content) ? content.LongLength : 0;
        }
    }

    private object[] Children(string path)
    {
        var prefix = path == "/" ? "/" : path + "/";
        lock (_gate)
        {
            var files = _files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && !f.Key[prefix.Length..].Contains('/', StringComparison.Ordinal))
                .Select(f => Status(f.Key[prefix.Length..], f.Value.LongLength, true));
            var directories = _directories.Where(d => d.StartsWith(prefix, StringComparison.Ordinal) && d.Length > prefix.Length && !d[prefix.Length..].Contains('/', StringComparison.Ordinal))
                .Select(d => Status(d[prefix.Length..], 0, false));
            return [.. files.Concat(directories)];
        }
    }

    private static Dictionary<string, object> Status(string suffix, long length, bool file) => new()
    {
        ["pathSuffix"] = suffix,
        ["type"] = file ? "FILE" : "DIRECTORY",
        ["length"] = length,
        ["owner"] = "etl",
        ["group"] = "supergroup",
        ["permission"] = file ? "644" : "755",
        ["replication"] = file ? 3 : 0,
        ["blockSize"] = file ? 134217728 : 0,
        ["modificationTime"] = 1_764_000_000_000,
        ["accessTime"] = 0,
    };

    private static Task NotFound(HttpListenerContext context, string path) =>
        Error(context, 404, "FileNotFoundException", "java.io.FileNotFoundException", $"File does not exist: {path}");

    private static Task Error(HttpListenerContext context, int status, string exception, string javaClassName, string message) =>
        Json(context, status, new { RemoteException = new { exception, javaClassName, message } });

    private static async Task Json(HttpListenerContext context, int status, object body)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
