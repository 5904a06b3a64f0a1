using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Etl.CheckpointStorage.WebHdfs;

/// <summary>
/// The WebHDFS REST calls the checkpoint store makes, against an HA pair (or more) of namenodes. As Hadoop's
/// <c>FailoverOnNetworkExceptionRetry</c>: a <c>StandbyException</c> answer or a refused connection fails over to the next
/// namenode; <c>RetriableException</c> (safe mode, startup) backs off and asks again; any other I/O failure is retried
/// elsewhere only for idempotent calls, and is reported as <see cref="WebHdfsException.Unclear"/> otherwise. CREATE and
/// OPEN are two steps (the namenode answers 307 with a datanode URL); redirects are followed by hand so the bytes go
/// only to the datanode.
/// </summary>
internal sealed class WebHdfsClient : IDisposable
{
    private readonly HdfsNameservice _nameservice;
    private readonly WebHdfsStorageOptions _options;
    private readonly string _user;
    private readonly HttpClient _http;
    private readonly ILogger _logger;

    // The namenode that answered as active last; requests start there. A stale read costs one failover.
    private volatile int _active;

    public WebHdfsClient(HdfsNameservice nameservice, WebHdfsStorageOptions options, ILogger logger)
    {
        _nameservice = nameservice;
        _options = options;
        _user = options.EffectiveUser;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = options.RequestTimeout ?? WebHdfsStorageOptions.DefaultRequestTimeout,
        };
    }

    public async Task<byte[]?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await NamenodeAsync(HttpMethod.Get, path, "OPEN", "", idempotent: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.Redirect)
        {
            using var data = await DatanodeAsync(HttpMethod.Get, Redirect(response), null, cancellationToken);
            await EnsureAsync(data, HttpStatusCode.OK, "OPEN", path, cancellationToken);
            return await data.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        await EnsureAsync(response, HttpStatusCode.OK, "OPEN", path, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>The file's length, or null when nothing exists at the path.</summary>
    public async Task<long?> LengthAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await NamenodeAsync(HttpMethod.Get, path, "GETFILESTATUS", "", idempotent: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureAsync(response, HttpStatusCode.OK, "GETFILESTATUS", path, cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("FileStatus").GetProperty("length").GetInt64();
    }

    public async Task<IReadOnlyList<string>> ListAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await NamenodeAsync(HttpMethod.Get, path, "LISTSTATUS", "", idempotent: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        await EnsureAsync(response, HttpStatusCode.OK, "LISTSTATUS", path, cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return [.. json.RootElement.GetProperty("FileStatuses").GetProperty("FileStatus").EnumerateArray()
            .Select(s => s.GetProperty("pathSuffix").GetString() ?? "")];
    }

    /// <summary>CREATE in its two steps. A failure of the datanode step is unclear: the file may exist, whole or not.</summary>
    public async Task CreateAsync(string path, byte[] content, bool overwrite, CancellationToken cancellationToken)
    {
        // The namenode step only answers where to write; asking again is harmless.
        using var response = await NamenodeAsync(
            HttpMethod.Put, path, "CREATE", $"&overwrite={(overwrite ? "true" : "false")}", idempotent: true, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.TemporaryRedirect or HttpStatusCode.Redirect))
        {
            await EnsureAsync(response, HttpStatusCode.TemporaryRedirect, "CREATE", path, cancellationToken);
        }

        using var written = await DatanodeAsync(HttpMethod.Put, Redirect(response), content, cancellationToken);
        await EnsureAsync(written, HttpStatusCode.Created, "CREATE", path, cancellationToken);
    }

    /// <summary>RENAME: false when the destination exists or the source does not (HDFS's answer).</summary>
    public async Task<bool> RenameAsync(string source, string destination, CancellationToken cancellationToken)
    {
        using var response = await NamenodeAsync(
            HttpMethod.Put, source, "RENAME", "&destination=" + Uri.EscapeDataString(Absolute(destination)), idempotent: false, cancellationToken);
        return await BooleanAsync(response, "RENAME", source, cancellationToken);
    }

    public async Task DeleteAsync(string path, bool recursive, CancellationToken cancellationToken)
    {
        using var response = await NamenodeAsync(
            HttpMethod.Delete, path, "DELETE", $"&recursive={(recursive ? "true" : "false")}", idempotent: true, cancellationToken);
        await BooleanAsync(response, "DELETE", path, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static string Absolute(string path) => "/" + path.TrimStart('/');

    private static Uri Redirect(HttpResponseMessage response) =>
        response.Headers.Location ?? throw new WebHdfsException(
            $"WebHDFS answered {(int)response.StatusCode} without a Location header.", response.StatusCode, null, unclear: false);

    private async Task<bool> BooleanAsync(HttpResponseMessage response, string op, string path, CancellationToken cancellationToken)
    {
        await EnsureAsync(response, HttpStatusCode.OK, op, path, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.GetProperty("boolean").GetBoolean();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // The call was answered but the answer is unreadable (cut short): whether it was applied is unknown.
            throw new WebHdfsException($"WebHDFS {op} {Location(path)} answered 200 with '{body}', not {{\"boolean\":...}}; whether it was applied is unknown.",
                response.StatusCode, null, unclear: true, e);
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, HttpStatusCode expected, string op, string path, CancellationToken cancellationToken)
    {
        if (response.StatusCode == expected)
        {
            return;
        }

        var (exception, message) = await RemoteExceptionAsync(response, cancellationToken);
        throw new WebHdfsException(
            $"WebHDFS {op} {Location(path)} answered {(int)response.StatusCode}: {exception ?? "no RemoteException"}: {message}",
            response.StatusCode, exception, unclear: false);
    }

    private string Location(string path) => $"hdfs://{_nameservice.Name}{Absolute(path)}";

    private async Task<HttpResponseMessage> DatanodeAsync(HttpMethod method, Uri uri, byte[]? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (content is not null)
        {
            request.Content = new ByteArrayContent(content);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        }

        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new WebHdfsException($"WebHDFS datanode {uri.Authority} failed: {e.Message}", null, null, unclear: method != HttpMethod.Get, e);
        }
    }

    /// <summary>Sends one call to the active namenode, failing over as the class describes; the caller disposes the answer.</summary>
    private async Task<HttpResponseMessage> NamenodeAsync(
        HttpMethod method, string path, string op, string query, bool idempotent, CancellationToken cancellationToken)
    {
        var failovers = 0;
        var backoff = _options.FailoverBackoff ?? WebHdfsStorageOptions.DefaultFailoverBackoff;
        while (true)
        {
            var index = _active;
            var (id, address) = _nameservice.Namenodes[index];
            var uri = new Uri(address, $"/webhdfs/v1{string.Join('/', Absolute(path).Split('/').Select(Uri.EscapeDataString))}?op={op}&user.name={Uri.EscapeDataString(_user)}{query}");
            string reason;
            try
            {
                using var request = new HttpRequestMessage(method, uri);
                var response = await _http.SendAsync(request, cancellationToken);
                if ((int)response.StatusCode < 400 || response.StatusCode == HttpStatusCode.NotFound)
                {
                    _active = index;
                    return response;
                }

                var (exception, message) = await RemoteExceptionAsync(response, cancellationToken);
                if (exception == "RetriableException" && failovers < _options.MaxFailovers)
                {
                    // Safe mode or startup: the same namenode will serve later; not a failover.
                    response.Dispose();
                    failovers++;
                    await Task.Delay(Backoff(backoff, failovers), cancellationToken);
                    continue;
                }

                if (exception != "StandbyException")
                {
                    _active = index;
                    return response;
                }

                response.Dispose();
                reason = $"{id} is standby ({message})";
            }
            catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError || idempotent)
            {
                reason = $"{id} unreachable ({e.Message})";
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && idempotent)
            {
                reason = $"{id} timed out ({e.Message})";
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new WebHdfsException(
                    $"WebHDFS {op} {Location(path)} on {id} failed after it was sent ({e.Message}); whether it was applied is unknown.",
                    null, null, unclear: true, e);
            }

            if (failovers >= _options.MaxFailovers)
            {
                throw new WebHdfsException(
                    $"WebHDFS {op} {Location(path)}: no active namenode of {_nameservice.Name} after {failovers} failovers; last: {reason}.",
                    null, "StandbyException", unclear: false);
            }

            var next = (index + 1) % _nameservice.Namenodes.Count;
            _active = next;
            var nextId = _nameservice.Namenodes[next].Id;
            _logger.StoreFailover($"{_nameservice.Name}/{id}", $"{_nameservice.Name}/{nextId}", reason);
            failovers++;
            if (failovers >= _nameservice.Namenodes.Count)
            {
                await Task.Delay(Backoff(backoff, failovers), cancellationToken);
            }
        }
    }

    private static TimeSpan Backoff(TimeSpan initial, int failovers) =>
        TimeSpan.FromTicks(Math.Min(initial.Ticks * 15, initial.Ticks << Math.Min(failovers, 10)));

    private static async Task<(string? Exception, string Message)> RemoteExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("RemoteException", out var remote))
            {
                return (remote.TryGetProperty("exception", out var e) ? e.GetString() : null,
                        remote.TryGetProperty("message", out var m) ? m.GetString() ?? "" : "");
            }
        }
        catch (JsonException)
        {
            // Not WebHDFS's JSON (a proxy's page): report the body as it is.
        }

        return (null, body.Length > 200 ? body[..200] : body.ToString(CultureInfo.InvariantCulture));
    }
}
