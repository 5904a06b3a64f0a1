using System.Globalization;
using System.Net.Http.Json;

namespace Etl.Connectors.Kafka.Mock;

/// <summary>
/// Client for the loopback HTTP control endpoint of <c>etl dev kafka</c> (see docs/local-services.md).
/// Every call throws <see cref="MockKafkaException"/> with the host's message when the host refuses it.
/// </summary>
internal sealed class MockKafkaControl : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="endpoint">Base address, e.g. <c>http://127.0.0.1:45123/</c> (the value of ETL_KAFKA_CONTROL).</param>
    public MockKafkaControl(Uri endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = new HttpClient { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Endpoint => _http.BaseAddress!;

    public async Task<MockKafkaHealth> GetHealthAsync(CancellationToken cancellationToken)
    {
        var health = await _http.GetFromJsonAsync("health", MockKafkaJsonContext.Default.MockKafkaHealth, cancellationToken);
        return health ?? throw new MockKafkaException("The mock Kafka host answered /health with an empty body.");
    }

    public Task CreateTopicAsync(string name, int partitions, int replicationFactor, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"topics?name={Uri.EscapeDataString(name)}&partitions={partitions}&replicationFactor={replicationFactor}", cancellationToken);

    public Task SetBrokerDownAsync(int brokerId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"brokers/{brokerId}/down", cancellationToken);

    public Task SetBrokerUpAsync(int brokerId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"brokers/{brokerId}/up", cancellationToken);

    /// <summary>The next requests with this Kafka API key (0 = Produce, 1 = Fetch, ...) fail with these error codes, in order.</summary>
    public Task PushRequestErrorsAsync(short apiKey, IReadOnlyList<int> errorCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        var codes = string.Join(',', errorCodes.Select(c => c.ToString(CultureInfo.InvariantCulture)));
        return SendAsync(HttpMethod.Post, $"request-errors?apiKey={apiKey}&errors={codes}", cancellationToken);
    }

    public Task ClearRequestErrorsAsync(short apiKey, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, $"request-errors?apiKey={apiKey}", cancellationToken);

    /// <summary>Asks the host process to destroy the cluster and exit.</summary>
    public Task ShutdownAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "shutdown", cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task SendAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new MockKafkaException($"{method} {path} on the mock Kafka host failed ({(int)response.StatusCode}): {body}");
        }
    }
}
