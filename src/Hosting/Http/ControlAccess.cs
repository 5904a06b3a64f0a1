using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Etl.Hosting.Http;

/// <summary>
/// Who may call the control routes (POST /savepoint, POST /stop), which act on the job. Without a configured
/// token: loopback clients only, so the endpoint can listen on every interface for scrapers and probes while
/// control stays on the machine (or in the container). With a token: any address, but only with
/// <c>Authorization: Bearer &lt;token&gt;</c>, loopback included. Forwarded headers are not honoured: behind a
/// proxy on the same host every caller looks local, so configure a token there.
/// </summary>
internal sealed class ControlAccess
{
    /// <summary>The environment variable the worker and the CLI read the token from (the worker also reads Etl:Http:ControlToken).</summary>
    public const string TokenVariable = "ETL_HTTP_TOKEN";

    public const int MinimumTokenLength = 16;

    private readonly byte[]? _token;

    public ControlAccess(string controlToken)
    {
        ArgumentNullException.ThrowIfNull(controlToken);
        _token = controlToken.Length > 0 ? Encoding.UTF8.GetBytes(controlToken) : null;
    }

    /// <summary>An RFC 6750 bearer token (b64token) of at least <see cref="MinimumTokenLength"/> characters.</summary>
    public static bool IsWellFormedToken(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var body = token.TrimEnd('=');
        return token.Length >= MinimumTokenLength && body.Length > 0
            && body.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or '+' or '/');
    }

    /// <summary>Null when the call may proceed; otherwise the status code and a message that says what to do.</summary>
    public Refusal? Check(string route, IPAddress? remote, string? authorization)
    {
        if (_token is null)
        {
            return IsLoopback(remote)
                ? null
                : new Refusal(403, $"{route} is accepted from loopback addresses only (this request came from {remote?.ToString() ?? "an unknown address"}). "
                    + $"Call it on the worker's machine, or configure Etl:Http:ControlToken (or {TokenVariable}) on the worker and send it as 'Authorization: Bearer <token>' (etl savepoint/stop --token).");
        }

        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return new Refusal(401, $"{route} requires 'Authorization: Bearer <token>' with the worker's control token (etl savepoint/stop --token or {TokenVariable}).");
        }

        var offered = Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(offered, _token)
            ? null
            : new Refusal(401, $"{route}: the bearer token does not match the worker's control token (Etl:Http:ControlToken or {TokenVariable} where the worker runs).");
    }

    private static bool IsLoopback(IPAddress? remote) =>
        remote is not null && IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

    /// <summary>Why a control call was refused: 403 (not loopback, no token configured) or 401 (token missing or wrong).</summary>
    internal sealed record Refusal(int StatusCode, string Message);
}
